"""Access logs without query strings.

uvicorn logs each request's full path; for Civia the query string holds what agents search for
(`/documents?q=…`, `/gouvernance/journal?login=…`), which must not sit in server logs kept for
months. The filter keeps the path and replaces a query string by `?…`.
"""

from __future__ import annotations

import logging

ACCESS_LOGGER = "uvicorn.access"


class DropQueryString(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        # uvicorn: (client_addr, method, full_path, http_version, status_code)
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            path, sep, _ = args[2].partition("?")
            if sep:
                record.args = (*args[:2], f"{path}?…", *args[3:])
        return True


def install() -> None:
    """Idempotent: several apps in one process share the logger."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, DropQueryString) for f in logger.filters):
        logger.addFilter(DropQueryString())
