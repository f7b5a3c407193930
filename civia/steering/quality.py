"""The dashboard's quality block, per service: validation rate and useful / not useful ratings
of the results (from the usage rows), incidents reported in the period, and completion of
the AI-literacy module (AI Act Art. 4) among the service's accounts. Services hidden for
having fewer than `MIN_GROUP` active users stay hidden here too."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.governance.acculturation import MODULE
from civia.governance.models import Incident, TrainingCompletion
from civia.steering.filters import Filters, accounts
from civia.steering.metrics import Row


@dataclass(frozen=True)
class Quality:
    label: str
    hidden: bool
    runs: int
    validated: int
    useful: int
    not_useful: int
    incidents: int
    accounts: int
    trained: int

    @staticmethod
    def share(part: int, whole: int) -> float | None:
        return 100 * part / whole if whole else None

    @property
    def validation_rate(self) -> float | None:
        return self.share(self.validated, self.runs)

    @property
    def useful_rate(self) -> float | None:
        return self.share(self.useful, self.useful + self.not_useful)

    @property
    def trained_rate(self) -> float | None:
        return self.share(self.trained, self.accounts)


def incidents(db: Session, f: Filters) -> dict[int | None, int]:
    """Incidents reported in the period, by the reporter's service."""
    stmt = (
        select(User.service_id, func.count(Incident.id))
        .join(User, User.id == Incident.reporter_id)
        .where(
            Incident.tenant_id == f.tenant_id,
            Incident.created_at >= f.since,
            Incident.created_at <= f.until,
            accounts(f),
        )
        .group_by(User.service_id)
    )
    return {key: int(n) for key, n in db.execute(stmt).all()}


def trained(db: Session, f: Filters) -> dict[int | None, tuple[int, int]]:
    """Per service: (active accounts, accounts that completed the module)."""
    done = select(TrainingCompletion.user_id).where(
        TrainingCompletion.tenant_id == f.tenant_id, TrainingCompletion.module == MODULE
    )
    stmt = (
        select(User.service_id, func.count(User.id), func.count(User.id).filter(User.id.in_(done)))
        .where(accounts(f))
        .group_by(User.service_id)
    )
    return {key: (int(n), int(t)) for key, n, t in db.execute(stmt).all()}


def by_service(db: Session, f: Filters, services: list[Row]) -> list[Quality]:
    """One line per service of the dashboard's service table, then the collectivité."""
    reported, training = incidents(db, f), trained(db, f)
    out = []
    for row in services:
        fig = row.figures
        n_accounts, n_trained = training.get(row.key, (0, 0))
        out.append(
            Quality(
                label=row.label,
                hidden=row.hidden,
                runs=int(fig.get("runs", 0)),
                validated=int(fig.get("validated", 0)),
                useful=int(fig.get("useful", 0)),
                not_useful=int(fig.get("not_useful", 0)),
                incidents=reported.get(row.key, 0),
                accounts=n_accounts,
                trained=n_trained,
            )
        )
    return out


def total(db: Session, f: Filters, totals: dict[str, float]) -> Quality:
    training = trained(db, f).values()
    n_accounts, n_trained = sum(a for a, _ in training), sum(t for _, t in training)
    return Quality(
        label="Toute la collectivité" if f.service_id is None else "Service choisi",
        hidden=False,
        runs=int(totals.get("runs", 0)),
        validated=int(totals.get("validated", 0)),
        useful=int(totals.get("useful", 0)),
        not_useful=int(totals.get("not_useful", 0)),
        incidents=sum(incidents(db, f).values()),
        accounts=n_accounts,
        trained=n_trained,
    )
