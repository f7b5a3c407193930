"""One way to authorise: every route's dependencies hold exactly one policy of `civia.web.deps`
(none for a public route), and it is the policy the role × route matrix declares.

`test_route_matrix.py` requests every route as every persona; this test reads the app's route
table instead, so a route that authorises some other way (a hand-written session check, a role
test of its own, a second policy) fails here even when its answers happen to look right.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts

import civia
from civia.accounts import roles
from civia.app import PolicyMissing, create_app
from civia.plugins import loader
from civia.plugins.hookspecs import hookimpl
from civia.plugins.registries import Route
from civia.settings import Settings
from civia.web import deps
from civia.web.deps import AdminUser, Policy, policy_of
from tests.conftest import build_app
from tests.web.test_route_matrix import EXPECTED, POLICIES, PUBLIC

CIVIA = Path(civia.__file__).parent
# The plumbing of the policies: reaching one outside a policy is authorising by hand.
PLUMBING = {deps.current_session, deps.check_csrf, deps.api_user}

# Routes whose policy lets in more roles than the matrix: the route itself narrows it down on
# the object (and says why), so the dependency cannot be the whole rule.
NARROWED_INSIDE: dict[tuple[str, str], str] = {
    # the card's author and admins edit it (usecases.can_edit), the comité only attaches a FRIA
    ("POST", "/gouvernance/cas-usage/{case_id}/modifier"): "CASE_EDITORS",
    ("POST", "/gouvernance/cas-usage/{case_id}/analyse-impact"): "CASE_EDITORS",
    # each step of the workflow has its own roles (usecases.STEPS); a refusal is audited
    ("POST", "/gouvernance/cas-usage/{case_id}/transition"): "CASE_VIEWERS",
    # a vote by anyone but the comité is refused *and* audited by usecases.vote
    ("POST", "/gouvernance/cas-usage/{case_id}/vote"): "ANY_USER",
    # managing a collection depends on its scope: a personal one is its owner's
    ("POST", "/documents/collections/{collection_id}/renommer"): "ANY_USER",
    ("POST", "/documents/collections/{collection_id}/supprimer"): "ANY_USER",
    ("POST", "/documents/collections/{collection_id}/depot"): "ANY_USER",
    ("POST", "/documents/{document_id:int}/relancer"): "ANY_USER",
}


def _walk(dependant: Dependant, under_policy: bool = False) -> Iterator[tuple[object, bool]]:
    """(call, reached through a policy) for every dependency of the tree."""
    for sub in dependant.dependencies:
        yield sub.call, under_policy
        inside = under_policy or policy_of(sub.call) is not None or sub.call in deps.SESSION_DATA
        yield from _walk(sub, inside)


def _policies(dependant: Dependant) -> tuple[set[Policy], list[str]]:
    found: set[Policy] = set()
    by_hand = []
    for call, under_policy in _walk(dependant):
        policy = policy_of(call)  # type: ignore[arg-type]
        if policy is not None:
            found.add(policy)
        elif call in PLUMBING and not under_policy:
            by_hand.append(getattr(call, "__name__", repr(call)))
    return found, by_hand


def _routes(app: FastAPI) -> Iterator[tuple[str, str, Dependant]]:
    """Every API route of the app, included routers flattened."""
    for route in iter_route_contexts(app.routes):
        dependant = getattr(route, "dependant", None)
        if dependant is not None:
            for method in sorted((route.methods or set()) - {"HEAD"}):
                yield method, str(route.path), dependant


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    tmp = tmp_path_factory.mktemp("policies")
    settings = Settings(
        data_dir=tmp, database_url=f"sqlite:///{tmp / 'civia.db'}", jobs_in_process=False
    )
    client, _ = build_app(settings, password_hash="x")
    return client.app  # type: ignore[return-value]


def test_every_route_has_the_declared_policy_and_no_other_check(app: FastAPI) -> None:
    failures = []
    checked = 0
    for method, path, route in _routes(app):
        checked += 1
        declared = EXPECTED.get((method, path))
        if declared is None:
            failures.append(f"{method} {path}: not declared in test_route_matrix.EXPECTED")
            continue
        found, by_hand = _policies(route)
        if by_hand:
            failures.append(f"{method} {path}: authorises by hand ({', '.join(by_hand)})")
        if declared == PUBLIC:
            if found:
                failures.append(f"{method} {path}: declared public, has {found}")
            continue
        if len(found) != 1:
            failures.append(f"{method} {path}: {len(found)} policies ({found})")
            continue
        policy = found.pop()
        expected_name = NARROWED_INSIDE.get((method, path), declared)
        if policy.name != expected_name:
            failures.append(f"{method} {path}: policy {policy.name}, declared {expected_name}")
        wanted = POLICIES[expected_name]
        roles_found = {str(r) for r in policy.roles}
        if isinstance(wanted, frozenset) and policy.name != "OPERATOR" and roles_found != wanted:
            failures.append(f"{method} {path}: roles {sorted(policy.roles)} != {wanted}")
    assert failures == [], "\n".join(failures)
    assert checked >= len(EXPECTED) - 1  # every declared route was read (/static is a mount)


def test_narrowed_routes_still_exist() -> None:
    assert NARROWED_INSIDE.keys() <= EXPECTED.keys()


def _plugin(gated: bool) -> ModuleType:
    """A plugin whose page forgot its policy (and one whose page declares it)."""
    module = ModuleType(f"civia_oubli_{gated}")
    router = APIRouter()

    @router.get("/oubli")
    def forgotten() -> dict[str, str]:
        return {"ok": "oui"}

    @router.get("/declaree")
    def declared(user: AdminUser) -> dict[str, str]:
        return {"ok": user.login}

    @hookimpl
    def register_routes(settings: Settings) -> list[Route]:
        return [Route(router, gated=gated)]

    module.register_routes = register_routes  # type: ignore[attr-defined]
    return module


def test_a_route_without_policy_stops_the_app(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'civia.db'}")
    build_app(settings, password_hash="x")  # the schema
    pm = loader.plugin_manager()
    pm.register(_plugin(gated=True))
    with pytest.raises(PolicyMissing, match="/oubli"):
        create_app(settings, pm)
    # Declared public on purpose (a router of public pages): the app starts.
    pm = loader.plugin_manager()
    pm.register(_plugin(gated=False))
    paths = {str(r.path) for r in iter_route_contexts(create_app(settings, pm).routes)}
    assert {"/oubli", "/declaree"} <= paths


def _role_literals(tree: ast.AST) -> Iterator[int]:
    """Lines of set, tuple or list literals made of `Role.X` members only (a set of roles)."""
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Set | ast.Tuple | ast.List)
            and node.elts
            and all(
                isinstance(e, ast.Attribute) and getattr(e.value, "id", "") in ("Role", "R")
                for e in node.elts
            )
        ):
            yield node.lineno


def test_role_sets_are_named_only_in_the_roles_module() -> None:
    found = []
    for path in CIVIA.rglob("*.py"):
        if path == CIVIA / "accounts" / "roles.py" or "migrations" in path.parts:
            continue
        for line in _role_literals(ast.parse(path.read_text(encoding="utf-8"))):
            found.append(f"{path.relative_to(CIVIA)}:{line}")
    assert found == [], f"role sets outside civia/accounts/roles.py: {found}"


ROLE_TEST = re.compile(
    r"""\.role\s*(==|!=|in\s*[(\[])|['"](agent|referent|comite|dpo|pilotage|admin)['"]\s*(==|in)"""
)


def test_templates_take_role_sets_from_the_roles_module() -> None:
    found = []
    for path in CIVIA.rglob("*.html"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ROLE_TEST.search(line.replace("m.role", "")):
                found.append(f"{path.relative_to(CIVIA)}:{number}: {line.strip()[:80]}")
    assert found == [], "templates testing roles by hand (use roles.<SET>):\n" + "\n".join(found)
    assert set(roles.SETS) >= {"ADMINS", "AUDITORS", "CASE_VIEWERS", "STEERING", "KEEPERS"}
