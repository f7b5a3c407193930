"""Errors turned into responses by the app's handlers (see `civia.app`)."""

from __future__ import annotations


class ApiError(Exception):
    """An error of the OpenAI-compatible API, answered in OpenAI's shape (message in French)."""

    def __init__(
        self,
        status: int,
        message: str,
        kind: str = "invalid_request_error",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.status, self.message, self.kind = status, message, kind
        self.headers = headers


class LoginRequired(Exception):
    """Raised for anonymous or expired sessions; turned into a redirect to the login page."""


class CsrfFailed(Exception):
    pass


class OperatorOnly(Exception):
    """A platform operator asked for a collectivité's page: they only see /plateforme."""


class CharterRequired(Exception):
    """The user has not accepted the current charter; turned into a redirect to /charte."""

    def __init__(self, path: str = "/") -> None:
        super().__init__(path)
        self.path = path
