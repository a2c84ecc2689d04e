import signal
import threading

from django.core.management.base import BaseCommand
from django.utils import timezone

from lms.models import ScheduledJob
from lms.scheduler import Scheduler


def _local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M:%S %Z}"


class Command(BaseCommand):
    help = (
        "Run the periodic jobs (scheduled publishing, overdue attempts, released results, "
        "article views, task recovery and pruning, the nightly history check) until "
        "stopped. Several may run: each due job runs in one of them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="run the jobs that are due now, then exit"
        )
        parser.add_argument(
            "--list",
            action="store_true",
            dest="list_jobs",
            help="print each job's next time and how its last run went, then exit",
        )

    def handle(self, *args, once=False, list_jobs=False, **options):
        scheduler = Scheduler()
        if list_jobs:
            scheduler.ensure_rows(now=timezone.now())
            for job in ScheduledJob.objects.filter(name__in=scheduler.jobs).order_by("name"):
                last = (
                    f"{job.last_outcome} at {_local(job.last_finished_at)}: "
                    f"{job.last_message[:80]!r}"
                    if job.last_finished_at
                    else "never run"
                )
                self.stdout.write(f"{job.name}: next {_local(job.next_run_at)}; last {last}")
            return
        if once:
            for name in scheduler.tick(inline=True):
                self.stdout.write(f"ran {name}")
            return
        stop = threading.Event()

        def request_stop(signum, frame):
            stop.set()

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        scheduler.serve(stop)
