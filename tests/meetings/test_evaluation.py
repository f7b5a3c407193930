"""WER normalisation and corpus-level counting (no model needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from civia.meetings.evaluation import corpus_wer, find_clips, normalize_text


def test_normalize_lowercases_and_strips_punctuation() -> None:
    assert normalize_text("Bonjour, Monsieur le Maire !") == "bonjour monsieur le maire"


def test_normalize_folds_apostrophes_and_hyphens() -> None:
    text = "Il a ajouté qu’« on ne devrait-il pas » l'avis des États‑Unis"
    assert normalize_text(text) == "il a ajouté qu on ne devrait il pas l avis des états unis"


def test_normalize_collapses_spaces_and_keeps_accents() -> None:
    assert normalize_text("  délibération   n°12\n\tarrêté  ") == "délibération n 12 arrêté"


def test_normalize_is_the_same_on_both_sides() -> None:
    assert corpus_wer(["L'accident a eu lieu."], ["l’accident a eu lieu"]) == 0.0


def test_wer_on_known_strings() -> None:
    # one substitution, one deletion over 3 + 4 reference words
    wer = corpus_wer(["le chat dort", "un deux trois quatre"], ["le chien dort", "un deux trois"])
    assert wer == pytest.approx(2 / 7)


def test_wer_is_corpus_level_not_a_mean_of_clips() -> None:
    refs = ["un", "un deux trois quatre cinq six sept huit neuf"]
    hyps = ["deux", "un deux trois quatre cinq six sept huit neuf"]
    assert corpus_wer(refs, hyps) == pytest.approx(1 / 10)  # the mean of clips would be 0.5


def test_wer_counts_insertions() -> None:
    assert corpus_wer(["le conseil"], ["le conseil municipal"]) == pytest.approx(0.5)


def test_wer_rejects_mismatched_lists() -> None:
    with pytest.raises(ValueError):
        corpus_wer(["a"], [])


def test_find_clips_needs_a_same_named_reference(tmp_path: Path) -> None:
    (tmp_path / "a.ogg").write_bytes(b"x")
    (tmp_path / "a.txt").write_text(" la référence \n", encoding="utf-8")
    (tmp_path / "b.mp3").write_bytes(b"x")  # no reference
    (tmp_path / "c.txt").write_text("orphan", encoding="utf-8")  # no audio
    (tmp_path / "d.pdf").write_bytes(b"x")
    (tmp_path / "d.txt").write_text("not audio", encoding="utf-8")
    clips = find_clips(tmp_path)
    assert [clip.audio.name for clip in clips] == ["a.ogg"]
    assert clips[0].reference == "la référence"
