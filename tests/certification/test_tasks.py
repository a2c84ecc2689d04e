"""The certificate tasks' queues, and a PDF render cut off by a dead worker."""

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from certification import services
from certification.models import BulkIssuance
from certification.tasks import render_certificate_pdf, run_bulk_issuance
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_renders_go_to_the_documents_queue_and_bulk_runs_to_the_default_one(
    completed, database_tasks, django_capture_on_commit_callbacks
):
    enrolment, _course = completed
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.certificate_issue(enrolment=enrolment)
        run = services.bulk_issuance_start(
            cohort=enrolment.cohort, requested_by=UserFactory(groups=["Registrars"])
        )
    queues = dict(
        DBTaskResult.objects.filter(task_path__startswith="certification.").values_list(
            "task_path", "queue_name"
        )
    )
    assert queues == {
        render_certificate_pdf.module_path: "documents",
        run_bulk_issuance.module_path: "default",
    }
    render = DBTaskResult.objects.get(task_path=render_certificate_pdf.module_path)
    assert render.args_kwargs["args"] == [certificate.pk]
    assert BulkIssuance.objects.get(pk=run.pk).task_id


def test_a_render_cut_off_is_redone(completed, run_worker, django_capture_on_commit_callbacks):
    enrolment, _course = completed
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.certificate_issue(enrolment=enrolment)
    render = DBTaskResult.objects.get(task_path=render_certificate_pdf.module_path)
    # A documents worker took it and was killed before it stored the file.
    DBTaskResult.objects.filter(pk=render.pk).update(
        status="RUNNING", started_at=timezone.now(), worker_ids=["killed"]
    )

    run_worker(queue="default")  # recovers it, but leaves the documents queue alone
    render.refresh_from_db()
    certificate.refresh_from_db()
    assert render.status == "READY" and not certificate.pdf_sha256

    run_worker(queue="documents", worker_id="documents-worker")
    render.refresh_from_db()
    certificate.refresh_from_db()
    assert render.status == "SUCCESSFUL"
    assert render.worker_ids == ["killed", "documents-worker"]
    assert certificate.pdf_sha256 and render.return_value == certificate.pdf_sha256
