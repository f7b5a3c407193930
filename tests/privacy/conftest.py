"""The analyzer loads spaCy once (a few seconds): every detection test shares it."""

from __future__ import annotations

import pytest
from presidio_analyzer import AnalyzerEngine

from civia.privacy import get_analyzer


@pytest.fixture(scope="session")
def analyzer() -> AnalyzerEngine:
    return get_analyzer()
