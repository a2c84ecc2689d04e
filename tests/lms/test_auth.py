"""Sign-in, sign-out, lockout and session handling (QUALITY.md 5 and 18)."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

LOGIN = "/accounts/login/"
LOGOUT = "/accounts/logout/"


@pytest.fixture
def learner(db):
    return UserFactory(email="akim@example.com", full_name="Ерлан Сейітов", preferred_language="kk")


def _login(client, email, password, **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def test_login_page_renders(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'name="password"' in response.content
    assert response["X-Frame-Options"] == "DENY"


def test_login_with_email_any_case_goes_to_the_dashboard_in_the_preferred_language(client, learner):
    response = _login(client, "AKIM@Example.com", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/kk/dashboard/"
    assert client.get("/kk/dashboard/").context["user"] == learner


def test_wrong_password_shows_an_error_and_no_session(client, learner):
    response = _login(client, learner.email, "wrong-password")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_session_key_and_csrf_token_change_at_login(client, learner):
    client.get(LOGIN)
    client.session.save()
    before_session = client.session.session_key
    client.get(LOGIN)
    before_csrf = client.cookies[settings.CSRF_COOKIE_NAME].value
    _login(client, learner.email, PASSWORD)
    assert client.session.session_key != before_session
    assert client.cookies[settings.CSRF_COOKIE_NAME].value != before_csrf


def test_safe_next_is_followed(client, learner):
    response = client.post(
        LOGIN, {"username": learner.email, "password": PASSWORD, "next": "/en/dashboard/"}
    )
    assert response["Location"] == "/en/dashboard/"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_next_pointing_off_site_is_ignored(client, learner, target):
    response = client.post(LOGIN, {"username": learner.email, "password": PASSWORD, "next": target})
    assert response.status_code == 302
    assert "evil" not in response["Location"]


def test_logout_is_a_post_and_ends_the_session(client, learner):
    client.force_login(learner)
    assert client.get(LOGOUT).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(LOGOUT)
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get("/ru/dashboard/").status_code == 302  # back to sign-in


def test_dashboard_needs_a_login(client, db):
    response = client.get("/ru/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN + "?next=")


def _fail(client, email, times, ip="10.0.0.1", **extra):
    for _ in range(times):
        response = _login(client, email, "wrong-password", REMOTE_ADDR=ip, **extra)
    return response


def test_lockout_after_repeated_failures_even_with_the_right_password(client, learner):
    response = _fail(client, learner.email, settings.AXES_FAILURE_LIMIT)
    assert response.status_code == 429
    response = _login(client, learner.email, PASSWORD, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_user_and_address(client, learner):
    colleague = UserFactory(email="deputy@example.com")
    _fail(client, learner.email, settings.AXES_FAILURE_LIMIT)
    # The same office (address) can still sign in as someone else...
    assert _login(client, colleague.email, PASSWORD, REMOTE_ADDR="10.0.0.1").status_code == 302
    client.logout()
    # ...and the locked-out person can from another address.
    assert _login(client, learner.email, PASSWORD, REMOTE_ADDR="10.0.0.2").status_code == 302


def test_a_spoofed_forwarded_for_header_does_not_dodge_the_lockout(client, learner):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(
            client,
            learner.email,
            "wrong",
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"1.2.3.{n}",
        )
    response = _login(
        client, learner.email, PASSWORD, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9"
    )
    assert response.status_code == 429


def test_lockout_is_released_after_the_cool_off(client, learner):
    with time_machine.travel("2026-01-10 09:00:00+00:00", tick=False) as clock:
        _fail(client, learner.email, settings.AXES_FAILURE_LIMIT)
        assert _login(client, learner.email, PASSWORD, REMOTE_ADDR="10.0.0.1").status_code == 429
        clock.shift(settings.AXES_COOLOFF_TIME + timedelta(seconds=1))
        response = _login(client, learner.email, PASSWORD, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 302


def test_lockout_page_is_translated_and_explains_the_wait(client, learner):
    response = _fail(client, learner.email, settings.AXES_FAILURE_LIMIT, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert b"15 minutes" in response.content


def test_password_reset_sends_a_link_that_works(client, learner, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": learner.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    link = next(line for line in mailoutbox[0].body.splitlines() if "/accounts/reset/" in line)
    path = link.split("testserver", 1)[1].strip()
    response = client.get(path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    new_password = "a-brand-new-passphrase-7"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.check_password(new_password)


def test_password_reset_for_an_unknown_address_looks_the_same(client, db, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mailoutbox == []


def test_changing_the_case_of_the_email_does_not_buy_more_guesses(client, learner):
    for n in range(settings.AXES_FAILURE_LIMIT):
        email = learner.email.upper() if n % 2 else learner.email
        _login(client, email, "wrong", REMOTE_ADDR="10.0.0.1")
    response = _login(client, learner.email.title(), PASSWORD, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429


def test_sign_in_page_speaks_the_language_of_the_page_it_came_from(client, db):
    response = client.get(LOGIN + "?next=/kk/dashboard/", HTTP_ACCEPT_LANGUAGE="ru")
    assert '<html lang="kk">' in response.content.decode()
    response = client.get(LOGIN + "?next=https://evil.example/kk/", HTTP_ACCEPT_LANGUAGE="ru")
    assert '<html lang="ru">' in response.content.decode()


def test_sign_out_returns_to_the_home_page_in_the_same_language(client, learner):
    client.force_login(learner)
    response = client.post(LOGOUT, {"next": "/kk/"})
    assert response["Location"] == "/kk/"


def test_the_password_reset_link_is_on_site_url_whatever_the_host(
    client, learner, mailoutbox, settings
):
    """Django's reset e-mail takes the request's host: a forged Host header would mail
    the learner a link to another site carrying a valid reset token."""
    settings.SITE_URL = "https://akim.example.kz"
    client.post(reverse("password_reset"), {"email": learner.email}, HTTP_HOST="localhost")
    (message,) = mailoutbox
    assert "https://akim.example.kz/accounts/reset/" in message.body
    assert "localhost" not in message.body
