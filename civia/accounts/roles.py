"""Roles and the named sets of roles: the one place where a set of roles gets a name.

Route policies (`civia.web.deps`), menus, workflows and templates (the Jinja global `roles`)
all take their sets from here, so the same set never has two names. Sets hold `Role` members;
`Role` is a `StrEnum`, so `user.role in BUILDERS` also works with the stored string.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    AGENT = "agent"
    REFERENT = "referent"
    COMITE = "comite"
    DPO = "dpo"
    PILOTAGE = "pilotage"
    ADMIN = "admin"


ROLE_LABELS = {
    Role.AGENT: "Agent",
    Role.REFERENT: "Référent IA",
    Role.COMITE: "Comité d'éthique",
    Role.DPO: "Délégué à la protection des données",
    Role.PILOTAGE: "Pilotage (DGS, élus)",
    Role.ADMIN: "Administrateur",
}

EVERYONE = frozenset(Role)
ADMINS = frozenset({Role.ADMIN})
DPOS = frozenset({Role.DPO})
COMITE = frozenset({Role.COMITE})
# Steering: the DGS and elected officials, with admins (pilotage pages, training follow-up).
STEERING = frozenset({Role.PILOTAGE, Role.ADMIN})
# Référents and admins: the assistant builder, collections and acts, every shared mailbox.
BUILDERS = frozenset({Role.REFERENT, Role.ADMIN})
# Keepers of retention periods and the public contact.
KEEPERS = frozenset({Role.DPO, Role.ADMIN})
# Oversight: the audit log, incidents, use-case documents, suspending an assistant.
AUDITORS = frozenset({Role.COMITE, Role.DPO, Role.ADMIN})
# Deciders of a use case's pilot and generalisation.
DECIDERS = frozenset({Role.COMITE, Role.ADMIN})
# The register of use cases: who writes cards, and who reads them.
CASE_EDITORS = frozenset({Role.REFERENT, Role.COMITE, Role.DPO, Role.ADMIN})
CASE_VIEWERS = CASE_EDITORS | {Role.PILOTAGE}
# Pilotage proposes draft cards from its portfolio; the editors take them further.
CASE_PROPOSERS = frozenset({Role.PILOTAGE})
# The shared catalogue: builders publish and adopt assistants, steering diagnostic grids.
POOLERS = BUILDERS | STEERING

# By name, for templates (`roles.AUDITORS`) and the route-policy test.
SETS: dict[str, frozenset[Role]] = {
    "EVERYONE": EVERYONE,
    "ADMINS": ADMINS,
    "DPOS": DPOS,
    "COMITE": COMITE,
    "STEERING": STEERING,
    "BUILDERS": BUILDERS,
    "KEEPERS": KEEPERS,
    "AUDITORS": AUDITORS,
    "DECIDERS": DECIDERS,
    "CASE_EDITORS": CASE_EDITORS,
    "CASE_PROPOSERS": CASE_PROPOSERS,
    "CASE_VIEWERS": CASE_VIEWERS,
    "POOLERS": POOLERS,
}
