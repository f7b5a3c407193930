"""Object ids in paths within what the databases store.

A path such as `/conversations/9223372036854775808/messages` is a valid `int` for FastAPI but
overflows SQLite's 64-bit integers (an `OverflowError`, so a 500): no object has such an id,
so every route answers 404 before reaching the database (found by schemathesis,
tests/web/test_json_routes_fuzz.py)."""

from __future__ import annotations

import re

from fastapi import HTTPException, Request

MAX_ID = 2**63 - 1
# PostgreSQL's `integer` ids: the bound declared for ids sent in forms (exact in JSON).
MAX_FORM_ID = 2**31 - 1
_LONG_NUMBER = re.compile(r"[+-]?0*[0-9]{19,}")


async def ids_in_range(request: Request) -> None:
    """A dependency of every route: async, since it does no I/O (a sync dependency costs each
    request a hop to a worker thread and back)."""
    for value in request.path_params.values():
        number = value if isinstance(value, int) else None
        if isinstance(value, str) and _LONG_NUMBER.fullmatch(value):
            number = int(value[:40]) if len(value) <= 40 else MAX_ID + 1
        if number is not None and not -MAX_ID <= number <= MAX_ID:
            raise HTTPException(404, "Cette page n'existe pas ou vous n'y avez pas accès.")
