"""Errors callers may catch without importing the (heavy) detection engine."""

from __future__ import annotations


class PiiEngineUnavailable(RuntimeError):
    """The spaCy model is missing: it is installed from PyPI, never downloaded at run time."""
