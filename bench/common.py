"""Shared helpers for the bench scripts.

Free ports, subprocess servers started and stopped with bounded waits, percentiles, a
description of the machine (with its load, since other work may share the cores) and the
results file.
"""

from __future__ import annotations

import contextlib
import os
import platform
import resource
import signal
import socket
import statistics
import subprocess
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO

import httpx

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
VENV_BIN = ROOT / ".venv" / "bin"


# --- numbers ---------------------------------------------------------------------------------


def percentile(values: Sequence[float], pct: float) -> float:
    """Linear-interpolated percentile (pct in 0..100) of a non-empty sequence."""
    if not values:
        raise ValueError("percentile of an empty sequence")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def p50(values: Sequence[float]) -> float:
    return statistics.median(values)


def peak_rss_mb(pid: int | str = "self") -> float:
    """Peak resident set size (VmHWM) of a process, in MiB; 0 if it cannot be read."""
    return _status_mb(pid, "VmHWM:")


def rss_mb(pid: int | str = "self") -> float:
    """Current resident set size (VmRSS) of a process, in MiB; 0 if it cannot be read."""
    return _status_mb(pid, "VmRSS:")


def process_cpu_s(pid: int) -> float:
    """CPU seconds (user + system, all threads) a running process has used so far."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return 0.0


def _status_mb(pid: int | str, key: str) -> float:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1]) / 1024
    return 0.0


# --- the machine -----------------------------------------------------------------------------


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def ram_gib() -> float:
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    return 0.0


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def cpu_busy_s() -> float:
    """CPU seconds all processes have spent busy since boot (from /proc/stat)."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + fields[4]  # idle + iowait
        return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")
    return 0.0


def own_cpu_s() -> float:
    """CPU seconds of this process and of its waited-for children (the servers it stopped)."""
    me, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


@dataclass
class Machine:
    """The machine a benchmark ran on, and how busy other processes kept it meanwhile."""

    started: datetime = field(default_factory=lambda: datetime.now().astimezone())
    load_start: str = field(default_factory=load_average)
    load_end: str = ""
    _wall0: float = field(default_factory=time.monotonic)
    _busy0: float = field(default_factory=cpu_busy_s)
    _own0: float = field(default_factory=own_cpu_s)
    others_cores: float = 0.0

    def finish(self) -> None:
        """Call at the end, after stopping the subprocess servers."""
        self.load_end = load_average()
        wall = time.monotonic() - self._wall0
        others = (cpu_busy_s() - self._busy0) - (own_cpu_s() - self._own0)
        self.others_cores = max(others, 0.0) / wall if wall > 0 else 0.0

    def markdown(self) -> str:
        return "\n".join(
            [
                f"- Machine: `nproc` = {len(os.sched_getaffinity(0))}, {cpu_model()}, "
                f"{ram_gib():.1f} GiB RAM, no GPU; Python {platform.python_version()}, "
                f"{platform.system()} {platform.release()}",
                f"- Date: {self.started:%Y-%m-%d %H:%M %Z}",
                f"- Load average (1/5/15 min) at start: {self.load_start}; "
                f"at end: {self.load_end or load_average()}. Other processes kept "
                f"{self.others_cores:.2f} of the {os.cpu_count()} cores busy on average during "
                "the run (the machine is shared: read the figures with this in mind).",
            ]
        )


# --- subprocess servers ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A subprocess server whose output goes to a log file (never a pipe that could fill)."""

    name: str
    proc: subprocess.Popen[bytes]
    log_path: Path
    log: IO[bytes]

    def log_tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
            return "\n".join(text.splitlines()[-lines:])
        return ""


def start_server(
    name: str,
    cmd: Sequence[str],
    *,
    ready_url: str,
    log_dir: Path,
    env: dict[str, str] | None = None,
    timeout_s: float = 180.0,
    headers: dict[str, str] | None = None,
) -> Server:
    """Start `cmd` and wait until `ready_url` answers below 500, or raise with the log's tail."""
    log_path = log_dir / f"{name}.log"
    log = log_path.open("wb")
    proc = subprocess.Popen(
        list(cmd), stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
    )
    server = Server(name, proc, log_path, log)
    try:
        wait_ready(server, ready_url, timeout_s, headers or {})
    except BaseException:
        stop_server(server)
        raise
    return server


def wait_ready(server: Server, url: str, timeout_s: float, headers: dict[str, str]) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(
                f"{server.name} exited with {server.proc.returncode}:\n{server.log_tail()}"
            )
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, headers=headers, timeout=2.0).status_code < 500:
                return
        time.sleep(0.25)
    raise TimeoutError(f"{server.name} not ready after {timeout_s:.0f}s:\n{server.log_tail()}")


def stop_server(server: Server, timeout_s: float = 15.0) -> None:
    """Terminate the server's process group, then kill it if it does not stop in time."""
    proc = server.proc
    try:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=timeout_s)
    finally:
        server.log.close()


@contextlib.contextmanager
def running(server: Server) -> Iterator[Server]:
    try:
        yield server
    finally:
        stop_server(server)


# --- results ---------------------------------------------------------------------------------


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def write_results(name: str, markdown: str) -> Path:
    """Write bench/results/<name>.md and print it."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.md"
    path.write_text(markdown.rstrip() + "\n", encoding="utf-8")
    print(markdown)
    print(f"\n(written to {path.relative_to(ROOT)})")
    return path
