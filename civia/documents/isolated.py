"""Run a document parser in a child process that is killed when it stalls.

Parsers (pdfminer/pypdf, python-docx, odfpy, openpyxl, tesseract) read hostile files; one
caught in a loop would hold its ingestion worker thread forever, and every document queued
behind it would wait. The parser runs in a child process (forkserver: a clean process, never a
fork of the threaded server) and reports its page progress; when it says nothing for
`stall_s`, it is killed and the document fails with a French reason, and the queue moves on.
A cancel raised by the progress callback kills it too.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from civia.documents.errors import DocumentError

STALLED_FR = (
    "L'analyse du fichier « {filename} » s'est bloquée (plus de {seconds} s sans avancer) et a "
    "été arrêtée. Le fichier est peut-être endommagé : ouvrez-le puis enregistrez-le à nouveau "
    "avant de le déposer."
)
CRASHED_FR = (
    "L'analyse du fichier « {filename} » s'est interrompue (le lecteur de ce format a échoué). "
    "Ouvrez-le puis enregistrez-le à nouveau avant de le déposer."
)


class ParserStalled(DocumentError):
    pass


def _context() -> Any:
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["civia.documents.extract"])
    return ctx


def _child(
    conn: Connection, func: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:

    def progress(done: int, total: int) -> None:
        conn.send(("progress", done, total))

    try:
        conn.send(("done", func(*args, progress=progress, **kwargs)))
    except DocumentError as exc:  # its own __init__ signature: sent as its message
        conn.send(("error", exc.message_fr))
    except BaseException as exc:
        conn.send(("crash", f"{type(exc).__name__}: {exc}"[:500]))
    finally:
        conn.close()


def run(
    target: Callable[..., Any],
    *args: Any,
    filename: str,
    stall_s: float,
    progress: Callable[[int, int], None] | None = None,
    **kwargs: Any,
) -> Any:
    """`target(*args, progress=…, **kwargs)` in a child process (a module-level function, sent
    by reference); its result.

    Raises `ParserStalled` after `stall_s` without news, `DocumentError` for the parser's own
    refusals and for a crash; whatever `progress` raises (a cancel) after killing the child."""
    ctx = _context()
    parent, child = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(child, target, args, kwargs), daemon=True)
    process.start()
    child.close()
    try:
        last = time.monotonic()
        while True:
            if parent.poll(0.2):
                try:
                    message = parent.recv()
                except EOFError:
                    raise DocumentError(CRASHED_FR.format(filename=filename)) from None
                last = time.monotonic()
                if message[0] == "progress":
                    if progress is not None:
                        progress(message[1], message[2])
                    continue
                if message[0] == "done":
                    return message[1]
                if message[0] == "error":
                    raise DocumentError(message[1])
                raise DocumentError(CRASHED_FR.format(filename=filename))
            if not process.is_alive() and not parent.poll(0):
                raise DocumentError(CRASHED_FR.format(filename=filename))
            if time.monotonic() - last > stall_s:
                raise ParserStalled(STALLED_FR.format(filename=filename, seconds=round(stall_s)))
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        parent.close()
