"""The certificates' chain in the ledger: every issue, revocation, re-issue, change of
expiry date and deletion is an entry with the certificate's state; verify_history names
a certificate changed or removed behind the registry's back; the data migration starts
the chain with the certificates that existed before it."""

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from certification import history, numbers, services
from certification.models import BulkIssuance, Certificate
from courses.models import Enrolment
from lms.ledger import jsonable, verify_history
from lms.models import LedgerEntry
from tests.factories import UserFactory

CHAIN = history.CHAIN


@pytest.fixture
def registrar(db):
    return UserFactory(
        email="registrar@example.com", full_name="Ирина Викторовна Ким", groups=["Registrars"]
    )


def _entries():
    return list(
        LedgerEntry.objects.filter(chain=CHAIN)
        .order_by("sequence")
        .values_list("subject", "action", "actor")
    )


def _latest(certificate) -> LedgerEntry:
    return (
        LedgerEntry.objects.filter(chain=CHAIN, subject=history.subject(certificate))
        .order_by("-sequence")
        .first()
    )


def _verify():
    return verify_history(chains=[CHAIN])[0]


def _stored_state(certificate) -> dict:
    stored = Certificate.objects.select_related("superseded_by").get(pk=certificate.pk)
    return jsonable(history.certificate_state(stored))


def test_issue_on_completion_records_the_certificates_state(completed):
    enrolment, course = completed
    certificate = services.certificate_issue(enrolment=enrolment)
    entry = LedgerEntry.objects.get(chain=CHAIN)
    assert (entry.subject, entry.action, entry.actor) == (
        f"certificate:{certificate.number}",
        "issue",
        "system",
    )
    assert entry.payload["via"] == "completion"
    state = entry.payload["state"]
    assert state["holder_name"] == "Айгүл Маратқызы Омарова"
    assert state["course_titles"]["ru"] == course.title
    assert state["revoked_at"] is None and state["superseded_by"] is None
    assert state == _stored_state(certificate)
    assert _verify().ok


def test_every_registry_action_is_chained_and_the_registry_verifies(completed, registrar):
    enrolment, course = completed
    Enrolment.objects.filter(pk=enrolment.pk).update(
        status=Enrolment.Status.COMPLETED, completed_at=timezone.now()
    )
    run = BulkIssuance.objects.create(cohort=enrolment.cohort, requested_by=registrar)
    services.bulk_issuance_run(run_id=run.pk)
    bulk = Certificate.objects.get(holder=enrolment.learner)
    manual, _ = services.certificate_issue_manual(
        holder=UserFactory(full_name="Нурлан Ерикович Абенов"),
        course=course,
        actor=registrar,
        expires_on=date(2030, 1, 1),
    )
    history.certificate_expiry_change(
        certificate=manual, expires_on=date(2031, 6, 30), actor=registrar
    )
    services.certificate_revoke(
        certificate=manual, reason="error", note="дубликат", actor=registrar
    )
    new = services.certificate_reissue(certificate=bulk, actor=registrar)
    replacement, _ = services.certificate_replace(certificate=manual, actor=registrar)

    subject = history.subject
    email = registrar.email
    assert _entries() == [
        (subject(bulk), "issue", email),
        (subject(manual), "issue", email),
        (subject(manual), "expiry_change", email),
        (subject(manual), "revoke", email),
        (subject(bulk), "revoke", email),
        (subject(new), "issue", email),
        (subject(bulk), "reissue", email),
        (subject(replacement), "issue", email),
        (subject(manual), "replace", email),
    ]
    payloads = [
        {k: v for k, v in p.items() if k != "state"}
        for p in LedgerEntry.objects.filter(chain=CHAIN)
        .order_by("sequence")
        .values_list("payload", flat=True)
    ]
    assert payloads == [
        {"via": "bulk", "run": run.pk},
        {"via": "manual"},
        {"previous": "2030-01-01", "expires_on": "2031-06-30"},
        {"reason": "error", "note": "дубликат"},
        {"reason": "superseded", "note": ""},
        {"via": "reissue", "previous": bulk.printed_number},
        {"new": new.number},
        {"via": "replacement", "previous": manual.printed_number},
        {"new": replacement.number},
    ]
    assert _latest(bulk).payload["state"]["superseded_by"] == new.number
    assert _latest(manual).payload["state"]["superseded_by"] == replacement.number
    for certificate in (bulk, manual, new, replacement):
        assert _latest(certificate).payload["state"] == _stored_state(certificate)
    report = _verify()
    assert report.ok and (report.entries, report.records) == (9, 4)


def test_the_edit_form_changes_the_expiry_date_through_the_chain(client, completed, registrar):
    enrolment, _course = completed
    certificate = services.certificate_issue(enrolment=enrolment)
    client.force_login(registrar)
    url = reverse("certification_certificate:edit", args=[certificate.pk])
    response = client.post(url, {"expires_on": "2030-01-01"})
    assert response.status_code == 302
    entry = _latest(certificate)
    assert (entry.action, entry.actor) == ("expiry_change", registrar.email)
    assert entry.payload["previous"] is None and entry.payload["expires_on"] == "2030-01-01"
    assert entry.payload["state"]["expires_on"] == "2030-01-01"
    # Wagtail's log entry, which the admin shows as the certificate's history, stays.
    assert ModelLogEntry.objects.for_instance(certificate).filter(action="wagtail.edit").exists()
    # Saving the same date again changes nothing, so the chain gains nothing.
    client.post(url, {"expires_on": "2030-01-01"})
    assert LedgerEntry.objects.filter(chain=CHAIN).count() == 2
    assert _verify().ok


def test_the_expiry_date_of_a_revoked_certificate_stays(completed, registrar):
    enrolment, _course = completed
    certificate = services.certificate_issue(enrolment=enrolment)
    services.certificate_revoke(certificate=certificate, reason="error", note="", actor=registrar)
    with pytest.raises(ValidationError):
        history.certificate_expiry_change(
            certificate=certificate, expires_on=date(2030, 1, 1), actor=registrar
        )
    assert Certificate.objects.get(pk=certificate.pk).expires_on is None


def test_a_certificate_changed_behind_the_registrys_back_is_named(completed, registrar):
    enrolment, _course = completed
    certificate = services.certificate_issue(enrolment=enrolment)
    services.certificate_issue_manual(holder=UserFactory(), course=_course, actor=registrar)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE certification_certificate SET holder_name = %s WHERE id = %s",
            ["Подставное Имя", certificate.pk],
        )
    report = _verify()
    assert report.broken is None  # the chain itself is intact
    (problem,) = report.mismatches
    assert (problem.chain, problem.sequence, problem.subject) == (
        CHAIN,
        1,
        f"certificate:{certificate.number}",
    )
    assert problem.what == "the record no longer matches this entry: holder_name"


def test_a_revocation_undone_behind_the_registrys_back_is_named(completed, registrar):
    enrolment, _course = completed
    certificate = services.certificate_issue(enrolment=enrolment)
    services.certificate_revoke(
        certificate=certificate, reason="misconduct", note="", actor=registrar
    )
    # A queryset update goes around the model's own refusal to restore a certificate.
    Certificate.objects.filter(pk=certificate.pk).update(
        revoked_at=None, revocation_reason="", expires_on=date(2040, 1, 1)
    )
    (problem,) = _verify().mismatches
    assert problem.sequence == 2  # the revocation
    assert problem.what.endswith("expires_on, revocation_reason, revoked_at")


def test_deletions_are_recorded_and_one_behind_the_back_is_named(completed, registrar):
    enrolment, course = completed
    first = services.certificate_issue(enrolment=enrolment)
    second, _ = services.certificate_issue_manual(
        holder=UserFactory(), course=course, actor=registrar
    )
    Certificate.objects.filter(pk=first.pk).delete()
    entry = _latest(first)
    assert (entry.action, entry.payload) == ("delete", {"state": None})
    assert _verify().ok
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM certification_certificate WHERE id = %s", [second.pk])
    (problem,) = _verify().mismatches
    assert (problem.subject, problem.what) == (
        history.subject(second),
        "the record in this entry is gone",
    )


def test_the_chain_starts_with_the_certificates_that_exist(completed, registrar):
    enrolment, course = completed
    original = services.certificate_issue(enrolment=enrolment)
    reissued = services.certificate_reissue(certificate=original, actor=registrar)
    # A certificate from before the ledger: in the registry, not in the chain.
    older = Certificate.objects.create(
        number=numbers.new_number(),
        holder=UserFactory(),
        course_key=course.translation_key,
        holder_name="Ерлан Болатұлы Сейітов",
        course_titles={"ru": course.title},
        academic_hours=72,
        grade=Decimal("87.5"),
        issuer="Академия",
        issued_at=timezone.now(),
        expires_on=date(2026, 10, 22),
    )
    (problem,) = _verify().mismatches
    assert (problem.subject, problem.what) == (
        history.subject(older),
        "the record has no entry in the history",
    )

    migration = importlib.import_module("certification.migrations.0008_history_ledger")
    migration.record_existing(apps, None)

    assert _latest(older).action == "baseline" and _latest(older).actor == "migration"
    for certificate in (original, reissued, older):
        # The migration's copy of the state is the live one.
        stored = Certificate.objects.select_related("superseded_by").get(pk=certificate.pk)
        assert jsonable(migration.certificate_state(stored)) == _stored_state(certificate)
        assert _latest(certificate).payload["state"] == _stored_state(certificate)
    report = _verify()
    assert report.ok and report.records == 3


def test_recording_costs_four_queries(completed, django_assert_num_queries):
    enrolment, _course = completed
    certificate = services.certificate_issue(enrolment=enrolment)
    with django_assert_num_queries(4):  # read the certificate, then the ledger's three
        history.record(certificate=certificate, action="issue", actor="system")
