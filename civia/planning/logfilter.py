"""Keep survey answers out of the web server's access log: uvicorn logs the client's address
with every request, which would tie an IP address to the moment an answer was sent."""

from __future__ import annotations

import logging

ACCESS_LOGGER = "uvicorn.access"
PREFIX = "/enquete/"


class SurveyRequests(logging.Filter):
    """Drops access-log records of the public survey pages."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        # uvicorn's access record: (client address, method, path, HTTP version, status).
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            return not args[2].startswith(PREFIX)
        return PREFIX not in record.getMessage()


def install() -> None:
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, SurveyRequests) for f in logger.filters):
        logger.addFilter(SurveyRequests())
