"""Erasure of a person cited in others' texts, across every store, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from civia.assistants.models import AssistantRun, SavedPrompt
from civia.audit.models import AuditEntry
from civia.chat.models import Conversation, Message
from civia.db.engine import session_scope
from civia.documents import storage
from civia.documents.ingest import ingest_bytes
from civia.documents.lexical import lexical_search, query_terms
from civia.documents.models import Chunk, Collection, Document, SearchIndexState
from civia.governance import citizen_erasure, incidents, usecases
from civia.governance.models import UseCaseComment
from civia.jobs import queue
from civia.jobs.models import Job
from civia.jobs.worker import Worker
from civia.plugins.registries import Governance
from civia.privacy.mentions import Subject
from civia.settings import Settings
from tests.conftest import Personas
from tests.governance.conftest import user
from tests.governance.test_usecases import full_card

JEANNE = Subject(
    last_name="Dupont", first_names="Jeanne", civility="madame", address="12 rue des Lilas"
)
NOTE = (
    "Note de la commission logement.\n\nMme Jeanne Dupont, 12 rue des Lilas, demande un "
    "logement adapté. Jeanne rappellera lundi. Le dossier de M. Martin est complet."
)


def _conversation(db: Session, login: str, *texts: str) -> Conversation:
    owner = user(db, login)
    conv = Conversation(tenant_id=owner.tenant_id, user_id=owner.id, title="Réponse à Mme Dupont")
    db.add(conv)
    db.flush()
    for i, content in enumerate(texts):
        db.add(
            Message(
                conversation_id=conv.id, role="user" if i % 2 == 0 else "assistant", content=content
            )
        )
    db.flush()
    return conv


def seed(db: Session, people: Personas) -> dict[str, int]:
    conv = _conversation(
        db, "agent", "Rédige une réponse à Mme Jeanne DUPONT qui habite au 12 rue des Lilas.",
        "Madame Dupont, nous avons bien reçu votre demande.", "Merci, et pour M. Martin ?",
    )  # fmt: skip
    other = _conversation(db, "carol", "Mme Jeanne Dupont (autre commune)")
    agent = user(db, "agent")
    run = AssistantRun(
        tenant_id=agent.tenant_id, user_id=agent.id, assistant_id="courrier",
        inputs={"destinataire": "Jeanne Dupont", "objet": "Logement"},
        data={"corps": ["Madame Dupont,", "votre dossier…"]},
        draft="Madame Dupont,\nvotre dossier est complet.", final_text="Chère Mme J. Dupont,",
    )  # fmt: skip
    prompt = SavedPrompt(
        tenant_id=agent.tenant_id, user_id=agent.id, title="Dossier Dupont Jeanne", body="Relancer."
    )
    db.add_all([run, prompt])
    incident = incidents.report(
        db, reporter=agent, kind="data_leak", description="Le modèle a cité Jeanne Dupont à tort."
    )
    case = usecases.create(db, actor=user(db, "referent"), card=full_card(people))
    db.add(UseCaseComment(use_case_id=case.id, author_id=user(db, "comite").id,
                          body="Exemple vu : le cas de J. Dupont."))  # fmt: skip
    collection = Collection(tenant_id=agent.tenant_id, scope="tenant", name="Commission")
    db.add(collection)
    db.flush()
    doc = ingest_bytes(
        db, collection=collection, filename="note-jeanne-dupont.txt", data=NOTE.encode()
    )
    for chunk in doc.chunks:
        chunk.embedding, chunk.embedding_model, chunk.vector_version = b"\x00" * 8, "test", 1
    db.flush()
    return {"conv": conv.id, "other": other.id, "run": run.id, "prompt": prompt.id,
            "incident": incident.id, "doc": doc.id, "collection": collection.id}  # fmt: skip


def test_search_finds_every_store_and_masks_excerpts(
    db: Session, people: Personas, hooks: Governance
) -> None:
    ids = seed(db, people)
    found = citizen_erasure.search(db, dpo=user(db, "dpo"), subject=JEANNE, hooks=hooks)
    keys = {f.ref for f in found.items}
    assert keys == {
        f"conversations|conversation:{ids['conv']}:title",
        *(f"conversations|message:{m}:content" for m in _messages(db, ids["conv"])[:2]),
        f"runs|run:{ids['run']}:inputs", f"runs|run:{ids['run']}:data",
        f"runs|run:{ids['run']}:draft", f"runs|run:{ids['run']}:final_text",
        f"prompts|prompt:{ids['prompt']}:title",
        f"incidents|incident:{ids['incident']}:description",
        *(f"comments|comment:{c}:body" for c in db.scalars(select(UseCaseComment.id))),
        f"documents|document:{ids['doc']}:filename",
        f"documents|document:{ids['doc']}:title",
        *(f"documents|chunk:{c}:text" for c in db.scalars(select(Chunk.id))),
    }  # fmt: skip
    # Autreville's conversation is not searched; "M. Martin" is nobody's concern here.
    assert not any(f"conversation:{ids['other']}" in k for k in keys)
    first = next(f for f in found.items if f.key.startswith("message:"))
    assert first.owner == "Agent (agent)" and "Conversation n° " in first.where
    assert first.excerpt == "Rédige une réponse à [M… J… D…] qui habite au [1… r… d… L…]."
    assert all("Dupont" not in f.where for f in found.items)
    assert found.variants[:4] == ["Jeanne Dupont", "Dupont Jeanne", "J. Dupont", "Dupont J."]
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "dsr.search"))
    assert entry is not None and entry.details["found"]["conversations"] == 3
    assert "Dupont" not in json.dumps(entry.details) and "Lilas" not in json.dumps(entry.details)


def test_erase_redacts_reindexes_and_drops_vectors(
    db: Session, people: Personas, hooks: Governance
) -> None:
    ids = seed(db, people)
    dpo = user(db, "dpo")
    found = citizen_erasure.search(db, dpo=dpo, subject=JEANNE, hooks=hooks)
    keep = next(f.ref for f in found.items if f.ref.endswith(":final_text"))  # left unticked
    counts = citizen_erasure.erase(
        db, dpo=dpo, subject=JEANNE, refs=[f.ref for f in found.items if f.ref != keep], hooks=hooks
    )
    assert counts["conversations"] == 4 and counts["documents"] >= 3
    messages = [db.get(Message, m).content for m in _messages(db, ids["conv"])]  # type: ignore[union-attr]
    assert messages[0] == "Rédige une réponse à [personne effacée] qui habite au [adresse effacée]."
    assert messages[1] == "[personne effacée], nous avons bien reçu votre demande."
    assert db.get(Conversation, ids["conv"]).title == "Réponse à [personne effacée]"  # type: ignore[union-attr]
    run = db.get(AssistantRun, ids["run"])
    assert run is not None and run.inputs["destinataire"] == "[personne effacée]"
    assert run.data == {"corps": ["[personne effacée],", "votre dossier…"]}
    assert run.final_text == "Chère Mme J. Dupont,"  # not ticked: kept
    assert "Dupont" not in db.get(SavedPrompt, ids["prompt"]).title  # type: ignore[union-attr]
    assert db.get(Conversation, ids["other"]) is not None
    other = db.scalars(select(Message.content).where(Message.conversation_id == ids["other"]))
    assert list(other) == ["Mme Jeanne Dupont (autre commune)"]  # another collectivité

    doc = db.get(Document, ids["doc"])
    assert doc is not None and doc.filename == "note-[personne effacée].txt"
    chunk = db.scalars(select(Chunk).where(Chunk.document_id == doc.id)).first()
    assert chunk is not None and "Dupont" not in chunk.text and "Jeanne" not in chunk.text
    assert "M. Martin" in chunk.text
    assert chunk.embedding is None and chunk.embedding_model == ""
    assert "dupont" not in chunk.search_text and "lilas" not in chunk.search_text
    coll = [ids["collection"]]
    assert lexical_search(db, query_terms("Dupont"), collection_ids=coll) == []
    assert lexical_search(db, query_terms("commission logement"), collection_ids=coll) != []
    assert db.scalar(select(SearchIndexState.purge_version)) == 1
    job = db.scalar(select(Job).where(Job.kind == "governance.reembed"))
    assert job is not None and job.tenant_id == dpo.tenant_id

    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "dsr.redact"))
    assert entry is not None and entry.details["replacements"]["runs"] == 3
    assert "Dupont" not in json.dumps(entry.details)
    again = citizen_erasure.search(db, dpo=dpo, subject=JEANNE, hooks=hooks)
    assert [f.ref for f in again.items] == [keep]


def test_a_forged_key_of_another_tenant_changes_nothing(
    db: Session, people: Personas, hooks: Governance
) -> None:
    ids = seed(db, people)
    carol_message = _messages(db, ids["other"])[0]
    olivia = user(db, "olivia")  # admin of Autreville… but erase only looks at the DPO's tenant
    counts = citizen_erasure.erase(
        db, dpo=user(db, "dpo"), subject=JEANNE, refs=[f"conversations|message:{carol_message}:content",
                                                       "nowhere|x:1:y", "runs|run:abc:draft"],
        hooks=hooks,
    )  # fmt: skip
    assert counts == {} and olivia.tenant_id != user(db, "dpo").tenant_id
    assert "Dupont" in db.get(Message, carol_message).content  # type: ignore[union-attr]


def test_the_subject_is_checked(db: Session, people: Personas, hooks: Governance) -> None:
    with pytest.raises(citizen_erasure.SubjectError, match="nom de famille"):
        citizen_erasure.search(
            db, dpo=user(db, "dpo"), subject=Subject(last_name=" D "), hooks=hooks
        )


def test_excerpt_keeps_a_few_words_around() -> None:
    sentence = "Bonjour " * 20 + "Jeanne Dupont" + " merci" * 20
    start = sentence.index("Jeanne")
    cut = citizen_erasure.excerpt(sentence, [(start, start + len("Jeanne Dupont"))])
    assert cut.startswith("…") and cut.endswith("…") and "[J… D…]" in cut and len(cut) < 160


def _messages(db: Session, conv_id: int) -> list[int]:
    return list(
        db.scalars(
            select(Message.id).where(Message.conversation_id == conv_id).order_by(Message.id)
        )
    )


def test_sqlite_fts_follows_the_redaction(db: Session, people: Personas, hooks: Governance) -> None:
    if db.get_bind().dialect.name != "sqlite":
        pytest.skip("the FTS5 table is SQLite's; PostgreSQL indexes an expression")
    seed(db, people)
    dpo = user(db, "dpo")
    found = citizen_erasure.search(db, dpo=dpo, subject=JEANNE, hooks=hooks)
    citizen_erasure.erase(
        db, dpo=dpo, subject=JEANNE, refs=[f.ref for f in found.items], hooks=hooks
    )
    hits = db.scalar(
        text("SELECT count(*) FROM doc_chunks_fts WHERE doc_chunks_fts MATCH '\"dupont\"'")
    )
    assert hits == 0
    assert db.scalar(select(func.count()).select_from(Chunk)) >= 1


def test_the_job_gives_redacted_passages_their_vectors_back(
    factory: sessionmaker[Session], people: Personas, tmp_path: Path, hooks: Governance
) -> None:
    """The real bundled embedder, run by the real worker, on the dropped vectors."""
    with session_scope(factory) as db:
        seed(db, people)
        dpo = user(db, "dpo")
        found = citizen_erasure.search(db, dpo=dpo, subject=JEANNE, hooks=hooks)
        citizen_erasure.erase(
            db, dpo=dpo, subject=JEANNE, refs=[f.ref for f in found.items], hooks=hooks
        )
    settings = Settings(data_dir=tmp_path, database_url="sqlite://")
    assert Worker(factory, settings, {}).run_once("ingestion")
    with session_scope(factory) as db:
        job = db.scalar(select(Job).where(Job.kind == "governance.reembed"))
        assert job is not None and job.status == "done", job and job.error
        chunks = db.scalars(select(Chunk)).all()
        assert chunks and all(c.embedding and c.embedding_model for c in chunks)


def test_newer_run_columns_and_job_payloads_are_searched(
    db: Session, people: Personas, hooks: Governance
) -> None:
    """What a run read (attachments) and its warning; a job's payload naming a file."""
    agent = user(db, "agent")
    run = AssistantRun(
        tenant_id=agent.tenant_id, user_id=agent.id, assistant_id="extraction",
        attachments={"fichier": {"filename": "releve-jeanne-dupont.pdf", "kind": "tables",
                                 "blocks": [{"text": "Titulaire : Jeanne Dupont", "page": 2}]}},
        warning="2 lignes de Mme Dupont non classées.",
    )  # fmt: skip
    db.add(run)
    db.flush()
    job = queue.enqueue(db, tenant_id=agent.tenant_id, user_id=agent.id, kind="documents.analyse",
                        queue="ingestion", payload={"document_id": 7, "name": "jeanne-dupont.pdf"})  # fmt: skip
    dpo = user(db, "dpo")
    found = citizen_erasure.search(db, dpo=dpo, subject=JEANNE, hooks=hooks)
    refs = {f.ref for f in found.items}
    assert refs == {f"runs|run:{run.id}:attachments", f"runs|run:{run.id}:warning",
                    f"jobs|job:{job.id}:payload"}  # fmt: skip
    assert citizen_erasure.erase(db, dpo=dpo, subject=JEANNE, refs=sorted(refs), hooks=hooks) == {
        "runs": 3, "jobs": 1}  # fmt: skip
    db.expire_all()
    kept = db.get(AssistantRun, run.id)
    assert kept is not None and kept.warning == "2 lignes de [personne effacée] non classées."
    block = kept.attachments["fichier"]["blocks"][0]
    assert block == {"text": "Titulaire : [personne effacée]", "page": 2}
    assert kept.attachments["fichier"]["filename"] == "releve-[personne effacée].pdf"
    assert db.get(Job, job.id).payload == {"document_id": 7, "name": "[personne effacée].pdf"}  # type: ignore[union-attr]


def test_a_redacted_document_loses_its_original_file(
    db: Session, people: Personas, tmp_path: Path, hooks: Governance
) -> None:
    ids = seed(db, people)
    original = storage.path_of(tmp_path, user(db, "agent").tenant_id, ids["doc"])
    original.parent.mkdir(parents=True)
    original.write_bytes(NOTE.encode())
    dpo = user(db, "dpo")
    found = citizen_erasure.search(db, dpo=dpo, subject=JEANNE, hooks=hooks)
    title_only = [f.ref for f in found.items if f.ref.startswith("documents|document:")]
    citizen_erasure.erase(db, dpo=dpo, subject=JEANNE, refs=title_only, hooks=hooks)
    assert original.exists()  # only its name was redacted: the content was not asked for
    passages = [f.ref for f in found.items if f.ref.startswith("documents|chunk:")]
    citizen_erasure.erase(db, dpo=dpo, subject=JEANNE, refs=passages, hooks=hooks)
    assert not original.exists()  # it still named the person
    assert db.get(Document, ids["doc"]) is not None


def test_searching_without_the_hooks_fails_loudly() -> None:
    with pytest.raises(RuntimeError, match="no text stores"):
        citizen_erasure.stores(Governance())
