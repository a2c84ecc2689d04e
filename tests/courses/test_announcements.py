"""Trainers' announcements: to the whole cohort or to the learners chosen in the
progress report (those falling behind), through the channels chosen; only for the
cohorts the trainer runs; the text kept plain."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import Announcement, Enrolment
from notifications.models import Delivery, Notification
from tests.factories import UserFactory
from tests.factories.courses import build_cohort

REPORT = "/admin/learning/report/"


@pytest.fixture(autouse=True)
def _noon_in_almaty(time_machine):
    time_machine.move_to("2026-12-08T12:00:00+05:00", tick=False)


@pytest.fixture
def other_cohort(course, other_trainer):
    return build_cohort(course, name="Поток 2", trainers=[other_trainer])


def enrol(cohort, email: str, *, idle_days: int | None = None, language: str = "ru"):
    now = timezone.now()
    return Enrolment.objects.create(
        learner=UserFactory(
            email=email, full_name=email.split("@")[0], preferred_language=language
        ),
        cohort=cohort,
        course_key=cohort.course.translation_key,
        enrolled_at=now - timedelta(days=30),
        last_activity_at=None if idle_days is None else now - timedelta(days=idle_days),
    )


@pytest.fixture
def roster(cohort):
    """Two learners behind, one busy, one withdrawn."""
    enrolments = {
        "idle": enrol(cohort, "idle@example.com", idle_days=9, language="kk"),
        "never": enrol(cohort, "never@example.com"),
        "busy": enrol(cohort, "busy@example.com", idle_days=0),
        "gone": enrol(cohort, "gone@example.com", idle_days=0),
    }
    Enrolment.objects.filter(pk=enrolments["gone"].pk).update(status=Enrolment.Status.WITHDRAWN)
    return enrolments


def announce_url(cohort) -> str:
    return reverse("courses_announce", args=[cohort.pk])


def post(client, cohort, **fields):
    data = {"audience": "cohort", "subject": "Занятие переносится", "body": "Текст", **fields}
    return client.post(announce_url(cohort), data)


def test_a_trainer_announces_to_the_whole_cohort(
    client, trainer, cohort, roster, django_capture_on_commit_callbacks
):
    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, cohort, channels=["email"], body="Завтра начинаем в 9:00.")
    assert response.status_code == 302
    announcement = Announcement.objects.get()
    assert (announcement.author, announcement.recipients_count) == (trainer, 3)
    assert announcement.to_whole_cohort and announcement.channels == ["email"]
    rows = Notification.objects.filter(
        event="announcement", target=f"announcement:{announcement.pk}"
    )
    assert sorted(rows.values_list("user__email", flat=True)) == [
        "busy@example.com",
        "idle@example.com",
        "never@example.com",
    ]
    assert "Завтра начинаем в 9:00." in rows.get(user__email="busy@example.com").body
    assert len(mail.outbox) == 3
    # the trainer sees what was sent, on the same page
    html = client.get(announce_url(cohort)).content.decode()
    assert "Занятие переносится" in html


def test_only_the_channels_chosen_are_used(client, trainer, cohort, roster):
    client.force_login(trainer)
    post(client, cohort, channels=[])
    assert Notification.objects.filter(event="announcement").count() == 3  # the inbox
    assert not Delivery.objects.exists()


def test_the_body_is_kept_as_plain_text(client, trainer, cohort, roster):
    client.force_login(trainer)
    post(
        client,
        cohort,
        subject="<b>Важно</b>",
        body='<script>alert("x")</script>Приходите <a href="javascript:evil()">сюда</a>',
    )
    announcement = Announcement.objects.get()
    assert announcement.subject == "Важно"
    assert "<script" not in announcement.body and "<a" not in announcement.body
    assert announcement.body == 'alert("x")Приходите сюда'
    row = Notification.objects.filter(event="announcement").first()
    assert "<script" not in row.body and row.subject == "Важно"


def test_markup_alone_is_refused(client, trainer, cohort, roster):
    client.force_login(trainer)
    response = post(client, cohort, body="<p></p>")
    assert response.status_code == 200  # the form again, with the error
    assert not Announcement.objects.exists()


def test_the_report_ticks_those_behind_and_feeds_the_form(client, trainer, cohort, roster):
    client.force_login(trainer)
    html = client.get(REPORT, {"cohort": cohort.pk}).content.decode()
    assert f'action="{announce_url(cohort)}"' in html
    for key in ("idle", "never"):
        pk = roster[key].pk
        assert f'name="enrolment" value="{pk}" id="select-{pk}" checked' in html
    busy = roster["busy"].pk
    assert f'name="enrolment" value="{busy}" id="select-{busy}">' in html
    assert f'value="{roster["gone"].pk}"' not in html  # withdrawn: nothing to tick
    assert html.count('class="lms-row--behind"') == 2

    only_behind = client.get(REPORT, {"cohort": cohort.pk, "behind": "on"}).content.decode()
    assert "idle@example.com" not in only_behind  # names, not e-mails, are listed
    assert ">idle<" in only_behind and ">never<" in only_behind and ">busy<" not in only_behind


def test_messaging_the_learners_behind(client, trainer, cohort, roster):
    client.force_login(trainer)
    chosen = [roster["idle"].pk, roster["never"].pk]
    form = client.get(announce_url(cohort), {"enrolment": chosen}).content.decode()
    assert 'value="selected" required id="id_audience_1" checked>' in form
    for n, pk in enumerate(chosen):
        assert f'name="enrolments" value="{pk}" id="id_enrolments_{n}" checked>' in form
    assert " idle</label>" in form and " busy</label>" not in form  # only those chosen
    response = post(client, cohort, audience="selected", enrolments=chosen)
    assert response.status_code == 302
    announcement = Announcement.objects.get()
    assert not announcement.to_whole_cohort and announcement.recipients_count == 2
    assert sorted(
        Notification.objects.filter(event="announcement").values_list("user__email", flat=True)
    ) == ["idle@example.com", "never@example.com"]


def test_learners_of_another_cohort_cannot_be_slipped_in(
    client, trainer, cohort, roster, other_cohort
):
    stranger = enrol(other_cohort, "stranger@example.com", idle_days=9)
    client.force_login(trainer)
    response = post(client, cohort, audience="selected", enrolments=[stranger.pk])
    assert response.status_code == 200  # the form again: not a choice here
    response = post(
        client, cohort, audience="selected", enrolments=[roster["idle"].pk, stranger.pk]
    )
    assert response.status_code == 200
    assert not Announcement.objects.exists()
    assert not Notification.objects.exists()


def test_selected_with_nobody_chosen_is_refused(client, trainer, cohort, roster):
    client.force_login(trainer)
    assert post(client, cohort, audience="selected").status_code == 200
    assert not Announcement.objects.exists()


def test_a_trainer_of_another_cohort_gets_404(client, other_trainer, cohort, roster):
    client.force_login(other_trainer)
    assert client.get(announce_url(cohort)).status_code == 404
    assert post(client, cohort).status_code == 404
    assert not Announcement.objects.exists()


def test_a_learner_cannot_post(client, cohort, roster):
    client.force_login(roster["busy"].learner)
    response = post(client, cohort)
    assert response.status_code in (302, 403)  # the admin sends them to sign in, or refuses
    assert not Announcement.objects.exists()


def test_the_service_skips_withdrawn_and_foreign_enrolments(cohort, trainer, roster, other_cohort):
    stranger = enrol(other_cohort, "stranger@example.com")
    announcement = services.announcement_post(
        cohort=cohort,
        author=trainer,
        subject="Тема",
        body="Текст",
        enrolments=[roster["gone"], stranger, roster["idle"]],
    )
    assert announcement.recipients_count == 1
    assert list(Notification.objects.values_list("user__email", flat=True)) == ["idle@example.com"]


def test_the_learner_reads_it_in_their_language(cohort, trainer, roster):
    services.announcement_post(cohort=cohort, author=trainer, subject="Тема", body="Текст")
    row = Notification.objects.get(user=roster["idle"].learner)
    assert row.language == "kk"
    assert row.body.startswith(f"{cohort.name}, жіберген: {trainer.full_name}:")
