"""Where a `suivant` parameter may send the user: a path of this site, nothing else."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str, default: str = "/") -> str:
    """`target` when it is a local path, else `default`.

    Browsers read `\\` as `/` and drop tabs and newlines in URLs, so `/\\evil.example` and
    `/\\t/evil.example` are other sites: any of them, or `//`, after the first slash is refused."""
    if not target.startswith("/") or any(ord(c) < 32 or c == "\x7f" for c in target):
        return default
    if target[1:2] in ("/", "\\"):
        return default
    parts = urlsplit(target.replace("\\", "/"))
    return target if not parts.scheme and not parts.netloc else default
