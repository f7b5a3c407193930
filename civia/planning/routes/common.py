"""What the planning pages share: who may open them, small helpers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from civia.accounts.models import Role, User
from civia.web.routes.gov_gate import allow

ROLES = (Role.PILOTAGE, Role.ADMIN)
Planner = Annotated[User, Depends(allow(*ROLES))]
