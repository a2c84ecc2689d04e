"""Gunicorn serving the site with the bench settings, started and always stopped."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import time
from pathlib import Path

WORKERS = 2
STARTUP_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/healthz/")
        response = connection.getresponse()
        response.read()
        return response.status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


class Server:
    """``with Server(env, cwd, log) as server:`` gunicorn on ``server.url`` until the end."""

    def __init__(self, env: dict[str, str], *, cwd: Path, log_path: Path) -> None:
        self.env = env
        self.cwd = cwd
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        for _attempt in range(3):  # another process may take the free port first
            self.port = free_port()
            if self._start():
                return self
        self.stop()
        raise RuntimeError(f"gunicorn did not start; its log:\n{self.log_tail()}")

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def _start(self) -> bool:
        self.stop()
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            # The site, plus the default-middleware handler for one control (bench/wsgi.py).
            "bench.wsgi:application",
            f"--bind=127.0.0.1:{self.port}",
            f"--workers={WORKERS}",
            "--worker-class=sync",
            # No --access-logfile: gunicorn writes no access log by default, and would
            # take "none" for a file name.
            "--log-level=warning",
            f"--error-logfile={self.log_path}",
            "--no-control-socket",
            "--graceful-timeout=5",
        ]
        self.log_path.write_text("", encoding="utf-8")
        self.process = subprocess.Popen(
            command, cwd=self.cwd, env=self.env, stdin=subprocess.DEVNULL
        )
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            if healthy(self.port):
                return True
            time.sleep(0.1)
        return False

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:]) or "(empty log)"
