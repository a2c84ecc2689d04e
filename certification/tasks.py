"""Background work for certificates (django-tasks)."""

from django_tasks import task

from certification.documents import certificate_document_issue
from certification.models import Certificate
from certification.services import bulk_issuance_run
from lms.background import attempt_token

# PDF renders have a queue and a worker of their own, so that thousands of them never
# hold up a bulk run or an import in the default queue.
DOCUMENTS_QUEUE = "documents"


@task(queue_name=DOCUMENTS_QUEUE)
def render_certificate_pdf(certificate_id: int) -> str:
    """Render and store a certificate's PDF (again, if its file was lost); returns its
    SHA-256 ("" if the certificate is gone)."""
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None:
        return ""
    certificate = certificate_document_issue(certificate)
    return certificate.pdf_sha256


@task(takes_context=True)
def run_bulk_issuance(context, run_id: int) -> dict:
    """Issue certificates to a cohort's eligible learners; returns the run's counts.

    Run again after its worker died, it takes the run over and carries on."""
    run = bulk_issuance_run(run_id=run_id, attempt=attempt_token(context))
    return {"issued": run.issued, "skipped": run.skipped, "failed": run.failed}
