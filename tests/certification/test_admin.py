"""Registrars look certificates up, revoke and re-issue them in the admin."""

import pytest
from django.contrib.auth.models import Group

from certification import services
from certification.models import Certificate
from tests.factories import UserFactory


@pytest.fixture
def certificate(completed):
    enrolment, _course = completed
    return services.certificate_issue(enrolment=enrolment)


def _staff(group: str):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=group))
    return user


def test_registrar_finds_a_certificate_by_number_or_name(client, certificate):
    client.force_login(_staff("Registrars"))
    html = client.get("/admin/certification_certificate/", {"q": "Айгүл"}).content.decode()
    assert certificate.printed_number in html


def test_registrar_revokes_and_the_public_page_says_so(client, certificate):
    client.force_login(_staff("Registrars"))
    url = f"/admin/certification_certificate/action/{certificate.pk}/"
    response = client.post(url, {"action": "revoke", "reason": "error", "note": "Дубликат"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_at and certificate.revocation_reason == "error"
    body = client.get(f"/v/{certificate.number}", HTTP_ACCEPT="application/json").json()
    assert body["status"] == "REVOKED"


def test_registrar_reissues(client, certificate):
    client.force_login(_staff("Registrars"))
    client.post(f"/admin/certification_certificate/action/{certificate.pk}/", {"action": "reissue"})
    assert (
        Certificate.objects.filter(revoked_at__isnull=True).exclude(pk=certificate.pk).count() == 1
    )


@pytest.mark.parametrize("group", ["Trainers", "Learners"])
def test_others_cannot_revoke(client, certificate, group):
    client.force_login(_staff(group))
    url = f"/admin/certification_certificate/action/{certificate.pk}/"
    response = client.post(url, {"action": "revoke", "reason": "fraud"})
    assert response.status_code in (302, 403)
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
