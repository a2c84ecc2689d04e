"""Issuing by hand and in bulk for a cohort (a django-tasks task), through the same
service as issuance on completion; and the history each action leaves in Wagtail's log."""

import logging
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from certification import selectors, services
from certification.models import BulkIssuance, Certificate
from courses import services as course_services
from courses.models import Enrolment
from tests.factories import UserFactory
from tests.factories.courses import build_cohort


@pytest.fixture
def registrar(db):
    return UserFactory(
        email="registrar@example.com", full_name="Ирина Викторовна Ким", groups=["Registrars"]
    )


def _history(certificate):
    return list(
        ModelLogEntry.objects.for_instance(certificate)
        .order_by("timestamp", "pk")
        .values_list("action", "user_id")
    )


# By hand ----------------------------------------------------------------------------


def test_manual_issue_snapshots_like_completion(completed, registrar):
    _enrolment, course = completed
    seminar = UserFactory(full_name="Нурлан Ерикович Абенов")
    certificate, created = services.certificate_issue_manual(
        holder=seminar,
        course=course,
        actor=registrar,
        academic_hours=16,
        issued_on=date(2021, 7, 12),
        expires_on=date(2025, 7, 12),
    )
    assert created
    assert certificate.holder_name == "Нурлан Ерикович Абенов"
    assert certificate.course_titles["ru"] == course.title
    assert certificate.academic_hours == 16
    assert certificate.issued_on == date(2021, 7, 12)
    assert certificate.expires_on == date(2025, 7, 12)
    assert certificate.enrolment is None and certificate.cohort is None
    assert _history(certificate) == [("certification.issue", registrar.pk)]


def test_manual_issue_is_idempotent(completed, registrar):
    enrolment, course = completed
    automatic = services.certificate_issue(enrolment=enrolment)
    again, created = services.certificate_issue_manual(
        holder=enrolment.learner, course=course, actor=registrar
    )
    assert not created and again.pk == automatic.pk
    assert Certificate.objects.count() == 1


def test_manual_issue_uses_the_learners_cohort_or_the_one_given(completed, registrar):
    enrolment, course = completed
    certificate, _ = services.certificate_issue_manual(
        holder=enrolment.learner, course=course, actor=registrar
    )
    assert certificate.cohort == enrolment.cohort and certificate.enrolment == enrolment
    other = build_cohort(course, name="Очный семинар, Есиль")
    seminar, _ = services.certificate_issue_manual(
        holder=UserFactory(), course=course, cohort=other, actor=registrar
    )
    assert seminar.cohort == other and seminar.cohort_name == "Очный семинар, Есиль"


def test_manual_issue_refuses_bad_input(completed, registrar, home_pages):
    from tests.factories.courses import build_course

    _enrolment, course = completed
    elsewhere = build_cohort(build_course(home_pages["ru"], slug="other"))
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.certificate_issue_manual(
            holder=UserFactory(),
            course=course,
            cohort=elsewhere,
            issued_on=tomorrow,
            actor=registrar,
        )
    assert set(error.value.message_dict) == {"cohort", "issued_on"}
    with pytest.raises(ValidationError) as error:
        services.certificate_issue_manual(
            holder=UserFactory(),
            course=course,
            issued_on=date(2022, 1, 1),
            expires_on=date(2021, 1, 1),
            actor=registrar,
        )
    assert set(error.value.message_dict) == {"expires_on"}
    assert not Certificate.objects.exists()


# In bulk ------------------------------------------------------------------------------


@pytest.fixture
def cohort_of_five(completed):
    """The completed learner, two more who completed, one active, one withdrawn."""
    enrolment, course = completed
    cohort = enrolment.cohort
    Enrolment.objects.filter(pk=enrolment.pk).update(
        status=Enrolment.Status.COMPLETED, completed_at=timezone.now()
    )
    for name, status in [
        ("Бекзат Қанатұлы", Enrolment.Status.COMPLETED),
        ("Гаухар Ержанқызы", Enrolment.Status.COMPLETED),
        ("Данияр Маратұлы", Enrolment.Status.ACTIVE),
        ("Еркежан Сәкенқызы", Enrolment.Status.WITHDRAWN),
    ]:
        learner = UserFactory(full_name=name)
        created = course_services.enrolment_create(learner=learner, cohort=cohort)
        Enrolment.objects.filter(pk=created.pk).update(status=status)
    return cohort


def test_candidates_say_who_is_eligible(cohort_of_five, completed, registrar):
    enrolment, course = completed
    services.certificate_issue_manual(holder=enrolment.learner, course=course, actor=registrar)
    candidates = selectors.bulk_candidates(cohort=cohort_of_five)
    names = lambda enrolments: [e.learner.full_name for e in enrolments]  # noqa: E731
    assert names(candidates.to_issue) == ["Бекзат Қанатұлы", "Гаухар Ержанқызы"]
    assert names(candidates.already_held) == ["Айгүл Маратқызы Омарова"]
    assert names(candidates.not_eligible) == ["Данияр Маратұлы", "Еркежан Сәкенқызы"]


def test_bulk_run_issues_to_the_completed_learners_once(
    cohort_of_five, registrar, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.bulk_issuance_start(cohort=cohort_of_five, requested_by=registrar)
    run.refresh_from_db()
    assert run.state == BulkIssuance.State.FINISHED
    assert (run.total, run.issued, run.skipped, run.failed) == (3, 3, 0, 0)
    assert run.started_at and run.finished_at and run.task_id
    holders = set(Certificate.objects.values_list("holder__full_name", flat=True))
    assert holders == {"Айгүл Маратқызы Омарова", "Бекзат Қанатұлы", "Гаухар Ержанқызы"}
    certificate = Certificate.objects.get(holder__full_name="Бекзат Қанатұлы")
    assert certificate.cohort == cohort_of_five
    assert certificate.pdf_sha256  # rendered by the PDF task once committed
    entry = ModelLogEntry.objects.for_instance(certificate).get(action="certification.issue")
    assert entry.user == registrar and entry.data["via"] == "bulk" and entry.data["run"] == run.pk

    with django_capture_on_commit_callbacks(execute=True):
        second = services.bulk_issuance_start(cohort=cohort_of_five, requested_by=registrar)
    second.refresh_from_db()
    assert second.pk != run.pk
    assert (second.total, second.issued, second.skipped) == (3, 0, 3)
    assert Certificate.objects.count() == 3


def test_a_run_is_claimed_once(cohort_of_five, registrar):
    run = BulkIssuance.objects.create(cohort=cohort_of_five, requested_by=registrar)
    services.bulk_issuance_run(run_id=run.pk)
    again = services.bulk_issuance_run(run_id=run.pk)  # the task delivered a second time
    assert again.issued == 3 and Certificate.objects.count() == 3


def test_a_waiting_run_is_not_started_twice(cohort_of_five, registrar):
    first = services.bulk_issuance_start(cohort=cohort_of_five, requested_by=registrar)
    second = services.bulk_issuance_start(cohort=cohort_of_five, requested_by=registrar)
    assert first.pk == second.pk and BulkIssuance.objects.count() == 1


def test_one_learners_failure_is_recorded_and_the_run_goes_on(
    cohort_of_five, registrar, monkeypatch, caplog
):
    real = services._snapshot

    def failing(*, holder, **kwargs):
        if holder.full_name == "Бекзат Қанатұлы":
            raise RuntimeError("шаблон недоступен")
        return real(holder=holder, **kwargs)

    monkeypatch.setattr(services, "_snapshot", failing)
    run = BulkIssuance.objects.create(cohort=cohort_of_five, requested_by=registrar)
    with caplog.at_level(logging.ERROR):
        run = services.bulk_issuance_run(run_id=run.pk)
    assert (run.issued, run.failed, run.state) == (2, 1, BulkIssuance.State.FINISHED)
    assert run.problems == [
        {
            "learner": run.problems[0]["learner"],
            "name": "Бекзат Қанатұлы",
            "problem": "шаблон недоступен",
        }
    ]


# History -------------------------------------------------------------------------------


def test_revoke_and_reissue_leave_history_with_actor(completed, registrar, caplog):
    enrolment, _course = completed
    certificate = services.certificate_issue(enrolment=enrolment)
    with caplog.at_level(logging.INFO, logger="lms.security"):
        new = services.certificate_reissue(certificate=certificate, actor=registrar)
    assert _history(certificate) == [
        ("certification.issue", None),  # on completion: the system
        ("certification.revoke", registrar.pk),
        ("certification.reissue", registrar.pk),
    ]
    assert _history(new) == [("certification.issue", registrar.pk)]
    issue = ModelLogEntry.objects.for_instance(new).get()
    assert issue.data == {
        "number": new.printed_number,
        "via": "reissue",
        "previous": certificate.printed_number,
    }
    assert issue.timestamp.utcoffset() == timedelta(0)  # stored and read in UTC
    assert "event=certificate_reissue actor='registrar@example.com'" in caplog.text
    assert new.layout == certificate.layout and new.cohort_id == certificate.cohort_id


def test_log_messages_are_translated(completed, registrar):
    from django.utils import translation

    enrolment, _course = completed
    certificate = services.certificate_issue(enrolment=enrolment)
    services.certificate_revoke(
        certificate=certificate, reason="misconduct", note="", actor=registrar
    )
    entry = ModelLogEntry.objects.for_instance(certificate).get(action="certification.revoke")
    with translation.override("ru"):
        assert entry.message != "Revoked: misconduct (academic dishonesty)"
        assert entry.message.startswith("Отозван")


def test_history_written_before_the_rename_says_misconduct(completed):
    """Entries recorded when the reason was stored as "fraud" read as misconduct."""
    from django.utils import translation

    enrolment, _course = completed
    certificate = services.certificate_issue(enrolment=enrolment)
    services.certificate_revoke(certificate=certificate, reason="error", note="", actor="r")
    entry = ModelLogEntry.objects.for_instance(certificate).get(action="certification.revoke")
    entry.data = {"reason": "fraud", "note": ""}
    entry.save()
    with translation.override("en"):
        assert entry.message == "Revoked: misconduct (academic dishonesty)"
