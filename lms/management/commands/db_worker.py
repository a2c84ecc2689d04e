"""``manage.py db_worker``: django-tasks-db's worker with a heartbeat, so that the tasks
of a worker that dies go back to their queue (see ``lms/background.py``).

``lms`` comes before ``django_tasks_db`` in ``INSTALLED_APPS``, so this command takes
the library's name and its options: ``--queue-name``, ``--interval``, ``--batch``,
``--max-tasks``, ``--worker-id`` and the rest.
"""

from __future__ import annotations

import logging
import os
import threading
import time

from django.conf import settings
from django.core.management.base import CommandError
from django.db import close_old_connections, connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker as library

from lms import background

logger = logging.getLogger("lms.background")


class Worker(library.Worker):
    """The library's worker, plus a thread that writes its heartbeat and, now and then,
    puts back the tasks of workers that died."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.queues_label = ",".join(
            self.queue_names + [f"-{name}" for name in self.excluded_queue_names]
        )
        self._stopping = threading.Event()

    def run(self) -> None:
        background.worker_beat(worker_id=self.worker_id, queues=self.queues_label)
        background.stale_tasks_recover()
        heartbeat = threading.Thread(target=self._heartbeat, name="worker-heartbeat", daemon=True)
        heartbeat.start()
        try:
            super().run()
        finally:
            self._stopping.set()
            heartbeat.join(timeout=settings.TASK_WORKER_HEARTBEAT_SECONDS + 5)
            background.worker_stopped(worker_id=self.worker_id)

    def _heartbeat(self) -> None:
        recovered_at = time.monotonic()
        while not self._stopping.wait(settings.TASK_WORKER_HEARTBEAT_SECONDS):
            try:
                close_old_connections()
                background.worker_beat(worker_id=self.worker_id, queues=self.queues_label)
                if time.monotonic() - recovered_at >= settings.TASK_WORKER_STALE_SECONDS:
                    recovered_at = time.monotonic()
                    background.stale_tasks_recover()
            except Exception:  # a missed beat is retried; the worker goes on
                logger.warning("worker %s: heartbeat not written", self.worker_id, exc_info=True)
        connection.close()

    def shutdown(self, signum, frame) -> None:
        if not self.running and self.running_task:
            # A second signal while a task runs. The library would record the task as
            # failed; stopping at once instead leaves it running, as a crash would, and
            # the next worker takes it up again where it stopped.
            logger.warning("worker %s: stopping now; its task will be run again", self.worker_id)
            os._exit(1)
        super().shutdown(signum, frame)


class Command(library.Command):
    help = (
        "Run a database task worker. It writes a heartbeat; the tasks of a worker that "
        "stops writing one go back to their queue."
    )

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options,
    ) -> None:
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only in the child the reloader starts
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
