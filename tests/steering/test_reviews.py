"""J+15/J+30/J+90 reviews: figures of the window since launch, a rule-based recommendation, the
narrative validated by pilotage, the DOCX with its mention; other tenants and small groups."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from docx import Document as read_docx
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import select

from civia.steering import reviews
from civia.steering.models import Review
from tests.conftest import Personas, login_as, page_text
from tests.steering.helpers import call, run

SERVICE_A = ("agent", "referent", "comite", "dpo", "pilotage", "admin")


def _figures(**over: object) -> dict[str, object]:
    base: dict[str, object] = {"calls": 100, "failure_rate": 0.02, "adoption": 0.6,
                               "useful_rate": 0.8, "ratings": 20, "hours_per_user_week": 1.5}  # fmt: skip
    return base | over


def test_rules_give_each_recommendation() -> None:
    assert reviews.verdict(90, _figures()).recommendation == "extend"
    assert reviews.verdict(30, _figures()).recommendation == "keep"
    assert reviews.verdict(15, _figures(failure_rate=0.2)).recommendation == "fix"
    assert reviews.verdict(90, _figures(calls=0)).recommendation == "fix"
    low = reviews.verdict(90, _figures(adoption=0.2))
    assert low.recommendation == "pivot" and "20 %" in low.reasons[0]
    assert reviews.verdict(30, _figures(useful_rate=0.3)).recommendation == "pivot"
    kept = reviews.verdict(90, _figures(hours_per_user_week=0.5))
    assert kept.recommendation == "keep" and "0,5 h" in kept.reasons[-1]


def test_a_j30_review_produced_validated_and_downloaded(
    client: TestClient, personas: Personas
) -> None:
    launch = (datetime.now(UTC) - timedelta(days=40)).date()
    at = datetime.combine(launch, datetime.min.time(), UTC)
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        for login in SERVICE_A:
            call(db, personas[login], days_ago=-20, now=at)  # 20 days after launch
            run(db, personas[login], days_ago=-20, now=at, minutes=60, rating="useful")
        call(db, personas["agent"], days_ago=-35, now=at)  # after J+30: not in the review
        call(db, personas["carol"], days_ago=-20, now=at)  # another collectivité
        db.commit()
    headers = login_as(client, "pilotage")
    form = {"milestone": "30", "launch": launch.isoformat(), "service": ""}
    resp = client.post("/pilotage/revues", data=form, headers=headers, follow_redirects=False)
    assert resp.status_code == 303
    url = resp.headers["location"]
    page = page_text(client.get(url))
    assert "Recommandation : Maintenir" in page and "Adoption de 86 %" in page  # 6 of 7 accounts
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        review = db.scalar(select(Review))
        assert review is not None and review.figures["calls"] == 6
        assert review.figures["hours_saved"] == 6.0  # 6 validated runs × 60 min
    client.post(url, data={"narrative": "Bon démarrage.", "action": "validate"}, headers=headers)
    assert "Revue validée" in page_text(client.get(url))
    assert client.post(url, data={"narrative": "x"}, headers=headers).status_code == 409
    doc = read_docx(io.BytesIO(client.get(f"{url}/revue.docx").content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert (
        "Revue J+30" in text and "Bon démarrage." in text and "Document produit avec Civia" in text
    )
    pdf = client.get(f"{url}/revue.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    pages = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Revue J+30" in pages and "Bon démarrage." in pages and "Maintenir" in pages
    # a service of one person gets no review; another collectivité cannot open this one
    small = form | {"service": str(personas.service_b.id)}
    assert client.post("/pilotage/revues", data=small, headers=headers).status_code == 422
    client.cookies.clear()
    login_as(client, "olivia")
    assert client.get(url).status_code == 404
