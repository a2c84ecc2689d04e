import pytest
from django.urls import reverse

from notifications.models import ContactSettings, Notification, Preference
from notifications.services import Message, notify

# Part of the contract: a change that adds a query must be looked at.
INBOX_QUERIES = 3  # the user, the count, the page of rows (the session is cached)


def _message(url="/ru/dashboard/"):
    return lambda user: Message(subject="Сертификат выдан", body="Номер M1ZN", url=url)


@pytest.fixture
def learner(learners):
    return learners["learner2@example.com"]


@pytest.fixture
def other(learners):
    return learners["learner@example.com"]


def _notify(user, target="c:1", url="/ru/dashboard/"):
    notify(event="test_event", recipients=[user], target=target, message=_message(url))
    return Notification.objects.get(user=user, target=target)


def test_header_shows_the_unread_count_without_a_query(client, learner, home_pages):
    _notify(learner, "c:1")
    _notify(learner, "c:2")
    client.force_login(learner)
    html = client.get("/en/notifications/").content.decode()
    assert 'aria-label="Notifications, 2 unread"' in html
    assert '<span class="count-badge">2</span>' in html


def test_header_without_unread(client, learner):
    client.force_login(learner)
    html = client.get("/en/notifications/").content.decode()
    assert 'class="account__notifications" href="/en/notifications/">Notifications</a>' in html


def test_inbox_lists_newest_first_and_marks_unread(client, learner, other):
    first = _notify(learner, "c:1")
    _notify(learner, "c:2")
    _notify(other, "c:3")
    Notification.objects.filter(pk=first.pk).update(subject="Первое")
    client.force_login(learner)
    html = client.get("/ru/notifications/").content.decode()
    assert html.count('class="notification notification--unread"') == 2
    assert html.index("Сертификат выдан") < html.index("Первое")
    assert reverse("notifications_open", args=[first.pk]) in html


@pytest.mark.parametrize("n", [3, 60])
def test_inbox_queries_do_not_grow(client, learner, django_assert_num_queries, n):
    for i in range(n):
        _notify(learner, f"c:{i}")
    client.force_login(learner)
    client.get("/ru/notifications/")
    with django_assert_num_queries(INBOX_QUERIES):
        response = client.get("/ru/notifications/")
    assert response.content.decode().count('class="notification ') == min(n, 20)


def test_inbox_pages(client, learner):
    for i in range(25):
        _notify(learner, f"c:{i}")
    client.force_login(learner)
    assert (
        client.get("/ru/notifications/?page=2").content.decode().count('class="notification ') == 5
    )
    assert client.get("/ru/notifications/?page=3").status_code == 404


def test_opening_marks_read_and_follows_the_link(client, learner):
    notification = _notify(learner)
    client.force_login(learner)
    response = client.get(reverse("notifications_open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/ru/dashboard/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    learner.refresh_from_db()
    assert learner.unread_notifications == 0
    client.get(reverse("notifications_open", args=[notification.pk]))  # again: no change
    learner.refresh_from_db()
    assert learner.unread_notifications == 0


def test_a_site_url_on_site_url_is_followed(client, learner):
    notification = _notify(learner, url="http://testserver/v/M1ZNP56WMY0XA")
    client.force_login(learner)
    response = client.get(reverse("notifications_open", args=[notification.pk]))
    assert response["Location"] == "http://testserver/v/M1ZNP56WMY0XA"


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example.com/",
        "//evil.example.com/",
        "/\\evil.example.com",
        "javascript:alert(1)",
    ],
)
def test_open_redirect_is_refused(client, learner, url):
    notification = _notify(learner, url=url)
    client.force_login(learner)
    response = client.get(reverse("notifications_open", args=[notification.pk]))
    assert response["Location"] == "/ru/notifications/"


def test_another_persons_notification_is_404(client, learner, other):
    notification = _notify(other)
    client.force_login(learner)
    assert client.get(reverse("notifications_open", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_pages_need_sign_in(client):
    for name in ("notifications_inbox", "notifications_preferences"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_mark_all_read(client, learner, other):
    _notify(learner, "c:1")
    _notify(learner, "c:2")
    _notify(other, "c:1")
    client.force_login(learner)
    assert client.get(reverse("notifications_read_all")).status_code == 405
    response = client.post(reverse("notifications_read_all"))
    assert response["Location"] == "/ru/notifications/"
    assert not Notification.objects.filter(user=learner, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=other, read_at__isnull=True).exists()
    learner.refresh_from_db()
    assert learner.unread_notifications == 0


def test_preferences_table_and_save(client, learner, telegram):
    client.force_login(learner)
    html = client.get(reverse("notifications_preferences")).content.decode()
    assert 'name="pref:test_event:email" checked' in html
    assert 'name="pref:test_event:telegram" checked' in html
    assert 'name="pref:inbox_only:email">' in html
    assert "sms" not in html.lower().split("</table>")[0]  # not configured: not offered
    assert 'name="contact-phone"' not in html
    response = client.post(
        reverse("notifications_preferences"),
        {
            "pref:test_event:email": "on",
            "pref:inbox_only:telegram": "on",
            "contact-quiet_start": "23:00",
            "contact-quiet_end": "07:30",
        },
    )
    assert response.status_code == 302
    # (the apps' own events are on the page too, unticked in this post: left out here)
    assert set(
        Preference.objects.filter(user=learner, event__in=["test_event", "inbox_only"]).values_list(
            "event", "channel", "enabled"
        )
    ) == {
        ("test_event", "telegram", False),
        ("inbox_only", "telegram", True),
    }
    contact = ContactSettings.objects.get(user=learner)
    assert (contact.quiet_start.hour, contact.quiet_end.minute) == (23, 30)


def test_phone_is_normalised_and_validated(client, learner, sms):
    client.force_login(learner)
    url = reverse("notifications_preferences")
    data = {"contact-quiet_start": "22:00", "contact-quiet_end": "08:00"}
    response = client.post(url, {**data, "contact-phone": "8 (701) 123-45-67"})
    assert response.status_code == 302
    assert ContactSettings.objects.get(user=learner).phone == "+77011234567"
    response = client.post(url, {**data, "contact-phone": "+1 555 0100"})
    assert response.status_code == 200
    assert "+7" in response.context["form"].errors["phone"][0]
    assert ContactSettings.objects.get(user=learner).phone == "+77011234567"


def test_telegram_connect_and_disconnect(client, learner, telegram):
    client.force_login(learner)
    html = client.get(reverse("notifications_preferences")).content.decode()
    assert reverse("notifications_telegram_connect") in html
    assert client.get(reverse("notifications_telegram_connect")).status_code == 405
    response = client.post(reverse("notifications_telegram_connect"))
    token = ContactSettings.objects.get(user=learner).telegram_link_token
    assert len(token) >= 32
    assert response["Location"] == f"https://t.me/AkimAcademyBot?start={token}"
    ContactSettings.objects.filter(user=learner).update(telegram_chat_id="555")
    html = client.get(reverse("notifications_preferences")).content.decode()
    assert reverse("notifications_telegram_disconnect") in html
    client.post(reverse("notifications_telegram_disconnect"))
    assert ContactSettings.objects.get(user=learner).telegram_chat_id == ""


def test_telegram_is_not_offered_unconfigured(client, learner):
    client.force_login(learner)
    html = client.get(reverse("notifications_preferences")).content.decode()
    assert "Telegram" not in html
    assert client.post(reverse("notifications_telegram_connect")).status_code == 404
