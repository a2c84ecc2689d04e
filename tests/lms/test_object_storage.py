"""Files on S3-compatible object storage, against a local S3 server (moto's server mode
on loopback) with the bucket policy the README asks for: public/* readable by anyone,
private/* by no one without a signature."""

import hashlib
import json
import urllib.error
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.images.models import Image

from certification import services
from certification.models import CourseCertificateTemplate
from courses import services as course_services
from lms import env
from tests.certification.conftest import (  # noqa: F401 (a fixture)
    add_template_with_signature,
    certificate_template,
    png,
)
from tests.factories import UserFactory
from tests.factories.courses import build_cohort, build_course

BUCKET = "akim-media"
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/public/*",
        }
    ],
}


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_server, settings, monkeypatch):
    """A fresh bucket with the README's policy, and the storages pointed at it as the
    environment would point them. Returns a boto3 client of the bucket's owner."""
    import boto3
    from wagtail.images.models import Rendition

    environ = {
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": s3_server,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "akim-test",
        "AWS_SECRET_ACCESS_KEY": "akim-test-secret",
        "AWS_S3_ADDRESSING_STYLE": "path",
    }
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id="akim-test",
        aws_secret_access_key="akim-test-secret",
    )
    client.create_bucket(Bucket=BUCKET)
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))
    settings.STORAGES = {
        **env.storages_from_env(private_file_url_seconds=60),
        "staticfiles": settings.STORAGES["staticfiles"],
    }
    # Wagtail resolves the renditions' storage once, when its model is defined.
    monkeypatch.setattr(Rendition._meta.get_field("file"), "storage", storages["public"])
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _anonymous_get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def _keys(client) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def certificate(s3, home_pages, request):
    course = build_course(home_pages["ru"], modules=1, lessons=2)
    course.requires_module_tests = course.requires_final_exam = False
    course.save()
    CourseCertificateTemplate.objects.create(
        course=course, template=request.getfixturevalue("certificate_template")
    )
    learner = UserFactory(email="aigul@example.com", full_name="Айгүл Омарова")
    enrolment = course_services.enrolment_create(learner=learner, cohort=build_cohort(course))
    return services.certificate_issue(enrolment=enrolment)


def test_a_certificate_pdf_on_object_storage_is_private_and_rendered_again(
    client, s3, s3_server, certificate
):
    client.force_login(certificate.holder)
    url = reverse("certificate_pdf", args=[certificate.pk])
    first = _body(client.get(url))
    assert first.startswith(b"%PDF")
    certificate.refresh_from_db()
    assert hashlib.sha256(first).hexdigest() == certificate.pdf_sha256
    key = f"private/certificates/{certificate.number}.pdf"
    keys = _keys(s3)
    assert key in keys
    assert any(k.startswith("private/certificates/signatures/") for k in keys)
    assert any(k.startswith("private/certificates/assets/") for k in keys)
    assert not [k for k in keys if k.startswith("public/") and "certificates" in k]
    # Guessing the address from the public number gets nothing.
    assert _anonymous_get(f"{s3_server}/{BUCKET}/{key}")[0] == 403

    s3.delete_object(Bucket=BUCKET, Key=key)
    again = _body(client.get(url))
    assert hashlib.sha256(again).hexdigest() == certificate.pdf_sha256
    assert key in _keys(s3)


def test_an_uploaded_signature_goes_to_the_private_prefix_with_signed_links(client, s3, db):
    client.force_login(UserFactory(groups=["Registrars"]))
    signature = add_template_with_signature(client).signature
    assert _keys(s3) == [f"private/{signature.name}"]
    signed = signature.url
    assert "Signature=" in signed or "X-Amz-Signature=" in signed
    assert _anonymous_get(signed) == (200, png("#000080"))
    assert _anonymous_get(signed.split("?")[0])[0] == 403


def test_a_rendition_is_public_and_its_original_is_not(s3, db):
    image = Image.objects.create(
        title="Обложка", file=SimpleUploadedFile("cover.png", png("#00aa00", (300, 200)))
    )
    rendition = image.get_rendition("fill-120x80|format-png")
    assert f"/{BUCKET}/public/images/" in rendition.url
    assert "Signature" not in rendition.url
    status, data = _anonymous_get(rendition.url)
    assert status == 200 and data.startswith(b"\x89PNG")
    assert f"private/{image.file.name}" in _keys(s3)
    assert _anonymous_get(image.file.url.split("?")[0])[0] == 403


def test_a_document_on_object_storage_is_served_by_wagtails_view(client, s3, db):
    document = Document.objects.create(
        title="Приказ", file=ContentFile(b"%PDF-1.4 order", name="order.pdf")
    )
    assert f"private/{document.file.name}" in _keys(s3)
    response = client.get(document.url)
    assert response.status_code == 200
    assert _body(response) == b"%PDF-1.4 order"
    assert default_storage.exists(document.file.name)
