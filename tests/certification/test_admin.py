"""Registrars look certificates up, revoke and re-issue them in the admin."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from certification import services
from certification.models import Certificate
from tests.factories import UserFactory


@pytest.fixture
def certificate(completed):
    enrolment, _course = completed
    return services.certificate_issue(enrolment=enrolment)


def _staff(group: str):
    user = UserFactory(is_staff=group != "Learners")
    user.groups.add(Group.objects.get(name=group))
    return user


def test_registrar_finds_a_certificate_by_number_or_name(client, certificate):
    client.force_login(_staff("Registrars"))
    html = client.get("/admin/certification_certificate/", {"q": "Айгүл"}).content.decode()
    assert certificate.printed_number in html


def _revoke_url(certificate) -> str:
    return reverse("certification_certificate:revoke", args=[certificate.pk])


def _inspect(client, certificate) -> str:
    url = reverse("certification_certificate:inspect", args=[certificate.pk])
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.fixture
def registrar_client(client, db):
    client.force_login(_english(_staff("Registrars")))
    return client


def _english(user):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


def test_revoking_asks_for_confirmation_on_its_own_page(registrar_client, certificate):
    html = _inspect(registrar_client, certificate)
    assert f'href="{_revoke_url(certificate)}"' in html
    assert 'name="reason"' not in html  # the inspect page itself revokes nothing

    page = registrar_client.get(_revoke_url(certificate)).content.decode()
    select = re.search(r'<select name="reason".*?</select>', page, re.S).group(0)
    options = re.findall(r'<option value="([^"]*)"([^>]*)>', select)
    assert options[0] == ("", " selected")  # nothing chosen for the registrar
    assert [value for value, _attrs in options[1:]] == ["error", "misconduct", "other"]
    assert not [value for value, attrs in options[1:] if "selected" in attrs]
    assert "misconduct (academic dishonesty)" in select
    assert 'name="confirm"' in page and "cannot be undone" in page
    assert "REVOKED" in page and "withdrawn by the issuer" in page  # what the public reads
    assert certificate.holder_name in page
    certificate.refresh_from_db()
    assert certificate.revoked_at is None  # looking changes nothing


@pytest.mark.parametrize(
    "data",
    [
        {"note": "x", "confirm": "on"},  # no reason chosen
        {"reason": "", "confirm": "on"},
        {"reason": "superseded", "confirm": "on"},  # set by a re-issue only
        {"reason": "fraud", "confirm": "on"},  # the old value
        {"reason": "misconduct"},  # not confirmed
        {"action": "revoke", "reason": "error"},  # the old one-click form
    ],
)
def test_only_a_confirmed_post_with_a_chosen_reason_revokes(registrar_client, certificate, data):
    response = registrar_client.post(_revoke_url(certificate), data)
    assert response.status_code == 200
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_registrar_revokes_and_the_public_page_says_so(registrar_client, certificate):
    response = registrar_client.post(
        _revoke_url(certificate), {"reason": "misconduct", "note": "Списал", "confirm": "on"}
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_at and certificate.revocation_reason == "misconduct"
    assert certificate.revocation_note == "Списал"
    body = registrar_client.get(f"/v/{certificate.number}", HTTP_ACCEPT="application/json").json()
    assert body["status"] == "REVOKED" and body["revocation"] == "withdrawn"
    # The revoke page of a revoked certificate sends the registrar back.
    again = registrar_client.get(_revoke_url(certificate))
    assert again.status_code == 302
    assert registrar_client.post(_revoke_url(certificate), {"reason": "error"}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.revocation_reason == "misconduct"


def test_the_old_one_click_address_is_gone(registrar_client, certificate):
    url = f"/admin/certification_certificate/action/{certificate.pk}/"
    assert registrar_client.post(url, {"action": "revoke", "reason": "error"}).status_code == 404
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_registrar_reissues(registrar_client, certificate):
    url = reverse("certification_certificate:reissue", args=[certificate.pk])
    assert registrar_client.get(url).status_code == 405
    registrar_client.post(url)
    assert (
        Certificate.objects.filter(revoked_at__isnull=True).exclude(pk=certificate.pk).count() == 1
    )


# Issue again from a revoked certificate ---------------------------------------------


def _replace_url(certificate) -> str:
    return reverse("certification_certificate:replace", args=[certificate.pk])


@pytest.mark.parametrize("reason", ["error", "other", "misconduct"])
def test_a_registrar_issues_again_from_a_revoked_certificate(registrar_client, certificate, reason):
    services.certificate_revoke(certificate=certificate, reason=reason, note="", actor="r")
    html = _inspect(registrar_client, certificate)
    form = re.search(rf'<form method="post" action="{_replace_url(certificate)}">', html)
    assert form is not None
    warning = "This certificate was revoked for misconduct."
    if reason == "misconduct":  # said before the button, not after it
        assert html.index(warning) < form.start()
    else:
        assert warning not in html

    response = registrar_client.post(_replace_url(certificate), HTTP_ACCEPT_LANGUAGE="en")
    new = Certificate.objects.get(revoked_at__isnull=True)
    assert response.status_code == 302
    assert response["Location"] == reverse("certification_certificate:inspect", args=[new.pk])
    certificate.refresh_from_db()
    assert certificate.superseded_by == new
    html = _inspect(registrar_client, certificate)
    assert _replace_url(certificate) not in html  # replaced: no second button
    assert "replaced by another certificate" in html


def test_no_issue_again_button_on_a_standing_certificate(registrar_client, certificate):
    assert _replace_url(certificate) not in _inspect(registrar_client, certificate)
    response = registrar_client.post(_replace_url(certificate))
    assert response.status_code == 302
    assert Certificate.objects.count() == 1


@pytest.mark.parametrize("group", ["Trainers", "Learners", "Methodologists"])
def test_others_cannot_revoke_or_issue_again(client, certificate, group):
    other = Certificate.objects.get(pk=certificate.pk)
    client.force_login(_english(_staff(group)))
    response = client.post(_revoke_url(certificate), {"reason": "misconduct", "confirm": "on"})
    assert response.status_code in (302, 403)
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    services.certificate_revoke(certificate=other, reason="error", note="", actor="r")
    assert client.post(_replace_url(other)).status_code in (302, 403)
    assert client.post(
        reverse("certification_certificate:reissue", args=[other.pk])
    ).status_code in (302, 403)
    assert Certificate.objects.count() == 1
    if group == "Methodologists":  # they read the registry, without the buttons
        html = _inspect(client, other)
        assert _replace_url(other) not in html and "/revoke/" not in html
