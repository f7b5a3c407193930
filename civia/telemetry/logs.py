"""Log lines of `civia serve` and `civia worker`: text, or one JSON object per line carrying
the request id of the web request, API call or job being handled (`context.request_id`).

What Civia logs holds no personal data nor secret by construction (ids, counts, route
templates, exception types; the access log drops query strings); tests/ops/test_logs.py runs a
session through the app and checks the captured lines."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from civia.telemetry import context

# Attributes every LogRecord has: the rest are the `extra=` of the call, kept as JSON fields.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}
_STANDARD.add("color_message")  # uvicorn's copy of the message with terminal colours


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = context.current()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", "") or context.current()
        if request_id:
            line["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value if isinstance(value, str | int | float | bool) else str(value)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def configure(log_format: str, level: int = logging.INFO) -> logging.Handler:
    """Replace the root logger's handlers by one on stderr in `log_format` ("text"/"json")."""
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(
        JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT)
    )
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    return handler


ACCESS_LOGGER = "uvicorn.access"


class PathsOutOfAccessLog(logging.Filter):
    """Drops uvicorn's access records of the paths under `prefix`: uvicorn writes the client's
    address with each request, which on anonymous pages (survey, public assistant) would tie an
    address to the moment of an answer or a question. Subclasses name the prefix."""

    prefix = ""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        # uvicorn's access record: (client address, method, path, HTTP version, status).
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            return not args[2].startswith(self.prefix)
        return self.prefix not in record.getMessage()

    @classmethod
    def install(cls) -> None:
        logger = logging.getLogger(ACCESS_LOGGER)
        if not any(isinstance(f, cls) for f in logger.filters):
            logger.addFilter(cls())
