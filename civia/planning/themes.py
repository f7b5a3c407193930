"""Free-text survey answers grouped into candidate use cases.

Two ways to propose groups: by shared keywords (deterministic, instant) or by the local model
(a background job, `civia.planning.jobs`). Either way the groups are only proposals: pilotage
accepts one (it becomes a portfolio candidate), renames it or discards it. The anonymity rule
holds here too: a group is kept only when `MIN_GROUP` answers or more fall in it, its size is
counted by this code (never by the model), and only the answers of the survey's published
results (whole groups of `MIN_GROUP`) are read.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.audit import journal as audit
from civia.planning import portfolio
from civia.planning.models import Candidate, Survey, SurveyAnswer, SurveyTheme
from civia.planning.survey import MIN_GROUP

# The free texts that describe work to help with (fears are not use cases).
FIELDS = ("irritant_other", "wishes", "ai_tasks")
METHODS = {"mots-cles": "mots-clés partagés", "modele": "proposition du modèle local"}
STATUSES = {"proposed": "À confirmer", "accepted": "Retenu", "discarded": "Écarté"}
MAX_EXAMPLES = 3
MAX_ITEMS = 200  # answers sent to the model at most (its context is small)
_STOPWORDS = """
    avec sans pour dans sur sous entre vers chez par plus moins tres trop tout tous toute toutes
    autre autres aussi ainsi alors apres avant deja encore jamais toujours souvent parfois
    comme comment quand quoi dont elle elles ils nous vous leur leurs cette ces ceux celle
    celles cela ceci etre avoir fait faire faut peut pouvoir veux voudrais voudrait aimerais
    serait etait sont sera suis avons avez ont plus meme memes bien beaucoup peu chaque
    notre nos votre vos mon mes ton tes son ses qui que quel quelle quels quelles une des les
    aux est pas non oui mais donc car puis afin lors selon depuis pendant moment temps
    chose choses travail aide aider outil outils utiliser utilise besoin gagner perdre
    personne
"""
STOPWORDS = frozenset(_STOPWORDS.split())


class ThemeError(ValueError):
    """Why a proposal or a decision was refused, in French."""


@dataclass(frozen=True)
class Item:
    answer: int  # position of the answer in the survey's published answers
    text: str


@dataclass(frozen=True)
class Group:
    title: str
    items: tuple[Item, ...]

    @property
    def size(self) -> int:
        """Answers in the group (one answer may give two texts on the same subject)."""
        return len({item.answer for item in self.items})


def items_of(db: Session, survey: Survey) -> list[Item]:
    """The free texts of the published answers (the same cut as `survey.results`)."""
    stmt = select(SurveyAnswer).where(SurveyAnswer.survey_id == survey.id)
    rows = list(db.scalars(stmt.order_by(SurveyAnswer.id)))
    rows = rows[: len(rows) // MIN_GROUP * MIN_GROUP]
    return [
        Item(i, " ".join(text.split()))
        for i, row in enumerate(rows)
        for name in FIELDS
        if (text := getattr(row, name) or "").strip()
    ]


def _plain(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _stem(word: str) -> str:
    """A crude French stem: plural marks and a final e dropped (courriels → courriel)."""
    for suffix in ("aux", "s", "x"):
        if word.endswith(suffix) and len(word) > 4:
            word = word[: -len(suffix)] + ("al" if suffix == "aux" else "")
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


WORD = re.compile(r"\[[A-Z_]+\d*\]|[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)


def _words(text: str) -> dict[str, str]:
    """Stem → the surface form first seen, for the content words of `text` (masked personal
    data such as [PERSONNE_1] and short or common words left out)."""
    found: dict[str, str] = {}
    for token in WORD.findall(text):
        if token.startswith("["):
            continue
        token = token.split("'")[-1].split("’")[-1]
        plain = _plain(token)
        if len(plain) < 4 or plain in STOPWORDS:
            continue
        found.setdefault(_stem(plain), token.casefold())
    return found


def by_keywords(items: list[Item], min_group: int = MIN_GROUP) -> list[Group]:
    """Greedy grouping: the word shared by the most answers (at least `min_group`) makes a
    group of every answer using it; repeat on the answers left. Ties: alphabetical. The title
    is the word and the one most often found beside it."""
    words = {id(item): _words(item.text) for item in items}
    left = list(items)
    groups: list[Group] = []
    while True:
        answers: dict[str, set[int]] = {}
        for item in left:
            for stem in words[id(item)]:
                answers.setdefault(stem, set()).add(item.answer)
        ranked = sorted(
            ((len(who), stem) for stem, who in answers.items() if len(who) >= min_group),
            key=lambda pair: (-pair[0], pair[1]),
        )
        if not ranked:
            return groups
        stem = ranked[0][1]
        members = [item for item in left if stem in words[id(item)]]
        groups.append(Group(_title(stem, members, words), tuple(members)))
        taken = {id(item) for item in members}
        left = [item for item in left if id(item) not in taken]


def _title(stem: str, members: list[Item], words: dict[int, dict[str, str]]) -> str:
    surface = Counter(words[id(m)][stem] for m in members).most_common(1)[0][0]
    beside = Counter(
        (s, words[id(m)][s]) for m in members for s in words[id(m)] if s != stem
    ).most_common()
    second = next((form for (s, form), n in beside if n >= 2), "")
    title = f"{surface} ({second})" if second else surface
    return title[:1].upper() + title[1:]


# --- The model's proposal (the prompt and the checks; the call is in `civia.planning.jobs`).

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "groupes": {
            "type": "array",
            "maxItems": 8,
            "items": {
                "type": "object",
                "properties": {
                    "titre": {"type": "string", "maxLength": 80},
                    "reponses": {"type": "array", "items": {"type": "integer"}, "maxItems": 200},
                },
                "required": ["titre", "reponses"],
            },
        }
    },
    "required": ["groupes"],
}
INSTRUCTIONS = (
    "Tu aides une collectivité à lire les réponses libres d'une enquête auprès de ses agents. "
    "Regroupe les réponses numérotées qui décrivent le même besoin, qui pourrait devenir un "
    "assistant d'IA (cas d'usage). Donne à chaque groupe un titre court (quelques mots, en "
    "français) et la liste des numéros de ses réponses. Une réponse va dans un seul groupe. "
    "Réponds uniquement en JSON."
)


def prompt(items: list[Item]) -> str:
    return "\n".join(f"{n}. {item.text[:300]}" for n, item in enumerate(items[:MAX_ITEMS], 1))


def from_model(text: str, items: list[Item], min_group: int = MIN_GROUP) -> list[Group]:
    """The model's JSON turned into groups: unknown numbers ignored, an item kept in its first
    group only, groups under `min_group` answers dropped. Raises ThemeError on bad JSON."""
    try:
        data = json.loads(text)
        proposed = data["groupes"]
        assert isinstance(proposed, list)
    except (ValueError, KeyError, TypeError, AssertionError):
        raise ThemeError("Le modèle n'a pas rendu de regroupement lisible.") from None
    used: set[int] = set()
    groups = []
    for entry in proposed:
        if not isinstance(entry, dict):
            continue
        title = " ".join(str(entry.get("titre", "")).split())[:200]
        numbers = entry.get("reponses") or []
        members = []
        for n in numbers if isinstance(numbers, list) else []:
            if isinstance(n, int) and 1 <= n <= min(len(items), MAX_ITEMS) and n not in used:
                used.add(n)
                members.append(items[n - 1])
        group = Group(title or "Groupe sans titre", tuple(members))
        if group.size >= min_group:
            groups.append(group)
    return groups


# --- Stored proposals and pilotage's decisions.


def save(db: Session, *, user: User, survey: Survey, groups: list[Group], method: str) -> int:
    """Replace the survey's pending proposals with `groups`; decided ones stay."""
    db.execute(
        delete(SurveyTheme).where(
            SurveyTheme.survey_id == survey.id, SurveyTheme.status == "proposed"
        )
    )
    for group in groups:
        if group.size < MIN_GROUP:  # the rule, whoever proposed the group
            continue
        examples = list(dict.fromkeys(item.text[:300] for item in group.items))[:MAX_EXAMPLES]
        db.add(
            SurveyTheme(
                survey_id=survey.id,
                tenant_id=survey.tenant_id,
                title=group.title[:200],
                size=group.size,
                examples=examples,
                method=method,
                status="proposed",
            )
        )
    db.flush()
    audit.record(
        db,
        tenant_id=survey.tenant_id,
        actor=user,
        action="planning.themes_proposed",
        target=f"survey:{survey.id}",
        details={"method": method, "groups": len(groups)},
    )
    return len(groups)


def listed(db: Session, survey: Survey) -> list[SurveyTheme]:
    stmt = select(SurveyTheme).where(SurveyTheme.survey_id == survey.id)
    return list(db.scalars(stmt.order_by(SurveyTheme.size.desc(), SurveyTheme.id)))


def get(db: Session, survey: Survey, theme_id: int) -> SurveyTheme | None:
    row = db.get(SurveyTheme, theme_id)
    return row if row is not None and row.survey_id == survey.id else None


def decide(
    db: Session, *, user: User, survey: Survey, theme: SurveyTheme, action: str, title: str = ""
) -> Candidate | None:
    """accept (with `title` if given: renamed) → a portfolio candidate; discard → kept as
    discarded. Only a proposal still to confirm can be decided."""
    if theme.status != "proposed":
        raise ThemeError("Ce regroupement a déjà été traité.")
    title = " ".join(title.split()) or theme.title
    candidate = None
    if action == "accept":
        if not 3 <= len(title) <= 200:
            raise ThemeError("Le titre doit faire entre 3 et 200 caractères.")
        if portfolio.find_by_title(db, user.tenant_id, title) is not None:
            raise ThemeError(f"« {title} » est déjà dans le portefeuille.")
        candidate = portfolio.create(
            db,
            user=user,
            title=title,
            description=(
                f"Besoin exprimé dans {theme.size} réponses libres de l'enquête "
                f"« {survey.title} » (regroupement : {METHODS.get(theme.method, theme.method)})."
            ),
            source="enquete",
        )
        theme.title, theme.status, theme.candidate_id = title, "accepted", candidate.id
    elif action == "discard":
        theme.status = "discarded"
    else:
        raise ThemeError("Action inconnue.")
    audit.record(
        db,
        tenant_id=survey.tenant_id,
        actor=user,
        action="planning.theme_decided",
        target=f"survey:{survey.id}",
        details={"theme": theme.id, "decision": theme.status},
    )
    return candidate
