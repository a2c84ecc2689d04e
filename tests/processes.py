"""Starting the site's own processes (task workers, schedulers) from a test, against
the database of the ``shared_database`` fixture."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class Process:
    """A ``manage.py`` command running beside the test, its output kept in a file."""

    def __init__(self, args: list[str], *, database_url: str, log: Path, env: dict) -> None:
        self.log = log
        self._output = log.open("wb")
        self.popen = subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "config.settings.test",
                "DATABASE_URL": database_url,
                "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
                "LOG_LEVEL": "INFO",
                **env,
            },
            stdout=self._output,
            stderr=subprocess.STDOUT,
        )

    def output(self) -> str:
        self._output.flush()
        return self.log.read_text(errors="replace")[-4000:]

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind, as when the machine or the OOM killer stops it."""
        self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(timeout=30)

    def interrupt_twice(self) -> int:
        """Two SIGTERMs, as an impatient operator or a supervisor sends them: the first
        asks the worker to stop after its task, the second to stop at once."""
        self.popen.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        self.popen.send_signal(signal.SIGTERM)
        return self.popen.wait(timeout=30)

    def stop(self) -> int:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.kill()
        self._output.close()
        return self.popen.returncode


def start_worker(
    database_url: str, log_dir: Path, *, worker_id: str, queue: str = "default", **env: str
) -> Process:
    """``manage.py db_worker`` on one queue, polling often, with a fast heartbeat: silent
    for 3 s, it counts as dead."""
    return Process(
        [
            "db_worker",
            "--queue-name",
            queue,
            "--interval",
            "0.1",
            "--no-startup-delay",
            "--no-reload",
            "--worker-id",
            worker_id,
        ],
        database_url=database_url,
        log=log_dir / f"{worker_id}.log",
        env={"TASK_WORKER_HEARTBEAT_SECONDS": "0.5", "TASK_WORKER_STALE_SECONDS": "3", **env},
    )


def wait_for(condition: Callable[[], object], *, timeout: float, what: str, processes=()) -> object:
    """Poll ``condition`` until it returns something true; fail with the processes'
    output when ``timeout`` seconds pass first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        for process in processes:
            if process.popen.poll() is not None:
                raise AssertionError(
                    f"{process.log.name} exited ({process.popen.returncode}) while waiting "
                    f"for {what}:\n{process.output()}"
                )
        time.sleep(0.1)
    logs = "\n".join(f"--- {p.log.name}\n{p.output()}" for p in processes)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}\n{logs}")
