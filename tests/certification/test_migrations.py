"""Data migrations of the registry, run on rows that exist before them."""

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("certification", "0006_signature_checked_upload")]
AFTER = [("certification", "0007_misconduct_and_identity_salt")]


@pytest.fixture(autouse=True)
def _latest_schema_after():
    """Each test leaves the schema where it found it, passing or failing: the tests
    after it need every table."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_fraud_becomes_misconduct_and_each_certificate_gets_its_own_salt():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    holder = old.get_model("lms", "User").objects.create(
        email="old@example.com", full_name="Старый Держатель", password="!"
    )
    Certificate = old.get_model("certification", "Certificate")
    now = timezone.now()
    for number, reason in [
        ("AAAA0000000A0", "fraud"),
        ("AAAA0000000B0", "error"),
        ("AAAA0000000C0", ""),
    ]:
        Certificate.objects.create(
            number=number,
            holder=holder,
            course_key=uuid.uuid4(),
            holder_name=holder.full_name,
            issuer="Академия",
            revoked_at=now if reason else None,
            revocation_reason=reason,
        )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    rows = dict(
        new.get_model("certification", "Certificate").objects.values_list(
            "number", "revocation_reason"
        )
    )
    assert rows == {"AAAA0000000A0": "misconduct", "AAAA0000000B0": "error", "AAAA0000000C0": ""}
    salts = list(
        new.get_model("certification", "Certificate").objects.values_list(
            "identity_salt", flat=True
        )
    )
    assert len(set(salts)) == 3 and all(len(salt) == 32 for salt in salts)

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)  # and back: the reason is "fraud" again
    back = executor.loader.project_state(BEFORE).apps
    reasons = back.get_model("certification", "Certificate").objects.values_list(
        "revocation_reason", flat=True
    )
    assert sorted(reasons) == ["", "error", "fraud"]


TEMPLATE_ON_COURSE = [
    ("certification", "0009_bulk_issuance_takeover"),
    ("courses", "0005_coursepage_certificate_template"),
]
TEMPLATE_IN_REGISTRY = [("courses", "0006_remove_coursepage_certificate_template")]


@pytest.mark.django_db(transaction=True)
def test_a_courses_template_moves_into_the_registry_and_back():
    executor = MigrationExecutor(connection)
    executor.migrate(TEMPLATE_ON_COURSE)
    old = executor.loader.project_state(TEMPLATE_ON_COURSE).apps
    template = old.get_model("certification", "CertificateTemplate").objects.create(name="Синий")
    locale, _ = old.get_model("wagtailcore", "Locale").objects.get_or_create(language_code="ru")
    content_type, _ = old.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="courses", model="coursepage"
    )
    CoursePage = old.get_model("courses", "CoursePage")
    courses = {}
    for n, chosen in [(1, template), (2, None)]:
        courses[n] = CoursePage.objects.create(
            title=f"Курс {n}",
            draft_title=f"Курс {n}",
            slug=f"course-{n}",
            path=f"0001999{n}",
            depth=2,
            url_path=f"/course-{n}/",
            content_type=content_type,
            locale=locale,
            translation_key=uuid.uuid4(),
            academic_hours=72,
            certificate_template=chosen,
        ).pk

    executor = MigrationExecutor(connection)
    executor.migrate(TEMPLATE_IN_REGISTRY)
    new = executor.loader.project_state(TEMPLATE_IN_REGISTRY).apps
    choices = new.get_model("certification", "CourseCertificateTemplate").objects
    assert list(choices.values_list("course_id", "template_id")) == [(courses[1], template.pk)]

    executor = MigrationExecutor(connection)
    executor.migrate(TEMPLATE_ON_COURSE)  # and back: the course has its template again
    back = executor.loader.project_state(TEMPLATE_ON_COURSE).apps
    chosen = dict(
        back.get_model("courses", "CoursePage").objects.values_list("pk", "certificate_template")
    )
    assert chosen == {courses[1]: template.pk, courses[2]: None}
