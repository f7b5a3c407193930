"""Keep survey answers out of the web server's access log (the client's address beside the
moment an answer was sent)."""

from __future__ import annotations

from civia.telemetry.logs import ACCESS_LOGGER, PathsOutOfAccessLog

__all__ = ["ACCESS_LOGGER", "SurveyRequests", "install"]


class SurveyRequests(PathsOutOfAccessLog):
    """Drops access-log records of the public survey pages."""

    prefix = "/enquete/"


install = SurveyRequests.install
