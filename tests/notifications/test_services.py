import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import translation

from lms.models import User
from notifications import services
from notifications.models import ContactSettings, Delivery, Notification, Preference
from notifications.services import Message, notify, quiet_until

ALMATY = ZoneInfo("Asia/Almaty")


def _message(user):
    return Message(
        subject=f"Hello {user.full_name} in {translation.get_language()}",
        body="Body",
        url="/ru/dashboard/",
    )


@pytest.fixture
def learner(learners):
    return learners["learner@example.com"]


def test_notify_twice_writes_one_row_and_one_delivery(learner):
    assert notify(event="test_event", recipients=[learner], target="x:1", message=_message) == 1
    assert notify(event="test_event", recipients=[learner], target="x:1", message=_message) == 0
    assert Notification.objects.filter(user=learner).count() == 1
    assert Delivery.objects.filter(notification__user=learner).count() == 1  # e-mail
    learner.refresh_from_db()
    assert learner.unread_notifications == 1


def test_a_new_target_notifies_again(learner):
    notify(event="test_event", recipients=[learner], target="x:1", message=_message)
    assert notify(event="test_event", recipients=[learner], target="x:2", message=_message) == 1


def test_unknown_event_is_refused(learner):
    with pytest.raises(ValueError):
        notify(event="nope", recipients=[learner], target="x:1", message=_message)


def test_message_is_written_in_each_recipients_language(learners):
    notify(event="test_event", recipients=learners.values(), target="x:1", message=_message)
    rows = {row.user.email: row for row in Notification.objects.select_related("user")}
    assert rows["learner@example.com"].subject.endswith("in kk")
    assert rows["learner@example.com"].language == "kk"
    assert rows["learner2@example.com"].subject.endswith("in ru")


def test_inactive_people_are_not_notified(learner):
    User.objects.filter(pk=learner.pk).update(is_active=False)
    learner.refresh_from_db()
    assert notify(event="test_event", recipients=[learner], target="x:1", message=_message) == 0


def test_preference_off_means_no_delivery(learner):
    Preference.objects.create(user=learner, event="test_event", channel="email", enabled=False)
    notify(event="test_event", recipients=[learner], target="x:1", message=_message)
    assert Notification.objects.filter(user=learner).exists()  # the inbox gets it anyway
    assert not Delivery.objects.exists()


def test_event_default_off_unless_chosen(learner):
    notify(event="inbox_only", recipients=[learner], target="x:1", message=_message)
    assert not Delivery.objects.exists()
    Preference.objects.create(user=learner, event="inbox_only", channel="email", enabled=True)
    notify(event="inbox_only", recipients=[learner], target="x:2", message=_message)
    assert Delivery.objects.count() == 1


def test_deliveries_go_out_after_commit(learner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(event="test_event", recipients=[learner], target="x:1", message=_message)
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["learner@example.com"]
    assert sent.subject == "Hello Ерлан Болатұлы Сейітов in kk"
    assert "http://testserver/ru/dashboard/" in sent.body
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.SENT
    assert delivery.attempts == 1


def test_job_run_twice_sends_once(learner):
    notify(event="test_event", recipients=[learner], target="x:1", message=_message)
    assert services.deliveries_send_due() == 1
    assert services.deliveries_send_due() == 0
    assert len(mail.outbox) == 1


def test_quiet_hours_defer_until_the_window_ends(learner, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 8, 23, 30, tzinfo=ALMATY), tick=False)
    notify(event="test_event", recipients=[learner], target="x:1", message=_message)
    assert Notification.objects.filter(user=learner).exists()  # the inbox at once
    delivery = Delivery.objects.get()
    assert delivery.next_attempt_at == datetime.datetime(2026, 12, 9, 8, 0, tzinfo=ALMATY)
    assert services.deliveries_send_due() == 0
    time_machine.move_to(datetime.datetime(2026, 12, 9, 8, 1, tzinfo=ALMATY), tick=False)
    assert services.deliveries_send_due() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("start", "end", "at", "until"),
    [
        ((22, 0), (8, 0), (23, 0), (1, 8, 0)),
        ((22, 0), (8, 0), (7, 59), (0, 8, 0)),
        ((22, 0), (8, 0), (8, 0), None),
        ((22, 0), (8, 0), (21, 59), None),
        ((13, 0), (15, 0), (14, 0), (0, 15, 0)),
        ((13, 0), (15, 0), (15, 0), None),
        ((9, 0), (9, 0), (9, 0), None),
    ],
)
def test_quiet_until(start, end, at, until):
    contact = ContactSettings(quiet_start=datetime.time(*start), quiet_end=datetime.time(*end))
    now = datetime.datetime(2026, 12, 8, *at, tzinfo=ALMATY)
    expected = (
        None
        if until is None
        else datetime.datetime(2026, 12, 8 + until[0], until[1], until[2], tzinfo=ALMATY)
    )
    assert quiet_until(contact=contact, now=now) == expected


def test_mark_read_keeps_the_counter(learner):
    notify(event="test_event", recipients=[learner], target="x:1", message=_message)
    notify(event="test_event", recipients=[learner], target="x:2", message=_message)
    first = Notification.objects.filter(user=learner).first()
    assert services.notification_mark_read(user=learner, notification=first)
    assert not services.notification_mark_read(user=learner, notification=first)
    learner.refresh_from_db()
    assert learner.unread_notifications == 1
    assert services.notifications_mark_all_read(user=learner) == 1
    assert services.notifications_mark_all_read(user=learner) == 0
    learner.refresh_from_db()
    assert learner.unread_notifications == 0


def test_counter_never_goes_below_zero(learner):
    notify(event="test_event", recipients=[learner], target="x:1", message=_message)
    User.objects.filter(pk=learner.pk).update(unread_notifications=0)  # drifted
    services.notifications_mark_all_read(user=learner)
    learner.refresh_from_db()
    assert learner.unread_notifications == 0
