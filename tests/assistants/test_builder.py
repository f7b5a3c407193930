"""The builder's data functions: versions, diff, rollback, review, French errors, YAML import."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.orm import Session

from civia.assistants import access, builder
from civia.assistants.builder import BuilderError, Conflict
from civia.assistants.catalogue import builtins
from civia.assistants.models import AssistantDefinition
from civia.assistants.spec import AssistantSpec, Sensitivity, Sharing
from civia.db.engine import session_scope
from civia.settings import Settings
from tests.conftest import Personas

SPEC: dict[str, Any] = {
    "id": "courrier-voirie", "name": "Courrier voirie", "description": "Réponses aux riverains.",
    "category": "Courrier", "instructions": "Tu rédiges les courriers du service voirie.",
    "prompt": "Objet : {{ objet }}", "fields": [{"name": "objet", "label": "Objet"}],
}  # fmt: skip
ENGLISH = ("Field required", "Input should", "String should", "Extra inputs", "Value error")


@pytest.fixture
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """SQLite, or SQLite and PostgreSQL for tests asking for `db_url` (versioning relies on a
    conditional UPDATE and the slug on a unique constraint)."""
    url = f"sqlite:///{tmp_path / 'civia.db'}"
    if "db_url" in request.fixturenames:
        url = request.getfixturevalue("db_url")
    return Settings(data_dir=tmp_path, database_url=url, max_tokens=8)


@pytest.fixture
def db(client: Any) -> Iterator[Session]:
    with session_scope(client.app.state.sessions) as session:
        yield session


def _spec(**change: Any) -> AssistantSpec:
    return builder.validate({**SPEC, **change})


def _created(db: Session, personas: Personas, login: str = "referent", **change: Any):
    row = builder.create(db, user=personas[login], spec=_spec(**change))
    db.flush()
    return row


def test_each_save_is_a_version_with_diff_and_rollback(
    db: Session, personas: Personas, db_url: str
) -> None:
    referent = personas["referent"]
    row = _created(db, personas)
    assert (row.version, row.status, row.sharing) == (1, "draft", "service")
    assert row.owner_service_id == personas.service_a.id
    new = _spec(instructions="Tu rédiges des courriers courtois du service voirie.")
    assert builder.save(
        db, user=referent, row=row, spec=new, sharing=Sharing.SERVICE, base_version=1
    )
    assert [v.version for v in builder.versions(db, row=row)] == [2, 1]

    v1, v2 = (builder.version(db, row=row, number=n) for n in (1, 2))
    assert v1 is not None and v2 is not None
    lines = builder.diff(v1, v2)
    assert ("del", "instructions: Tu rédiges les courriers du service voirie.") in [
        (x.kind, x.text) for x in lines
    ]
    assert any(x.kind == "add" and "courtois" in x.text for x in lines)
    assert not any(x.kind in ("add", "del") and "name:" in x.text for x in lines)

    assert builder.rollback(db, user=referent, row=row, number=1)
    assert row.version == 3 and row.spec == v1.spec
    assert builder.versions(db, row=row)[0].note == "Retour à la version 1"
    assert access.definition_spec(row).instructions == SPEC["instructions"]


def test_saving_nothing_new_makes_no_version(db: Session, personas: Personas) -> None:
    row = _created(db, personas)
    same = builder.save(
        db,
        user=personas["referent"],
        row=row,
        spec=_spec(),
        sharing=Sharing.SERVICE,
        base_version=1,
    )
    assert not same and row.version == 1


def test_a_stale_save_is_refused_not_lost(db: Session, personas: Personas, db_url: str) -> None:
    row = _created(db, personas)
    kwargs = {"user": personas["referent"], "row": row, "sharing": Sharing.SERVICE}
    builder.save(db, spec=_spec(name="Première"), base_version=1, **kwargs)
    with pytest.raises(Conflict, match="version 2 a été enregistrée"):
        builder.save(db, spec=_spec(name="Seconde"), base_version=1, **kwargs)
    assert access.definition_spec(row).name == "Première"


@pytest.mark.parametrize(
    ("slug", "message"),
    [("swot", "assistant intégré"), ("nouveau", "réservé"), ("courrier-voirie", "déjà")],
)
def test_slug_rules(db: Session, personas: Personas, slug: str, message: str) -> None:
    _created(db, personas)
    with pytest.raises(BuilderError, match=message) as caught:
        _created(db, personas, login="admin", id=slug)
    assert list(caught.value.errors) == ["id"]


def test_review_decides_what_agents_see(db: Session, personas: Personas, db_url: str) -> None:
    row = _created(db, personas)

    def sees(login: str) -> bool:
        return "courrier-voirie" in {s.id for s in access.available(db, personas[login])}

    assert not sees("agent") and not sees("referent")
    with pytest.raises(BuilderError, match="en relecture"):
        builder.publish(admin=personas["admin"], row=row, sensitivity=Sensitivity.PUBLIC)
    builder.submit(row=row)
    assert row.status == "in_review" and not sees("agent")
    with pytest.raises(BuilderError, match="administrateur"):
        builder.publish(admin=personas["referent"], row=row, sensitivity=Sensitivity.PUBLIC)
    with pytest.raises(BuilderError, match="administrateur"):
        builder.publish(admin=personas["olivia"], row=row, sensitivity=Sensitivity.PUBLIC)
    builder.publish(admin=personas["admin"], row=row, sensitivity=Sensitivity.PERSONAL)
    db.flush()
    assert sees("agent") and not sees("bob") and not sees("carol")  # shared with its service
    assert access.find(db, personas["agent"], "courrier-voirie").sensitivity == "personal"

    builder.suspend(admin=personas["admin"], row=row)
    db.flush()
    assert not sees("agent")  # immediately
    builder.publish(admin=personas["admin"], row=row, sensitivity=Sensitivity.INTERNAL)
    db.flush()
    assert sees("agent")
    builder.save(
        db, user=personas["referent"], row=row, spec=_spec(), sharing=Sharing.TENANT,
        base_version=row.version,
    )  # fmt: skip
    assert row.status == "draft" and not sees("agent")  # a change goes back through review


def test_who_may_edit(db: Session, personas: Personas, db_url: str) -> None:
    row = _created(db, personas)
    other = AssistantDefinition(
        tenant_id=personas.tenant.id, slug="autre-service", owner_service_id=personas.service_b.id,
        spec={**SPEC, "id": "autre-service"},
    )  # fmt: skip
    db.add(other)
    db.flush()
    find = builder.editable
    assert find(db, user=personas["referent"], slug=row.slug) is row
    assert find(db, user=personas["referent"], slug="autre-service") is None
    assert find(db, user=personas["admin"], slug="autre-service") is other
    for login in ("agent", "bob", "comite", "olivia", "carol"):
        assert find(db, user=personas[login], slug=row.slug) is None, login
    # Owners test their drafts; nobody else finds them.
    assert builder.find_for_owner(db, personas["referent"], row.slug) is not None
    assert builder.find_for_owner(db, personas["agent"], row.slug) is None
    assert builder.find_for_owner(db, personas["olivia"], row.slug) is None
    assert builder.find_for_owner(db, personas["agent"], "swot") is not None


def test_a_referent_without_service_cannot_create(db: Session, personas: Personas) -> None:
    referent = db.merge(personas["referent"])
    referent.service_id = None
    with pytest.raises(BuilderError, match="aucun service"):
        builder.create(db, user=referent, spec=_spec())


# --- French messages.


# fmt: off
FRENCH_CASES = [
    ({"name": ""}, "name", "obligatoire"),
    ({"instructions": "court"}, "instructions", "au moins 10 caractère"),
    ({"id": "Mon Assistant"}, "id", "minuscules sans accent"),
    ({"fields": [{"name": "Objet", "label": "Objet"}]}, "fields.0.name", "nom technique invalide"),
    ({"fields": [{"label": "Objet"}]}, "fields.0.name", "obligatoire"),
    ({"time_saved_minutes": "beaucoup"}, "time_saved_minutes", "nombre entier"),
    ({"time_saved_minutes": 900}, "time_saved_minutes", "inférieur ou égal à 480"),
    ({"temperature": 3}, "temperature", "inférieur ou égal à 1.5"),
    ({"name": 12}, "name", "entre guillemets"),
    ({"surprise": True}, "surprise", "clé inconnue"),
    ({"output": {"kind": "tableau"}}, "output.kind", "choisissez parmi 'text', 'structured' ou 'tables'"),
    ({"fields": [{"name": "objet", "label": "Objet", "kind": "liste"}]}, "fields.0.kind", "choisissez parmi"),
    ({"fields": "objet"}, "fields", "doit être une liste"),
    ({"output": "texte"}, "output", "clé : valeur"),
    # Civia's own French validators are kept as they are.
    ({"fields": [{"name": "objet", "label": "Objet", "kind": "choice"}]}, "fields.0", "indiquez ses `choices`"),
    ({"prompt": "{{ inconnu }}"}, "", "champs inconnus : inconnu"),
    ({"output": {"formats": ["exe"]}}, "output", "formats inconnus"),
]
# fmt: on


@pytest.mark.parametrize(("change", "where", "message"), FRENCH_CASES)
def test_validation_errors_are_french_and_placed(
    change: dict[str, Any], where: str, message: str
) -> None:
    with pytest.raises(BuilderError) as caught:
        _spec(**change)
    errors = caught.value.errors
    assert message in errors.get(where, ""), errors
    assert not any(word in text for text in errors.values() for word in ENGLISH), errors


def test_every_problem_is_told_at_once() -> None:
    data = {
        **SPEC, "id": "X", "colour": "bleu", "prompt": "{{ objet }",
        "output": {"kind": "structured", "json_schema": {"type": "objet"}, "template": "{% if %}"},
    }  # fmt: skip
    with pytest.raises(BuilderError) as caught:
        builder.validate(data)
    errors = caught.value.errors
    assert set(errors) == {"id", "colour", "prompt", "output.json_schema", "output.template"}
    assert "schéma JSON invalide" in errors["output.json_schema"]
    assert "gabarit invalide (ligne 1)" in errors["output.template"]
    assert "prompt invalide (ligne 1)" in errors["prompt"]


# --- The no-code form maps losslessly onto the spec.


def _items(state: builder.FormState) -> list[tuple[str, str]]:
    items = list(state.values.items()) + [("output.formats", f) for f in state.formats]
    for i, row in enumerate(state.rows):
        items += [(f"fields.{i}.{k}", v) for k, v in row.items() if v]  # unticked boxes: absent
    return items


@pytest.mark.parametrize("assistant_id", sorted(builtins()))
def test_form_round_trips_every_builtin(assistant_id: str) -> None:
    original = builtins()[assistant_id]
    state = builder.state_from_spec(original, sharing="tenant")
    spec, sharing = builder.from_form(builder.read_form(_items(state)))
    assert sharing is Sharing.TENANT
    assert spec.model_dump(exclude=set(builder.GOVERNED)) == original.model_dump(
        exclude=set(builder.GOVERNED)
    )


def test_form_rows_add_remove_and_default_prompt() -> None:
    state = builder.default_state()
    state.values.update(id="essai", name="Essai", instructions="Tu aides les agents du service.")
    state.rows = [
        {**builder.blank_row(), "name": "objet", "label": "Objet"},
        {**builder.blank_row(), "name": "motif", "label": "Motif", "remove": "true"},
        builder.blank_row(),  # an empty row left by « Ajouter un champ »
    ]
    added = builder.read_form(_items(state), add_field=True)
    assert [r["name"] for r in added.rows] == ["objet", "", ""]
    saved = builder.read_form(_items(state))
    assert [r["name"] for r in saved.rows] == ["objet"]
    spec, _ = builder.from_form(saved)
    assert spec.prompt == "Objet : {{ objet }}"


def test_form_json_schema_errors_have_line_numbers() -> None:
    state = builder.default_state()
    state.values.update(
        id="essai", name="Essai", instructions="Tu aides les agents du service.",
        **{"output.kind": "structured", "output.json_schema": '{\n  "type": "object",\n}',
           "output.template": "{{ resume }}"},
    )  # fmt: skip
    state.rows = []
    with pytest.raises(BuilderError) as caught:
        builder.from_form(state)
    assert caught.value.errors == {
        "output.json_schema": "JSON invalide ligne 3, colonne 1 : vérifiez les guillemets doubles,"
        " les virgules et les accolades"
    }


# --- Export / import.


@pytest.mark.parametrize("assistant_id", sorted(builtins()))
def test_export_import_round_trip(db: Session, personas: Personas, assistant_id: str) -> None:
    original = builtins()[assistant_id]
    text = builder.export_yaml(original, origin="Commune de Démoville")
    assert text.startswith("# Assistant Civia")
    assert not {"sensitivity", "status", "sharing", "version"} & set(yaml.safe_load(text))
    row, ignored = builder.import_file(
        db, user=personas["referent"], content=text.encode(), slug=f"{assistant_id}-importe"
    )
    assert ignored == []
    imported = access.definition_spec(row)
    governed = {*builder.GOVERNED, "id"}
    assert imported.model_dump(exclude=governed) == original.model_dump(exclude=governed)
    assert (row.status, row.sharing, row.sensitivity) == ("draft", "service", "internal")
    assert row.owner_service_id == personas.service_a.id


def test_import_ignores_governed_fields(db: Session, personas: Personas, db_url: str) -> None:
    text = yaml.safe_dump(
        {**SPEC, "sensitivity": "public", "status": "published", "sharing": "tenant", "version": 9}
    )
    row, ignored = builder.import_file(db, user=personas["referent"], content=text.encode())
    assert ignored == ["sensitivity", "sharing", "status", "version"]
    assert (row.status, row.sharing, row.sensitivity, row.version) == (
        "draft", "service", "internal", 1,
    )  # fmt: skip


GOOD = yaml.safe_dump(SPEC, allow_unicode=True)
BAD_IMPORTS = {
    "unknown keys": (GOOD + "couleur: bleu\nauteur: moi\n", {
        "couleur": "clé inconnue", "auteur": "clé inconnue"}),
    "unknown nested key": (GOOD.replace("label: Objet", "label: Objet\n  aide: x"), {
        "fields.0.aide": "clé inconnue"}),
    "bad types": (GOOD + "time_saved_minutes: beaucoup\nicon: [1]\n", {
        "time_saved_minutes": "nombre entier", "icon": "doit être un texte"}),
    "date instead of text": (GOOD.replace("category: Courrier", "category: 2024-01-01"), {
        "category": "entre guillemets"}),
    "schema does not compile": (GOOD + "output:\n  kind: structured\n  template: '{{ a }}'\n"
        "  json_schema: {type: objet}\n", {"output.json_schema": "schéma JSON invalide"}),
    "template syntax": (GOOD + "output:\n  template: '{% for x in %}'\n", {
        "output.template": "gabarit invalide (ligne 1)"}),
    "prompt syntax": (yaml.safe_dump({**SPEC, "prompt": "{{ objet "}), {
        "prompt": "prompt invalide"}),
    "yaml syntax": ("id: essai\nname: Essai\n  description: x\n", {
        "": "Erreur de syntaxe YAML ligne 3, colonne 14"}),
    "tabs": ("id: essai\n\tname: Essai\n", {"": "ligne 2, colonne 1 : caractère interdit ici"}),
    "duplicate key": (GOOD + "name: Autre\n", {"": "la clé « name » apparaît deux fois"}),
    "alias": ("id: &x essai\nname: *x\n", {"": "alias YAML"}),
    "list": ("- id: essai\n", {"": "il contient une liste"}),
    "scalar": ("bonjour\n", {"": "il contient une valeur seule"}),
    "empty": ("\n\n", {"": "Le fichier est vide."}),
    "comments only": ("# rien\n", {"": "aucune donnée"}),
    "two documents": (GOOD + "---\n" + GOOD, {"": "un seul assistant par fichier"}),
    "builtin id": (GOOD.replace("courrier-voirie", "courrier"), {"id": "assistant intégré"}),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD_IMPORTS))
def test_bad_imports_are_explained(db: Session, personas: Personas, case: str) -> None:
    text, expected = BAD_IMPORTS[case]
    with pytest.raises(BuilderError) as caught:
        builder.import_file(db, user=personas["referent"], content=text.encode())
    errors = caught.value.errors
    for where, message in expected.items():
        assert message in errors.get(where, ""), errors
    assert not any(word in text for text in errors.values() for word in ENGLISH), errors
    assert db.query(AssistantDefinition).count() == 0


def test_bad_bytes_are_explained(db: Session, personas: Personas) -> None:
    def error(content: bytes) -> str:
        with pytest.raises(BuilderError) as caught:
            builder.import_file(db, user=personas["referent"], content=content)
        return caught.value.errors[""]

    assert "256 Ko" in error(b"# " + b"x" * builder.MAX_IMPORT_BYTES)
    assert "pas encodé en UTF-8" in error(GOOD.encode("latin-1"))
    assert "Caractère interdit" in error(b"id: essai\x00\n")
    assert "imbriqué trop profondément" in error(b"a: " + b"[" * 5000 + b"]" * 5000)
    row, _ = builder.import_file(
        db, user=personas["referent"], content=b"\xef\xbb\xbf" + GOOD.encode()
    )  # a UTF-8 BOM is fine
    assert row.slug == "courrier-voirie"


def test_every_import_error_is_listed_with_its_place() -> None:
    assert builder.where_label("fields.0.label") == "fields › n° 1 › label"
    assert builder.where_label("") == "ensemble"


def test_a_check_that_cannot_read_the_schema_is_refused_at_save() -> None:
    """The social check reads publications as objects: a schema of strings is told where."""
    strings = {"type": "object", "properties": {"publications": {"type": "array",
               "items": {"type": "string"}}}}  # fmt: skip
    output = {"kind": "structured", "json_schema": strings, "checks": "social",
              "template": "{{ publications }}"}  # fmt: skip
    with pytest.raises(BuilderError) as caught:
        _spec(output=output)
    assert caught.value.errors == {
        "output.checks": "la vérification « social » lit des champs d'un autre type que ce "
        "schéma (« publications › éléments ») : choisissez-en une autre, ou aucune"
    }
    objects = {"type": "object", "properties": {"publications": {"type": "array", "items": {
        "type": "object", "properties": {"reseau": {"type": "string"}}}}}}  # fmt: skip
    assert _spec(output={**output, "json_schema": objects}).output.checks == "social"
