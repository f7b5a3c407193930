"""Grounded chat logic: relevance filter, citations, « not found », the prompt's shape."""

from __future__ import annotations

from civia.documents import chat as doc_chat
from civia.documents.grounding import NOT_FOUND_FR, Grounding, Relevance, Source


def source(number: int, dense: float | None, coverage: float, title: str = "Guide") -> Source:
    return Source(number=number, document_id=7, chunk_id=number, ordinal=number - 1, title=title,
                  heading="Horaires", page=2, page_end=2, text=f"Passage {number}.",
                  dense_score=dense, coverage=coverage)  # fmt: skip


def test_relevance_keeps_strong_matches_and_renumbers() -> None:
    grounding = Grounding("q", [source(1, 0.80, 0.2), source(2, 0.86, 0.1), source(3, None, 0.7)])
    kept = grounding.relevant_only(Relevance(min_dense=0.83, min_coverage=0.6))
    assert [s.number for s in kept.sources] == [1, 2]
    assert [s.chunk_id for s in kept.sources] == [2, 3]
    assert not Grounding("q", [source(1, 0.7, 0.1)]).relevant_only().found


def test_cited_and_shown_sources() -> None:
    grounding = Grounding("q", [source(1, 0.9, 1.0), source(2, 0.9, 1.0, "Autre")])
    assert [s.number for s in doc_chat.cited("Ouvert le samedi [2], [2][9].", grounding)] == [2]
    assert doc_chat.shown_sources("Ouvert le samedi [1].", grounding) == (
        True,
        [grounding.sources[0]],
    )
    found, shown = doc_chat.shown_sources("Ouvert le samedi.", grounding)
    assert found and len(shown) == 2  # uncited but answered from them: all are shown
    assert doc_chat.shown_sources(f"« {NOT_FOUND_FR} »", grounding) == (False, [])
    data = doc_chat.source_dict(grounding.sources[0])
    assert data["url"] == "/documents/7#passage-0" and data["where"] == "p. 2, Horaires"


def test_prompt_numbers_the_extracts_and_keeps_the_rules() -> None:
    grounding = Grounding("Quand ?", [source(1, 0.9, 1.0)])
    messages = doc_chat.prompt(grounding, "Quand ouvre la déchèterie ?", [], "Tu es Civia.")
    assert messages[0].role == "system" and NOT_FOUND_FR in messages[0].content
    assert messages[0].content.startswith("Tu es Civia.")
    assert messages[-1].content.startswith("Extraits numérotés :\n\n[1] Guide (p. 2, Horaires)")
    assert "Question : Quand ouvre la déchèterie ?" in messages[-1].content


def test_uncited_sources_are_labelled_as_consulted() -> None:
    from civia.web.grounded import sources_html

    grounding = Grounding("q", [source(1, 0.9, 1.0)])
    cited_html = sources_html(True, [doc_chat.source_dict(grounding.sources[0])])
    consulted = sources_html(True, [doc_chat.source_dict(grounding.sources[0], cited=False)])
    assert "<strong>Sources</strong>" in cited_html and "Extraits consultés" in consulted
    assert 'href="/documents/7#passage-0"' in consulted
