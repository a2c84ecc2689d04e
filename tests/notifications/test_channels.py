import datetime

import pytest
from django.core import mail

from notifications import services
from notifications.channels import SMS_MAX_LENGTH, Outgoing, SmsChannel
from notifications.models import ContactSettings, Delivery
from notifications.services import Message, notify


def _message(user):
    return Message(subject="Эссе проверено", body="Оценка: 8 из 10.", url="/ru/quizzes/1/")


@pytest.fixture
def learner(learners):
    return learners["learner2@example.com"]


@pytest.fixture
def linked(learner):
    return ContactSettings.objects.create(
        user=learner, telegram_chat_id="555", phone="+77011234567"
    )


def _only(channel):
    """Deliveries of one channel (e-mail is always configured in the tests)."""
    return Delivery.objects.get(channel=channel)


def test_telegram_sends_through_the_bot_api(telegram, linked, learner):
    notify(event="test_event", recipients=[learner], target="t:1", message=_message)
    assert services.deliveries_send_due() == 2  # e-mail and Telegram
    (request,) = telegram.requests
    assert request["path"] == "/bot123:secret-token/sendMessage"
    assert request["json"]["chat_id"] == "555"
    assert request["json"]["text"] == (
        "Эссе проверено\n\nОценка: 8 из 10.\n\nhttp://testserver/ru/quizzes/1/"
    )
    assert _only("telegram").status == Delivery.Status.SENT


def test_telegram_429_waits_as_long_as_asked(telegram, linked, learner, time_machine):
    telegram.answer(
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests",
            "parameters": {"retry_after": 600},
        },
    )
    notify(event="test_event", recipients=[learner], target="t:1", message=_message)
    now = datetime.datetime.now(datetime.UTC)
    services.deliveries_send_due()
    delivery = _only("telegram")
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.attempts == 1
    assert delivery.next_attempt_at == now + datetime.timedelta(seconds=600)
    assert "429" in delivery.last_error
    assert services.deliveries_send_due() == 0  # not yet
    time_machine.shift(datetime.timedelta(seconds=601))
    assert services.deliveries_send_due() == 1
    assert _only("telegram").status == Delivery.Status.SENT
    assert len(telegram.requests) == 2


def test_telegram_5xx_is_retried_then_failed_after_four_attempts(
    telegram, linked, learner, time_machine, caplog
):
    for _ in range(4):
        telegram.answer(502, {"ok": False, "description": "Bad Gateway"})
    notify(event="test_event", recipients=[learner], target="t:1", message=_message)
    services.deliveries_send_due()
    for pause in (1, 5, 30):
        delivery = _only("telegram")
        assert delivery.status == Delivery.Status.PENDING
        time_machine.shift(datetime.timedelta(minutes=pause) - datetime.timedelta(seconds=1))
        services.deliveries_send_due()
        assert _only("telegram").attempts == delivery.attempts  # the pause is kept
        time_machine.shift(datetime.timedelta(seconds=1))
        services.deliveries_send_due()
    delivery = _only("telegram")
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.attempts == 4
    assert "502" in delivery.last_error
    assert len(telegram.requests) == 4
    assert "failed after 4 attempts" in caplog.text
    time_machine.shift(datetime.timedelta(hours=2))
    assert services.deliveries_send_due() == 0
    assert len(telegram.requests) == 4


def test_telegram_blocked_bot_fails_at_once_and_unlinks(telegram, linked, learner):
    telegram.answer(
        403,
        {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"},
    )
    notify(event="test_event", recipients=[learner], target="t:1", message=_message)
    services.deliveries_send_due()
    delivery = _only("telegram")
    assert delivery.status == Delivery.Status.FAILED
    assert "blocked" in delivery.last_error
    assert "secret-token" not in delivery.last_error
    linked.refresh_from_db()
    assert linked.telegram_chat_id == ""
    # Nothing more is queued for Telegram until the chat is linked again.
    notify(event="test_event", recipients=[learner], target="t:2", message=_message)
    assert Delivery.objects.filter(channel="telegram").count() == 1


def test_telegram_unreachable_is_retried(settings, linked, learner):
    settings.TELEGRAM_BOT_TOKEN = "123:secret-token"
    settings.TELEGRAM_BOT_USERNAME = "AkimAcademyBot"
    settings.TELEGRAM_API_URL = "http://127.0.0.1:9"  # discard: nothing listens
    notify(event="test_event", recipients=[learner], target="t:1", message=_message)
    services.deliveries_send_due()
    delivery = _only("telegram")
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.last_error.startswith("telegram: ")
    assert "secret-token" not in delivery.last_error


def test_sms_posts_to_the_gateway_with_the_token(sms, linked, learner):
    notify(event="test_event", recipients=[learner], target="t:1", message=_message)
    assert services.deliveries_send_due() == 2  # e-mail and SMS
    (request,) = sms.requests
    assert request["path"] == "/send"
    assert request["headers"]["Authorization"] == "Bearer gateway-token"
    assert request["json"] == {
        "to": "+77011234567",
        "text": "Эссе проверено. Оценка: 8 из 10. http://testserver/ru/quizzes/1/",
        "sender": "AkimAcad",
    }
    assert _only("sms").status == Delivery.Status.SENT


def test_sms_gateway_refusal_is_permanent(sms, linked, learner):
    sms.answer(400, {"error": "invalid number"})
    notify(event="test_event", recipients=[learner], target="t:1", message=_message)
    services.deliveries_send_due()
    delivery = _only("sms")
    assert delivery.status == Delivery.Status.FAILED
    assert "invalid number" in delivery.last_error


def test_sms_text_is_cut_but_keeps_the_link():
    url = "https://akim.example.kz/ru/quizzes/attempts/12345/review/"
    text = SmsChannel().text(Outgoing(subject="Очень длинная тема " * 40, body="Текст", url=url))
    assert len(text) <= SMS_MAX_LENGTH
    assert text.endswith("… " + url)


def test_unconfigured_channels_get_nothing(linked, learner):
    notify(event="test_event", recipients=[learner], target="t:1", message=_message)
    assert list(Delivery.objects.values_list("channel", flat=True)) == ["email"]


def test_email_in_bulk_uses_one_connection(learners, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    opened = []
    original = EmailBackend.open
    monkeypatch.setattr(EmailBackend, "open", lambda self: opened.append(1) or original(self))
    notify(event="test_event", recipients=learners.values(), target="t:1", message=_message)
    assert services.deliveries_send_due() == 2
    assert len(mail.outbox) == 2
    assert len(opened) == 1


def test_email_footer_in_the_recipients_language(learners):
    notify(event="test_event", recipients=learners.values(), target="t:1", message=_message)
    services.deliveries_send_due()
    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert "http://testserver/ru/quizzes/1/" in bodies["learner2@example.com"]


def test_a_claimed_delivery_is_not_sent_by_a_second_sender(telegram, linked, learner):
    notify(event="test_event", recipients=[learner], target="t:1", message=_message)
    delivery = _only("telegram")
    # Another sender took it a moment ago (its lease runs).
    Delivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=delivery.next_attempt_at + services.LEASE, attempts=1
    )
    services.deliveries_send_due()
    assert telegram.requests == []


def test_a_dead_senders_delivery_is_sent_after_its_lease(telegram, linked, learner, time_machine):
    notify(event="test_event", recipients=[learner], target="t:1", message=_message)
    delivery = _only("telegram")
    Delivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=delivery.next_attempt_at + services.LEASE, attempts=1
    )
    time_machine.shift(services.LEASE + datetime.timedelta(seconds=1))
    services.deliveries_send_due()
    assert len(telegram.requests) == 1
    assert _only("telegram").status == Delivery.Status.SENT
