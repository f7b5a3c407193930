"""PII detection: Civia vs Presidio's out-of-the-box French setup, on the same file, same run.

    python bench/bench_pii.py [--file tests/data/pii/pii-fr.jsonl] [--out bench/results/pii.md]

Writes a markdown section (P/R/F1 per type, exact and overlap matching, ms per 1,000
characters, machine) and the raw reports as JSON next to it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from importlib.metadata import version
from pathlib import Path
from typing import Any

# Presidio's e-mail recognizer uses tldextract's module-level extractor, configured when
# tldextract is imported: set this before any import of presidio so it stays offline.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

from common import ROOT, Machine  # bench/common.py: machine and load description

sys.path.insert(0, str(ROOT))

# Presidio's entity names -> ours. LOCATION is the closest it has to a postal address
# (it tags cities and street names); its other entities (URL, NRP, ORGANIZATION...) are
# not personal data types of ours and are dropped.
BASELINE_TYPES = {
    "PERSON": "PERSON",
    "EMAIL_ADDRESS": "EMAIL",
    "PHONE_NUMBER": "PHONE",
    "IBAN_CODE": "IBAN",
    "DATE_TIME": "DATE",
    "CREDIT_CARD": "CARD",
    "LOCATION": "ADDRESS",
}
SUBSETS = {
    "held-out": "Written by hand after the recognizers of the first session had been tuned on "
    "the template and hand-written parts (whose near-perfect scores say little). One change "
    'followed a look at its first 25 texts (the English title "Mr"); it was not tuned on since.',
    "unseen-dev": "Written in the second session *before* any change to the recognizers "
    "(citizen e-mails with typos, social workers' shorthand, council minutes with lists of "
    "names, Whisper-style transcripts without punctuation and with numbers in words). The "
    "improvements of that session were made looking at these texts: their gain is not an "
    "estimate for unseen text.",
    "unseen-final": "Written with `unseen-dev`, same genres, and never looked at while "
    "improving: scored once before the changes and once at the end. **The honest figure.**",
}
TARGETS = {"NIR": 0.98, "IBAN": 0.98, "SIRET": 0.98, "EMAIL": 0.98, "PHONE": 0.98,
           "PERSON": 0.90, "ADDRESS": 0.90}  # fmt: skip


def baseline_detector() -> Callable[[str], list[Any]]:
    """AnalyzerEngine + spaCy fr_core_news_md, default recognizers, language "fr"."""
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    from civia.privacy.engine import resolve_overlaps
    from civia.privacy.entities import Entity, EntityType

    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "fr", "model_name": "fr_core_news_md"}],
        }
    )
    analyzer = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["fr"])

    def detect(text: str) -> list[Entity]:
        found = [
            Entity(
                EntityType(BASELINE_TYPES[r.entity_type]),
                r.start,
                r.end,
                r.score,
                text[r.start : r.end],
            )
            for r in analyzer.analyze(text=text, language="fr")
            if r.entity_type in BASELINE_TYPES
        ]
        return resolve_overlaps(found)  # the same overlap rule as Civia's

    return detect


def civia_detector() -> Callable[[str], Iterable[Any]]:
    from civia.privacy import detect, get_analyzer

    get_analyzer()
    return detect


def timed_passes(detector: Callable[[str], Iterable[Any]], texts: list[str], repeat: int) -> float:
    """Median ms per 1,000 characters over ``repeat`` full passes."""
    chars = sum(len(t) for t in texts)
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        for text in texts:
            list(detector(text))
        runs.append((time.perf_counter() - started) * 1000 / chars * 1000)
    return round(statistics.median(runs), 1)


def chunk_latency(detector: Callable[[str], Iterable[Any]], texts: list[str]) -> float:
    """Median ms to analyse one 1,000-character text (the file's texts cut into such chunks)."""
    joined = "\n\n".join(texts)
    chunks = [joined[i : i + 1000] for i in range(0, len(joined) - 999, 1000)]
    runs = []
    for chunk in chunks:
        started = time.perf_counter()
        list(detector(chunk))
        runs.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(runs), 1)


def versions() -> str:
    return (
        f"presidio-analyzer {version('presidio-analyzer')}, spaCy {version('spacy')}, "
        f"fr-core-news-md {version('fr-core-news-md')}"
    )


def _f(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def table(civia: dict[str, Any], base: dict[str, Any], match: str, types: list[str]) -> list[str]:
    lines = [
        "| type | n | Civia P | Civia R | Civia F1 | Presidio P | Presidio R | Presidio F1 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in [*types, "overall"]:
        c = civia["overall"] if name == "overall" else civia["per_type"][name]
        b = base["overall"] if name == "overall" else base["per_type"][name]
        label = f"**{name}**" if name == "overall" else name
        lines.append(
            f"| {label} | {c['support']} | {_f(c[match]['precision'])} | {_f(c[match]['recall'])} "
            f"| {_f(c[match]['f1'])} | {_f(b[match]['precision'])} | {_f(b[match]['recall'])} "
            f"| {_f(b[match]['f1'])} |"
        )
    return lines


def by_source(
    samples: list[Any], sources: list[str], report: dict[str, Any], source: str
) -> dict[str, Any]:
    from civia.privacy.evaluation import score

    idx = [i for i, s in enumerate(sources) if s == source]
    gold = [samples[i].spans for i in idx]
    pred = [
        [(e["type"], e["start"], e["end"]) for e in report["results"][i]["entities"]] for i in idx
    ]
    return score(gold, pred)


def recall_summary(
    subsets: dict[str, dict[str, Any]], before: dict[str, Any] | None, n_source: dict[str, int]
) -> list[str]:
    """PERSON and ADDRESS recall per subset, with the earlier run's figures when given."""
    lines = ["", "### PERSON and ADDRESS recall by subset", ""]
    head = "| subset | texts | type | n | exact | overlap |"
    sep = "|---|---:|---|---:|---:|---:|"
    if before:
        head, sep = head + " exact before | overlap before |", sep + "---:|---:|"
    lines += [head, sep]
    for src, held in subsets.items():
        for kind in ("PERSON", "ADDRESS"):
            now = held["civia"]["per_type"][kind]
            row = (
                f"| {src} | {n_source[src]} | {kind} | {now['support']} "
                f"| {_f(now['exact']['recall'])} | {_f(now['overlap']['recall'])} |"
            )
            if before:
                old = before.get("subsets", {}).get(src, {}).get("per_type", {}).get(kind)
                row += (
                    f" {_f(old['exact']['recall'])} | {_f(old['overlap']['recall'])} |"
                    if old
                    else " — | — |"
                )
            lines.append(row)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--file", type=Path, default=ROOT / "tests/data/pii/pii-fr.jsonl")
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/pii.md")
    parser.add_argument("--repeat", type=int, default=3, help="timing passes (median)")
    parser.add_argument(
        "--before", type=Path, help="the JSON of an earlier run, for a before/after table"
    )
    args = parser.parse_args()

    from civia.privacy.entities import ENTITY_TYPES
    from civia.privacy.evaluation import evaluate, load_samples

    machine = Machine()
    samples = load_samples(args.file)
    sources = [json.loads(line).get("source", "") for line in
               args.file.read_text(encoding="utf-8").splitlines() if line.strip()]  # fmt: skip
    texts = [s.text for s in samples]

    reports, speeds, loads, chunk_ms = {}, {}, {}, {}
    for name, factory in (("civia", civia_detector), ("presidio", baseline_detector)):
        started = time.perf_counter()
        detector = factory()
        loads[name] = round(time.perf_counter() - started, 1)
        reports[name] = evaluate(samples, detector)
        speeds[name] = timed_passes(detector, texts, args.repeat)
        chunk_ms[name] = chunk_latency(detector, texts)
        print(f"{name}: overall exact F1 {reports[name]['overall']['exact']['f1']}, "
              f"{speeds[name]} ms/1000 chars")  # fmt: skip

    machine.finish()
    civia, base = reports["civia"], reports["presidio"]
    types = [t for t in ENTITY_TYPES if civia["per_type"][t]["support"]]
    counts = ", ".join(f"{t} {civia['per_type'][t]['support']}" for t in types)
    n_source = {s: sources.count(s) for s in dict.fromkeys(sources)}
    md = [
        "## PII detection (`bench/bench_pii.py`)",
        "",
        machine.markdown(),
        f"- Libraries: {versions()}",
        "",
        f"Data: `{args.file.relative_to(ROOT) if args.file.is_relative_to(ROOT) else args.file}`, "
        f"{civia['texts']} synthetic French texts ({civia['chars']:,} characters; "
        + ", ".join(f"{n} {s}" for s, n in n_source.items())
        + f"), {civia['overall']['support']} entities: {counts}.",
        "",
        "Baseline: Presidio's out-of-the-box French setup — `AnalyzerEngine` with a spaCy "
        "`fr_core_news_md` NLP engine, its default recognizers, language `fr`; its types "
        "mapped to ours (PERSON, EMAIL_ADDRESS→EMAIL, PHONE_NUMBER→PHONE, IBAN_CODE→IBAN, "
        "DATE_TIME→DATE, CREDIT_CARD→CARD, LOCATION→ADDRESS; others dropped), overlaps "
        "resolved like Civia's. It has no NIR, SIRET, SIREN or PLATE recognizer.",
        "",
        "### Exact match (same type, same offsets)",
        "",
        *table(civia, base, "exact", types),
        "",
        "### Overlap match (same type, spans intersect)",
        "",
        *table(civia, base, "overlap", types),
        "",
        "### Speed",
        "",
        "| | ms per 1,000-char text (median) | ms / 1,000 chars over the file "
        "(median of passes) | first pass | engine load (s) |",
        "|---|---:|---:|---:|---:|",
        f"| Civia | {chunk_ms['civia']} | {speeds['civia']} | {civia['ms_per_1000_chars']} "
        f"| {loads['civia']} |",
        f"| Presidio baseline | {chunk_ms['presidio']} | {speeds['presidio']} | "
        f"{base['ms_per_1000_chars']} | {loads['presidio']} |",
        "",
        "The file's texts are short (240 characters on average), so the per-call cost of "
        "the pipeline weighs more there than on 1,000-character texts. Civia's engine is "
        "built first, so its load time also pays the Python imports and cold model reads.",
        "",
        "Civia runs spaCy's NER and morphologizer only (parser and lemmatizer excluded); the "
        "baseline runs the whole pipeline. The machine is shared: timings move with its load.",
        "",
        "### Targets (recall)",
        "",
        "| type | target | Civia exact | Civia overlap | met |",
        "|---|---:|---:|---:|---|",
    ]
    for name, target in TARGETS.items():
        block = civia["per_type"][name]
        exact, overlap = block["exact"]["recall"] or 0.0, block["overlap"]["recall"] or 0.0
        md.append(f"| {name} | {target} | {exact:.3f} | {overlap:.3f} | "
                  f"{'yes' if exact >= target else 'no'} |")  # fmt: skip
    subsets = {
        src: {n: by_source(samples, sources, reports[n], src) for n in reports}
        for src in SUBSETS
        if src in n_source
    }
    before = json.loads(args.before.read_text("utf-8")) if args.before else None
    md += recall_summary(subsets, before, n_source)
    for src, held in subsets.items():
        held_types = [t for t in types if held["civia"]["per_type"][t]["support"]]
        md += [
            "",
            f"### Subset `{src}` ({n_source[src]} texts)",
            "",
            SUBSETS[src],
            "",
            "Exact match:",
            "",
            *table(held["civia"], held["presidio"], "exact", held_types),
            "",
            "Overlap match:",
            "",
            *table(held["civia"], held["presidio"], "overlap", held_types),
        ]
    md.append("")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(md), encoding="utf-8")
    raw: dict[str, Any] = {
        n: {k: v for k, v in r.items() if k != "results"} for n, r in reports.items()
    }
    raw["subsets"] = {src: held["civia"] for src, held in subsets.items()}
    args.out.with_suffix(".json").write_text(json.dumps(raw, indent=2), encoding="utf-8")
    print(f"-> {args.out}")


if __name__ == "__main__":
    main()
