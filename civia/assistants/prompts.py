"""The prompt library: agents keep prompts with {{variables}}, share them, fill them at use.

Variables are plain placeholders (`{{ nom de l'élu }}` works), replaced as text: a prompt is never
run as a template, so a shared prompt cannot execute anything.
"""

from __future__ import annotations

import re

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.assistants.models import SavedPrompt
from civia.assistants.spec import Sharing

VARIABLE = re.compile(r"{{\s*([^{}\n]{1,60}?)\s*}}")
MAX_TITLE, MAX_BODY, MAX_VALUE, MAX_VARIABLES = 200, 8000, 4000, 20
SHARING_LABELS = {
    Sharing.PERSONAL.value: "Moi seul",
    Sharing.SERVICE.value: "Mon service",
    Sharing.TENANT.value: "Toute la collectivité",
}


class PromptError(ValueError):
    """`errors` maps an input name to a French message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def variables(body: str) -> list[str]:
    """Each variable once, in order of appearance."""
    return list(dict.fromkeys(m.strip() for m in VARIABLE.findall(body)))


def fill(body: str, values: dict[str, str]) -> str:
    errors = {
        name: f"Renseignez « {name} »."
        for name in variables(body)
        if not values.get(name, "").strip()
    }
    errors |= {
        name: f"« {name} » dépasse {MAX_VALUE} caractères."
        for name in variables(body)
        if len(values.get(name, "")) > MAX_VALUE
    }
    if errors:
        raise PromptError(errors)
    return VARIABLE.sub(lambda m: values[m.group(1).strip()].strip(), body)


def visible(db: Session, *, user: User) -> list[SavedPrompt]:
    """Mine, my service's shared ones, and the collectivité's."""
    mine_or_shared = or_(
        SavedPrompt.user_id == user.id,
        SavedPrompt.sharing == Sharing.TENANT.value,
        (SavedPrompt.sharing == Sharing.SERVICE.value)
        & (SavedPrompt.service_id == user.service_id)
        & SavedPrompt.service_id.is_not(None),
    )
    stmt = select(SavedPrompt).where(SavedPrompt.tenant_id == user.tenant_id, mine_or_shared)
    return list(db.scalars(stmt.order_by(SavedPrompt.title, SavedPrompt.id)))


def get_visible(db: Session, *, user: User, prompt_id: int) -> SavedPrompt | None:
    return next((p for p in visible(db, user=user) if p.id == prompt_id), None)


def get_owned(db: Session, *, user: User, prompt_id: int) -> SavedPrompt | None:
    return db.scalar(
        select(SavedPrompt).where(
            SavedPrompt.id == prompt_id,
            SavedPrompt.user_id == user.id,
            SavedPrompt.tenant_id == user.tenant_id,
        )
    )


def _checked(user: User, title: str, body: str, sharing: str) -> tuple[str, str, Sharing]:
    errors: dict[str, str] = {}
    title, body = title.strip(), body.strip()
    if not title:
        errors["title"] = "Donnez un titre à ce prompt."
    elif len(title) > MAX_TITLE:
        errors["title"] = f"Le titre fait {len(title)} caractères ; maximum {MAX_TITLE}."
    if not body:
        errors["body"] = "Le texte du prompt est vide."
    elif len(body) > MAX_BODY:
        errors["body"] = f"Le texte fait {len(body)} caractères ; maximum {MAX_BODY}."
    elif len(variables(body)) > MAX_VARIABLES:
        errors["body"] = f"Au plus {MAX_VARIABLES} variables {{{{ … }}}} par prompt."
    try:
        scope = Sharing(sharing)
    except ValueError:
        scope = Sharing.PERSONAL
        errors["sharing"] = "Choisissez avec qui partager ce prompt."
    if scope is Sharing.SERVICE and user.service_id is None:
        errors["sharing"] = "Votre compte n'est rattaché à aucun service : partagez-le autrement."
    if errors:
        raise PromptError(errors)
    return title, body, scope


def create(db: Session, *, user: User, title: str, body: str, sharing: str) -> SavedPrompt:
    title, body, scope = _checked(user, title, body, sharing)
    prompt = SavedPrompt(
        tenant_id=user.tenant_id,
        user_id=user.id,
        service_id=user.service_id,
        title=title,
        body=body,
        sharing=scope.value,
    )
    db.add(prompt)
    db.flush()
    return prompt


def update(
    db: Session, *, user: User, prompt: SavedPrompt, title: str, body: str, sharing: str
) -> None:
    if prompt.user_id != user.id:
        raise PromptError({"": "Seul l'auteur d'un prompt peut le modifier."})
    prompt.title, prompt.body, scope = _checked(user, title, body, sharing)
    prompt.sharing = scope.value
    prompt.service_id = user.service_id
    db.flush()


def delete(db: Session, *, user: User, prompt: SavedPrompt) -> None:
    if prompt.user_id != user.id:
        raise PromptError({"": "Seul l'auteur d'un prompt peut le supprimer."})
    db.delete(prompt)
    db.flush()
