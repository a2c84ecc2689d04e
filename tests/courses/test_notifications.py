"""Enrolment tells the learner, in their language, once per cohort."""

from django.core import mail

from courses.services import enrolment_create
from notifications.models import Notification, Preference
from tests.factories import UserFactory
from tests.factories.courses import build_cohort


def test_enrolment_notifies_once_in_the_learners_language(
    learner, cohort, django_capture_on_commit_callbacks
):
    learner.preferred_language = "en"
    learner.save()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_create(learner=learner, cohort=cohort)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_create(learner=learner, cohort=cohort)  # again: nothing new
    notification = Notification.objects.get(user=learner)
    assert notification.event == "enrolled"
    assert notification.language == "en"
    assert cohort.name_in("en") in notification.body
    assert notification.url  # the course
    learner.refresh_from_db()
    assert learner.unread_notifications == 1
    assert mail.outbox == []  # e-mail only when chosen (the invitation says it already)


def test_enrolment_by_email_when_chosen(
    learner, cohort, django_capture_on_commit_callbacks, time_machine
):
    # Noon in Almaty: in the learner's quiet hours (22:00 to 08:00) the e-mail waits.
    time_machine.move_to("2026-12-08T12:00:00+05:00", tick=False)
    Preference.objects.create(user=learner, event="enrolled", channel="email", enabled=True)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_create(learner=learner, cohort=cohort)
    (message,) = mail.outbox
    assert message.to == [learner.email]
    assert cohort.name in message.body


def test_moving_to_another_cohort_notifies_again(
    learner, cohort, course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_create(learner=learner, cohort=cohort)
        enrolment_create(learner=learner, cohort=build_cohort(course, name="Второй поток"))
    assert Notification.objects.filter(user=learner, event="enrolled").count() == 2


def test_a_rolled_back_enrolment_notifies_nobody(cohort):
    # Without a commit, nothing is announced (the test's transaction never commits).
    enrolment_create(learner=UserFactory(), cohort=cohort)
    assert not Notification.objects.exists()
