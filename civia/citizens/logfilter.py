"""Keep the public assistant's requests out of the web server's access log (the client's
address beside a question's moment)."""

from __future__ import annotations

from civia.telemetry.logs import ACCESS_LOGGER, PathsOutOfAccessLog

__all__ = ["ACCESS_LOGGER", "CitizenRequests", "install"]


class CitizenRequests(PathsOutOfAccessLog):
    prefix = "/citoyens/"


install = CitizenRequests.install
