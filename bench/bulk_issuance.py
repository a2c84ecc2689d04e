"""Bulk issuance for a 500-learner cohort as a task, run as ``python -m bench.bulk_issuance``.

The cohort comes from ``python -m bench.prepare bulk-cohort``. With the immediate task
backend the run happens inline: ``bulk_issuance_start`` enqueues the task, which walks
the cohort and issues each certificate (and, once each is committed, renders its PDF,
as the immediate backend runs that task at once too). Timed three ways:

1. the whole run with each certificate's PDF rendered as it is issued;
2. the same cohort again: every learner already holds a certificate (all skipped);
3. the run with PDF rendering left to a worker (the PDF task not run), which is what
   the request-side task costs when a database worker renders the PDFs.

Certificates, their log entries and the runs are deleted before and after; PDFs and
images go to a temporary directory. Prints one JSON object.
"""

from __future__ import annotations

import json
import tempfile
import time


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.test.utils import override_settings
    from wagtail.models import ModelLogEntry

    from bench.harness import BENCH_EMAIL_DOMAIN
    from bench.prepare import BULK_COHORT_NAME
    from certification import services
    from certification.models import BulkIssuance, Certificate
    from courses.models import Cohort
    from lms.models import User

    cohort = Cohort.objects.get(name=BULK_COHORT_NAME)
    registrar = User.objects.get(email=f"bench-registrar@{BENCH_EMAIL_DOMAIN}")
    content_type = ContentType.objects.get_for_model(Certificate)

    def clean() -> None:
        certificates = Certificate.objects.filter(cohort=cohort)
        ids = [str(pk) for pk in certificates.values_list("pk", flat=True)]
        ModelLogEntry.objects.filter(content_type=content_type, object_id__in=ids).delete()
        certificates.update(superseded_by=None)
        certificates.delete()
        BulkIssuance.objects.filter(cohort=cohort).delete()

    def timed_run() -> tuple[float, BulkIssuance]:
        started = time.perf_counter()
        run = services.bulk_issuance_start(cohort=cohort, requested_by=registrar)
        elapsed = time.perf_counter() - started
        run.refresh_from_db()
        assert run.state == BulkIssuance.State.FINISHED, run.state
        return elapsed, run

    figures: dict[str, float] = {}
    # Every queue the site has: the PDFs go to "documents", which a backend left with
    # only "default" refuses (and the run, which renders PDFs after each commit, would
    # finish without them).
    immediate = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": settings.TASK_QUEUES,
        }
    }
    with tempfile.TemporaryDirectory() as media:
        storages = {
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": media},
            },
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        with override_settings(TASKS=immediate, STORAGES=storages, MEDIA_ROOT=media):
            clean()
            try:
                seconds, run = timed_run()
                figures["learners"] = run.total
                figures["issued"] = run.issued
                figures["with_pdf_seconds"] = seconds
                seconds, rerun = timed_run()
                figures["rerun_skipped"] = rerun.skipped
                figures["rerun_seconds"] = seconds
                clean()
                real = services._render_later
                services._render_later = lambda certificate: None  # a worker's job
                try:
                    seconds, run = timed_run()
                finally:
                    services._render_later = real
                figures["without_pdf_seconds"] = seconds
            finally:
                clean()
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
