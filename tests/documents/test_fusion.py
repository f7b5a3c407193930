"""Fusion of the rankers' lists, without a model or a database."""

from __future__ import annotations

from civia.documents.matches import Match
from civia.documents.search import (
    PER_DOCUMENT_FUSION,
    Candidates,
    SearchSettings,
    document_lexical_scores,
    fuse,
)


def _documents(ranked: list[tuple[int, float]], owners: dict[int, int]) -> list[int]:
    seen: list[int] = []
    for chunk_id, _ in ranked:
        if owners[chunk_id] not in seen:
            seen.append(owners[chunk_id])
    return seen


# Document 1: one passage with the best scores. Document 2: three passages just below it.
OWNERS = {10: 1, 20: 2, 21: 2, 22: 2}
LEXICAL = [Match(10, 10.0, 1), Match(20, 9.5, 2), Match(21, 8.0, 2), Match(22, 7.0, 2)]
DENSE = [Match(10, 0.90, 1), Match(20, 0.89, 2), Match(21, 0.80, 2), Match(22, 0.50, 2)]


def test_a_document_matching_in_several_passages_overtakes_one_lucky_passage() -> None:
    alone = fuse(Candidates(LEXICAL, DENSE), SearchSettings(document_lexical=0.0))
    assert _documents(alone, OWNERS) == [1, 2]
    default = fuse(Candidates(LEXICAL, DENSE), SearchSettings())
    assert _documents(default, OWNERS) == [2, 1]
    # A document's own passages keep their order: the passage cited does not change.
    assert [c for c, _ in default if OWNERS[c] == 2] == [20, 21, 22]
    assert [c for c, _ in alone if OWNERS[c] == 2] == [20, 21, 22]


def test_document_score_counts_only_the_best_few_chunks() -> None:
    # Document 7: five weak matches; document 8: one strong one. Summing every chunk would
    # favour the long document; three at most keeps it behind.
    lexical = [Match(80, 10.0, 8)] + [Match(70 + i, 3.0, 7) for i in range(5)]
    assert document_lexical_scores(lexical, 3) == {8: 1.0, 7: 0.9}
    assert document_lexical_scores(lexical, 10) == {8: 10.0 / 15.0, 7: 1.0}
    assert document_lexical_scores([], 3) == {}


def test_per_document_lists_and_rrf_are_left_as_they_were() -> None:
    per_document = [Match(1, 10.0, 1), Match(2, 9.0, 2)]
    dense = [Match(2, 0.9, 2), Match(1, 0.5, 1)]
    plain = fuse(Candidates(per_document, dense), SearchSettings(document_lexical=0.0))
    assert fuse(Candidates(per_document, dense), PER_DOCUMENT_FUSION) == plain
    rrf = SearchSettings(fusion="rrf")
    assert fuse(Candidates(LEXICAL, DENSE), rrf) == fuse(
        Candidates(LEXICAL, DENSE), SearchSettings(fusion="rrf", document_lexical=0.0)
    )
