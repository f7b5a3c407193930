"""Keep the public assistant's requests out of the web server's access log: uvicorn writes the
client's address with each request, which would tie an address to a question's moment."""

from __future__ import annotations

import logging

ACCESS_LOGGER = "uvicorn.access"
PREFIX = "/citoyens/"


class CitizenRequests(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        # uvicorn's access record: (client address, method, path, HTTP version, status).
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            return not args[2].startswith(PREFIX)
        return PREFIX not in record.getMessage()


def install() -> None:
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, CitizenRequests) for f in logger.filters):
        logger.addFilter(CitizenRequests())
