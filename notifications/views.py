"""The inbox, the preferences page and the Telegram bot's webhook."""

from __future__ import annotations

import hmac
import json
import logging
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from lms.pagination import paginate
from notifications import selectors, services
from notifications.channels import ChannelError, TelegramChannel, configured_channels
from notifications.forms import ContactSettingsForm

logger = logging.getLogger("notifications")

PER_PAGE = 20


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The signed-in person's notifications, newest first, unread ones marked."""
    page = paginate(request, selectors.inbox(user=request.user), per_page=PER_PAGE)
    return render(request, "notifications/inbox.html", {"page": page})


def _safe_target(url: str) -> str | None:
    """``url`` when it leads to this site (a path, or SITE_URL's host), else None."""
    if not url:
        return None
    site_host = urlsplit(settings.SITE_URL).netloc
    if url_has_allowed_host_and_scheme(url, allowed_hosts={site_host}, require_https=False):
        return url
    return None


@login_required
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and follow its link (a GET, so the inbox's items are
    plain links; marking read twice does nothing). A link off the site is not followed."""
    notification = selectors.notification_for(user=request.user, pk=pk)
    if notification is None:
        raise Http404
    services.notification_mark_read(user=request.user, notification=notification)
    return redirect(_safe_target(notification.url) or "notifications_inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    changed = services.notifications_mark_all_read(user=request.user)
    if changed:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications_inbox")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """Which events reach the person through which channel, their phone, quiet hours and
    the Telegram link."""
    channels = configured_channels()
    contact = selectors.contact_for(user=request.user)
    form = ContactSettingsForm(
        request.POST or None, instance=contact, sms="sms" in channels, prefix="contact"
    )
    table = selectors.preference_table(user=request.user)
    if request.method == "POST" and form.is_valid():
        services.preferences_save(
            user=request.user,
            choices={
                (row.key, choice.channel.key): choice.name in request.POST
                for row in table
                for choice in row.choices
            },
        )
        services.contact_settings_save(contact=form.instance)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications_preferences")
    context = {
        "form": form,
        "table": table,
        "channels": list(channels.values()),
        "telegram": "telegram" in channels,
        "telegram_linked": bool(contact.telegram_chat_id),
    }
    return render(request, "notifications/preferences.html", context)


@login_required
@require_POST
def telegram_connect(request: HttpRequest) -> HttpResponse:
    """Send the person to the bot with a one-time token; its ``/start`` links the chat."""
    if "telegram" not in configured_channels():
        raise Http404
    token = services.telegram_link_start(user=request.user)
    query = urlencode({"start": token})
    return redirect(f"https://t.me/{settings.TELEGRAM_BOT_USERNAME}?{query}")


@login_required
@require_POST
def telegram_disconnect(request: HttpRequest) -> HttpResponse:
    if services.telegram_unlink(user=request.user):
        messages.success(request, _("Telegram is disconnected."))
    return redirect("notifications_preferences")


@csrf_exempt
@require_POST
def telegram_webhook(request: HttpRequest) -> HttpResponse:
    """The bot's updates from Telegram: ``/start <token>`` links a chat, ``/stop``
    unlinks it. Only calls carrying the webhook's secret are read."""
    secret = settings.TELEGRAM_WEBHOOK_SECRET
    given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        return HttpResponseForbidden()
    try:
        update = json.loads(request.body)
        chat_id = str(update["message"]["chat"]["id"])
        text = str(update["message"].get("text") or "").strip()
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"ok": True})  # not a message for us; Telegram must not retry
    command, _space, argument = text.partition(" ")
    command = command.split("@")[0]  # "/start@AkimBot" in group chats
    reply = None
    if command == "/start":
        user = services.telegram_link_complete(token=argument.strip(), chat_id=chat_id)
        if user is not None:
            with translation.override(user.preferred_language):
                reply = _(
                    "Telegram is connected: notifications of the Akim Academy will come here."
                )
        else:
            reply = _(
                "This link has expired. Open the notification settings on the site "
                "and connect Telegram again."
            )
    elif command == "/stop":
        services.telegram_unlink(chat_id=chat_id)
        reply = _("Telegram is disconnected: no more notifications will come here.")
    if reply and "telegram" in configured_channels():
        try:
            TelegramChannel().send_text(chat_id, reply)
        except ChannelError as error:
            logger.warning("Telegram reply to %s failed: %s", chat_id, error)
    return JsonResponse({"ok": True})
