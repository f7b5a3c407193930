"""Chunking keeps headings, pages and offsets."""

from __future__ import annotations

import itertools

from civia.documents.chunking import ChunkSettings, chunk_blocks
from civia.documents.extract import Block, extract
from tests.documents.files import make_pdf


def test_chunks_follow_sections_and_keep_headings() -> None:
    blocks = [
        Block("Règlement", ("Règlement",), kind="heading"),
        Block("Article 1", ("Règlement", "Article 1"), kind="heading"),
        Block("Le stationnement est gratuit le dimanche. " * 3, ("Règlement", "Article 1")),
        Block("Article 2", ("Règlement", "Article 2"), kind="heading"),
        Block("Les terrasses ferment à 23 heures. " * 3, ("Règlement", "Article 2")),
    ]
    chunks = chunk_blocks(blocks, ChunkSettings(target_chars=400, max_chars=600, min_chars=50))
    assert [c.heading for c in chunks] == ["Règlement > Article 1", "Règlement > Article 2"]
    assert chunks[0].text.startswith("Règlement\n\nArticle 1\n\nLe stationnement")
    assert all(c.meta["sections"] for c in chunks)
    assert [c.ordinal for c in chunks] == [0, 1]


def test_long_blocks_are_split_on_sentences_with_offsets() -> None:
    sentence = "Le conseil municipal approuve la convention de mise à disposition. "
    text = sentence * 60
    chunks = chunk_blocks([Block(text)], ChunkSettings(target_chars=500, max_chars=800))
    assert len(chunks) > 4
    assert all(len(c.text) <= 800 for c in chunks)
    assert all(c.text.endswith("disposition.") for c in chunks[:-1])
    for chunk in chunks:
        assert text[chunk.char_start : chunk.char_end] == chunk.text


def test_pdf_chunks_carry_page_numbers() -> None:
    pages = [[f"Page {n} : la commune entretient le chemin numéro {n}."] for n in range(1, 6)]
    extracted = extract(make_pdf(pages), "chemins.pdf")
    settings = ChunkSettings(target_chars=60, max_chars=200, min_chars=10)
    chunks = chunk_blocks(extracted.blocks, settings)
    assert [c.page for c in chunks] == [1, 2, 3, 4, 5]
    merged = chunk_blocks(extracted.blocks, ChunkSettings(target_chars=2000, min_chars=1000))
    assert len(merged) == 1
    assert (merged[0].page, merged[0].page_end) == (1, 5)
    assert merged[0].meta["pages"] == [1, 2, 3, 4, 5]


def test_balanced_split_gives_even_parts_and_keeps_offsets() -> None:
    sentence = "Le conseil municipal approuve la convention. "  # 45 characters
    text = sentence * 15  # 675 characters: one part of 600 and a scrap without balancing
    greedy = chunk_blocks([Block(text)], ChunkSettings(target_chars=500, max_chars=600))
    even = chunk_blocks(
        [Block(text)], ChunkSettings(target_chars=500, max_chars=600, balanced=True)
    )
    assert sorted(len(c.text) for c in greedy)[0] < 100
    assert [len(c.text) for c in even] in ([359, 314], [314, 359])
    for chunk in even:
        assert text[chunk.char_start : chunk.char_end] == chunk.text


def test_overlap_repeats_the_previous_parts_last_sentences() -> None:
    text = " ".join(f"Phrase numéro {n} du règlement intérieur." for n in range(40))
    settings = ChunkSettings(target_chars=300, max_chars=400, balanced=True, overlap_chars=100)
    chunks = chunk_blocks([Block(text)], settings)
    assert len(chunks) > 3
    for before, after in itertools.pairwise(chunks):
        repeated = text[after.char_start : before.char_end]
        assert 0 < len(repeated) <= 100  # the parts overlap, within the limit
        assert repeated.startswith("Phrase") and before.text.endswith(repeated)  # sentences
        assert after.text.startswith(repeated)
        assert after.char_end > before.char_end  # and each brings new text
    for chunk in chunks:
        assert text[chunk.char_start : chunk.char_end] == chunk.text
    assert chunks[-1].text.endswith("règlement intérieur.")
