"""The benchmark's held-out inputs (bench/data/heldout_*.py) stay usable: 20 per assistant, valid
for the assistant's form, with the expectation keys its checks read; no model is called."""

from __future__ import annotations

import pytest

from bench import bench_assistants as ba
from bench.data.heldout_extraction import cases as heldout_files
from civia.assistants.inputs import validate_inputs

SPECS = ba.builtins()


@pytest.mark.parametrize("aid", sorted(ba.HELDOUT))
def test_each_heldout_set_has_20_valid_inputs(aid: str) -> None:
    inputs = ba.HELDOUT[aid]
    assert len(inputs) == 20
    for raw in inputs:
        validate_inputs(SPECS[aid], {k: v for k, v in raw.items() if not k.startswith("_")})
    texts = [next(v for k, v in raw.items() if not k.startswith("_")) for raw in inputs]
    dev = {next(v for k, v in raw.items() if not k.startswith("_")) for raw in ba.INPUTS[aid]}
    assert len(set(texts)) == 20 and not set(texts) & dev  # new inputs, none from the dev set


def test_every_form_assistant_of_the_bench_has_a_heldout_set() -> None:
    measured = {a for a, s in SPECS.items() if not s.is_chat and s.output.kind != "tables"}
    assert measured & set(ba.INPUTS) <= set(ba.HELDOUT)


def test_the_unchanged_check_follows_the_expectation_not_the_index() -> None:
    def flagged(index: int, expect: dict[str, bool], out: str) -> bool:
        o = ba.Outcome("correction", index, {"texte": "Les dossier sont complet."}, expect)
        return ba.check_correction_text(o, out)["correct text changed"]

    assert not flagged(5, {}, "Les dossiers sont complets.")  # held-out 6th input has errors
    assert flagged(2, {"_unchanged": True}, "Les dossiers sont complets.")
    assert not flagged(2, {"_unchanged": True}, "Les dossier sont complet.")
    assert [i for i, raw in enumerate(ba.INPUTS["correction"]) if raw.get("_unchanged")] == [5]


def test_heldout_files_for_the_table_extraction() -> None:
    files = heldout_files()
    assert len(files) == 20
    assert {f.name.rsplit(".", 1)[1] for f in files} == {"pdf", "docx", "xlsx", "csv", "odt"}
    assert all(f.expected and f.data for f in files)
