"""What the notice says once « Relever maintenant »'s jobs are followed (the routes around it
are in test_routes.py)."""

from __future__ import annotations

from civia.mailbox.follow import LATER_FR, Followed, job_ids


def test_the_notice_says_how_the_analysis_ended() -> None:
    assert Followed(0).notice() == "0 nouveau message relevé."
    assert Followed(2).notice() == "2 nouveaux messages relevés."  # no job of its own to follow
    assert Followed(2, taken=2, waiting=True).notice() == (
        "2 nouveaux messages relevés ; analyse en cours."
    )
    assert Followed(2, taken=2).notice() == "2 nouveaux messages relevés ; analyse terminée."
    assert Followed(3, taken=3, failed=2).notice() == (
        "3 nouveaux messages relevés ; analyse terminée : 2 messages en échec, à relancer depuis "
        "la file."
    )
    # More than a job takes (20 per mailbox): the rest is the periodic analysis's.
    assert Followed(25, taken=20).notice() == (
        "25 nouveaux messages relevés ; analyse de 20 d'entre eux terminée, les autres suivront."
    )
    late = Followed(1, taken=1, waiting=True, late=True)
    assert late.notice() == f"1 nouveau message relevé. {LATER_FR}" and not late.asks


def test_only_addresses_civia_writes_name_jobs() -> None:
    assert job_ids("13,12,13") == [12, 13]
    for odd in ("", "12,", "²", "1;2", ",".join(["1"] * 51), "9" * 19):
        assert job_ids(odd) == []
