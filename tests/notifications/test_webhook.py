import json

import pytest
from django.utils import translation
from django.utils.translation import gettext

from notifications import services
from notifications.models import ContactSettings

URL = "/notifications/telegram/webhook/"


SECRET = "webhook-secret"


def _post(client, text, *, secret=SECRET, chat=555):
    update = {"update_id": 1, "message": {"message_id": 1, "chat": {"id": chat}, "text": text}}
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return client.post(URL, json.dumps(update), content_type="application/json", headers=headers)


@pytest.fixture
def learner(learners):
    return learners["learner@example.com"]


@pytest.mark.parametrize("secret", [None, "", "wrong", "webhook-secre"])
def test_webhook_refuses_without_the_secret(client, telegram, learner, secret):
    token = services.telegram_link_start(user=learner)
    assert _post(client, f"/start {token}", secret=secret).status_code == 403
    assert ContactSettings.objects.get(user=learner).telegram_chat_id == ""


def test_webhook_refuses_when_no_secret_is_set(client, telegram, settings):
    settings.TELEGRAM_WEBHOOK_SECRET = ""
    assert _post(client, "/stop", secret="").status_code == 403


def test_start_links_the_chat_and_answers_in_the_users_language(client, telegram, learner):
    token = services.telegram_link_start(user=learner)
    response = _post(client, f"/start {token}")
    assert response.status_code == 200
    contact = ContactSettings.objects.get(user=learner)
    assert contact.telegram_chat_id == "555"
    assert contact.telegram_link_token == ""
    (reply,) = telegram.requests
    assert reply["json"]["chat_id"] == "555"
    with translation.override("kk"):  # the learner reads Kazakh
        assert reply["json"]["text"] == gettext(
            "Telegram is connected: notifications of the Akim Academy will come here."
        )
    # The token works once.
    _post(client, f"/start {token}", chat=777)
    assert ContactSettings.objects.get(user=learner).telegram_chat_id == "555"


def test_start_with_an_expired_token(client, telegram, learner, time_machine):
    token = services.telegram_link_start(user=learner)
    time_machine.shift(services.TELEGRAM_LINK_TTL)
    time_machine.shift(60)
    _post(client, f"/start {token}")
    assert ContactSettings.objects.get(user=learner).telegram_chat_id == ""
    assert len(telegram.requests) == 1  # told to connect again


def test_stop_unlinks(client, telegram, learner):
    ContactSettings.objects.create(user=learner, telegram_chat_id="555")
    _post(client, "/stop")
    assert ContactSettings.objects.get(user=learner).telegram_chat_id == ""


def test_hostile_updates_are_ignored(client, telegram, db):
    for body in ("not json", "[]", '{"message": {"chat": "x"}}', '{"edited_message": {}}'):
        response = client.post(
            URL,
            body,
            content_type="application/json",
            headers={"X-Telegram-Bot-Api-Secret-Token": "webhook-secret"},
        )
        assert response.status_code == 200
    assert _post(client, "/start " + "x" * 500).status_code == 200
    assert not ContactSettings.objects.exclude(telegram_chat_id="").exists()
