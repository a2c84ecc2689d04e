"""The external channels: e-mail, Telegram and an SMS gateway.

A channel knows whether it is configured, where a person can be reached through it,
and how to send one message there. ``send`` raises :class:`RetryableError` for a
failure worth trying again (the provider is down or asks to slow down) and
:class:`PermanentError` for one that will not get better (the person blocked the bot).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass

import requests
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger("notifications")

# Seconds for a provider to answer; a sender never hangs on one.
HTTP_TIMEOUT = 10
# An SMS of more than this is cut (the link kept): a few segments at most.
SMS_MAX_LENGTH = 300


class ChannelError(Exception):
    """A message could not be sent."""


class RetryableError(ChannelError):
    """Try again later; ``retry_after`` seconds at the soonest when the provider said."""

    def __init__(self, message: str, *, retry_after: int | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class PermanentError(ChannelError):
    """Trying again will not help; ``unlink`` when the address itself is dead."""

    def __init__(self, message: str, *, unlink: bool = False):
        super().__init__(message)
        self.unlink = unlink


@dataclass(frozen=True)
class Outgoing:
    """A message as a channel sends it: the link already absolute."""

    subject: str
    body: str
    url: str = ""


class Channel:
    key: str = ""
    label = gettext_lazy("channel")

    def is_configured(self) -> bool:
        raise NotImplementedError

    def address(self, user, contact) -> str | None:
        """Where ``user`` is reached (``contact``: their ContactSettings or None)."""
        raise NotImplementedError

    def send(self, address: str, message: Outgoing) -> None:
        raise NotImplementedError

    def unlink(self, contact) -> None:
        """Forget an address the provider called dead."""

    @contextlib.contextmanager
    def session(self) -> Iterator[None]:
        """Around a run of sends (e-mail keeps one connection open for all of them)."""
        yield


class EmailChannel(Channel):
    key = "email"
    label = gettext_lazy("E-mail")

    def __init__(self) -> None:
        self._connection = None

    def is_configured(self) -> bool:
        return bool(settings.EMAIL_BACKEND)

    def address(self, user, contact) -> str | None:
        return user.email or None

    @contextlib.contextmanager
    def session(self) -> Iterator[None]:
        connection = get_connection()
        connection.open()
        self._connection = connection
        try:
            yield
        finally:
            self._connection = None
            connection.close()

    def send(self, address: str, message: Outgoing) -> None:
        lines = [message.body]
        if message.url:
            lines += ["", _("Open: %(url)s") % {"url": message.url}]
        lines += ["", "—", _("Akim Academy. You can choose what we send you in your settings.")]
        mail = EmailMessage(
            subject=message.subject,
            body="\n".join(lines).strip() + "\n",
            to=[address],
            connection=self._connection,
        )
        try:
            mail.send()
        except OSError as error:  # smtplib's errors are OSErrors: the server is away
            raise RetryableError(f"e-mail: {error}") from error


def _retry_after(response: requests.Response, data: dict) -> int | None:
    value = (data.get("parameters") or {}).get("retry_after") or response.headers.get("Retry-After")
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


class TelegramChannel(Channel):
    """The Telegram Bot API: ``sendMessage`` to the chat the person linked."""

    key = "telegram"
    label = gettext_lazy("Telegram")

    def is_configured(self) -> bool:
        return bool(settings.TELEGRAM_BOT_TOKEN and settings.TELEGRAM_BOT_USERNAME)

    def address(self, user, contact) -> str | None:
        return (contact.telegram_chat_id if contact else "") or None

    def text(self, message: Outgoing) -> str:
        parts = [message.subject, message.body, message.url]
        return "\n\n".join(part for part in parts if part)[:4096]

    def send(self, address: str, message: Outgoing) -> None:
        self.send_text(address, self.text(message))

    def send_text(self, chat_id: str, text: str) -> None:
        url = (
            f"{settings.TELEGRAM_API_URL.rstrip('/')}/bot{settings.TELEGRAM_BOT_TOKEN}/sendMessage"
        )
        try:
            response = requests.post(
                url,
                json={"chat_id": chat_id, "text": text, "disable_web_page_preview": True},
                timeout=HTTP_TIMEOUT,
            )
        except requests.RequestException as error:
            # The token is part of the URL: never let it into the recorded error.
            raise RetryableError(f"telegram: {type(error).__name__}") from None
        try:
            data = response.json()
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        if response.ok and data.get("ok"):
            return
        description = str(data.get("description") or response.reason)[:200]
        error = f"telegram {response.status_code}: {description}"
        if response.status_code == 429 or response.status_code >= 500 or response.ok:
            raise RetryableError(error, retry_after=_retry_after(response, data))
        # 400 chat not found, 403 bot blocked or kicked: this chat is gone for us.
        raise PermanentError(error, unlink=response.status_code in (400, 403))

    def unlink(self, contact) -> None:
        if contact is not None and contact.telegram_chat_id:
            type(contact).objects.filter(pk=contact.pk).update(telegram_chat_id="")


class SmsChannel(Channel):
    """A generic HTTP SMS gateway: POST JSON ``{to, text, sender}`` with a bearer token."""

    key = "sms"
    label = gettext_lazy("SMS")

    def is_configured(self) -> bool:
        return bool(settings.SMS_GATEWAY_URL and settings.SMS_GATEWAY_TOKEN)

    def address(self, user, contact) -> str | None:
        return (contact.phone if contact else "") or None

    def text(self, message: Outgoing) -> str:
        """The subject (and as much of the body as fits), the link always whole."""
        tail = f" {message.url}" if message.url else ""
        room = SMS_MAX_LENGTH - len(tail)
        text = message.subject
        if message.body and len(text) + 2 + len(message.body) <= room:
            text = f"{text}. {message.body}" if not text.endswith(".") else f"{text} {message.body}"
        text = " ".join(text.split())
        if len(text) > room:
            text = text[: room - 1].rstrip() + "…"
        return text + tail

    def send(self, address: str, message: Outgoing) -> None:
        try:
            response = requests.post(
                settings.SMS_GATEWAY_URL,
                json={"to": address, "text": self.text(message), "sender": settings.SMS_SENDER},
                headers={"Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}"},
                timeout=HTTP_TIMEOUT,
            )
        except requests.RequestException as error:
            raise RetryableError(f"sms: {type(error).__name__}") from None
        if 200 <= response.status_code < 300:
            return
        error = f"sms {response.status_code}: {response.text[:200]}"
        if response.status_code == 429 or response.status_code >= 500:
            retry_after = response.headers.get("Retry-After")
            raise RetryableError(
                error, retry_after=int(retry_after) if (retry_after or "").isdigit() else None
            )
        raise PermanentError(error)


CHANNELS: tuple[type[Channel], ...] = (EmailChannel, TelegramChannel, SmsChannel)


def configured_channels() -> dict[str, Channel]:
    """Fresh instances of the channels that can send here, by key, in display order."""
    channels = (channel_class() for channel_class in CHANNELS)
    return {channel.key: channel for channel in channels if channel.is_configured()}
