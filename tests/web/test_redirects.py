"""`suivant` sends the user to a page of Civia only: the charter page, the login form and the
redirect to the login all go through one `safe_next`."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from civia.web.redirects import safe_next
from tests.conftest import PASSWORD, Personas, login

HOSTILE = [
    "//evil.example",
    "/\\evil.example",
    "/\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "evil.example",
    "",
]


@pytest.mark.parametrize("target", HOSTILE)
def test_other_sites_are_refused(target: str) -> None:
    assert safe_next(target) == "/"


@pytest.mark.parametrize("target", ["/", "/conversations/3", "/actes?q=voirie&page=2"])
def test_local_paths_are_kept(target: str) -> None:
    assert safe_next(target) == target


@pytest.mark.parametrize("target", ["/\\evil.example", "//evil.example"])
def test_the_charter_page_never_links_elsewhere(
    client: TestClient, personas: Personas, target: str
) -> None:
    headers = {"X-CSRF-Token": login(client, "agent")}
    page = BeautifulSoup(client.get("/charte", params={"suivant": target}).text, "html.parser")
    assert page.find("a", string="Continuer")["href"] == "/"  # type: ignore[index]
    data = {"version": "1", "suivant": target}
    resp = client.post("/charte", data=data, headers=headers, follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"] == "/"


def test_the_login_form_and_its_redirect(client: TestClient, personas: Personas) -> None:
    page = BeautifulSoup(
        client.get("/connexion", params={"suivant": "/\\evil.example"}).text, "html.parser"
    )
    assert page.find("input", attrs={"name": "suivant"})["value"] == "/"  # type: ignore[index]
    csrf = page.find("input", attrs={"name": "csrf_token"})["value"]  # type: ignore[index]
    resp = client.post(
        "/connexion",
        data={"login": "agent", "password": PASSWORD, "csrf_token": csrf, "suivant": "/\\e.fr"},
        follow_redirects=False,
    )
    assert resp.headers["location"] == "/"
