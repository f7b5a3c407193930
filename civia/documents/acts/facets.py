"""The choices of the search filters, drawn from the acts the user may read."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from civia.documents.acts.access import Scope
from civia.documents.acts.filters import MATIERE_GROUPS
from civia.documents.acts.models import Act


@dataclass(frozen=True)
class Theme:
    value: str  # a code ("7.1"), a group ("7") or a local thème name
    label: str


@dataclass(frozen=True)
class Facets:
    collectivites: list[tuple[str, str, int]]  # (SIRET, name, acts)
    themes: list[tuple[str, list[Theme]]]  # (group label, thèmes)
    total: int


def facets(session: Session, scope: Scope) -> Facets:
    readable = Act.tenant_id.in_(scope.tenant_ids)
    collectivites = [
        (str(siret), str(name), int(n))
        for siret, name, n in session.execute(
            select(Act.coll_siret, func.max(Act.coll_name), func.count(Act.id))
            .where(readable, Act.coll_siret != "")
            .group_by(Act.coll_siret)
            .order_by(func.max(Act.coll_name))
        ).all()
    ]
    codes = session.execute(
        select(Act.matiere_code, func.max(Act.matiere_name))
        .where(readable, Act.matiere_code != "")
        .group_by(Act.matiere_code)
        .order_by(Act.matiere_code)
    ).all()
    groups: dict[str, list[Theme]] = {}
    for code, name in codes:
        group = str(code).split(".")[0]
        label = MATIERE_GROUPS.get(group, "Autres thèmes")
        if group in MATIERE_GROUPS and not groups.get(label):
            groups[label] = [Theme(group, f"{group} — {label} (tout le thème)")]
        sub = str(name).split("/", 1)[-1] if name else ""
        groups.setdefault(label, []).append(Theme(str(code), f"{code} {sub}".strip()))
    local = session.execute(
        select(Act.matiere_name)
        .where(readable, Act.matiere_code == "", Act.matiere_name != "")
        .group_by(Act.matiere_name)
        .order_by(Act.matiere_name)
    ).scalars()
    local_themes = [Theme(str(name), str(name)) for name in local]
    if local_themes:
        groups["Thèmes propres aux collectivités"] = local_themes
    total = int(session.execute(select(func.count(Act.id)).where(readable)).scalar_one())
    return Facets(collectivites, list(groups.items()), total)
