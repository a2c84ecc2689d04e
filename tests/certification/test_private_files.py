"""Nothing of a certificate is reachable by guessing a URL: its PDF (named by the public
number), its signatures and layout images live in the private storage, and the PDF
reaches its holder through the permission-checked view."""

import hashlib
from pathlib import Path

import pytest
from django.urls import reverse

from certification import documents, services
from certification.models import CourseCertificateTemplate
from courses import services as course_services
from tests.certification.conftest import add_template_with_signature
from tests.factories import UserFactory
from tests.factories.courses import build_cohort, build_course


def _files(folder: Path) -> list[str]:
    if not folder.exists():
        return []
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def certificate(disk, home_pages, certificate_template):
    course = build_course(home_pages["ru"], modules=1, lessons=2)
    course.requires_module_tests = course.requires_final_exam = False
    course.save()
    CourseCertificateTemplate.objects.create(course=course, template=certificate_template)
    learner = UserFactory(email="aigul@example.com", full_name="Айгүл Омарова")
    enrolment = course_services.enrolment_create(learner=learner, cohort=build_cohort(course))
    return services.certificate_issue(enrolment=enrolment)


def test_nothing_of_a_certificate_is_under_media_root(client, disk, certificate):
    """The PDF (named by the public number), the signatures and the layout images are
    all private; the PDF reaches its holder through the permission-checked view."""
    media_root, private_root = disk
    client.force_login(certificate.holder)
    response = client.get(reverse("certificate_pdf", args=[certificate.pk]))
    assert response.status_code == 200
    data = _body(response)
    certificate.refresh_from_db()
    assert hashlib.sha256(data).hexdigest() == certificate.pdf_sha256
    private = _files(private_root)
    assert f"certificates/{certificate.number}.pdf" in private
    assert any(name.startswith("certificates/assets/") for name in private)
    assert any(name.startswith("certificates/signatures/") for name in private)
    assert not any(name.startswith("certificates/") for name in _files(media_root))
    assert client.get(f"/media/certificates/{certificate.number}.pdf").status_code == 404


def test_a_lost_pdf_on_disk_is_rendered_again_with_its_hash(client, disk, certificate):
    _media_root, private_root = disk
    certificate = documents.certificate_document_issue(certificate)
    published = certificate.pdf_sha256
    (private_root / certificate.pdf.name).unlink()
    client.force_login(certificate.holder)
    data = _body(client.get(reverse("certificate_pdf", args=[certificate.pk])))
    assert hashlib.sha256(data).hexdigest() == published
    assert (private_root / certificate.pdf.name).read_bytes() == data


def test_an_uploaded_signature_is_private_and_the_admin_links_it_signed(client, disk, db):
    media_root, private_root = disk
    client.force_login(UserFactory(groups=["Registrars"]))
    signatory = add_template_with_signature(client)
    assert _files(private_root) == [signatory.signature.name]
    assert _files(media_root) == []
    edit = client.get(
        f"/admin/snippets/certification/certificatetemplate/edit/{signatory.template_id}/"
    ).content.decode()
    assert "/files/" in edit and "/media/certificates/" not in edit
