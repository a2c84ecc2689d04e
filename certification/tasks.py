"""Background work for certificates (django-tasks)."""

from django_tasks import task

from certification.documents import certificate_document_issue
from certification.models import Certificate


@task()
def render_certificate_pdf(certificate_id: int) -> str:
    """Render and store a certificate's PDF (again, if its file was lost); returns its
    SHA-256 ("" if the certificate is gone)."""
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None:
        return ""
    certificate = certificate_document_issue(certificate)
    return certificate.pdf_sha256


@task()
def run_bulk_issuance(run_id: int) -> dict:
    """Issue certificates to a cohort's eligible learners; returns the run's counts."""
    from certification.services import bulk_issuance_run

    run = bulk_issuance_run(run_id=run_id)
    return {"issued": run.issued, "skipped": run.skipped, "failed": run.failed}
