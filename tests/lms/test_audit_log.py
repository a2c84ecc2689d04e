"""Security events reach the audit log with UTC time and actor (QUALITY.md 19)."""

import logging

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory


@pytest.fixture
def audit(caplog):
    caplog.set_level(logging.INFO, logger="lms.security")
    return caplog


def _events(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "lms.security"]


def test_login_and_logout_are_logged_with_actor_and_address(client, db, audit):
    user = UserFactory(email="akim@example.com")
    client.post(
        "/accounts/login/",
        {"username": user.email, "password": PASSWORD},
        REMOTE_ADDR="192.0.2.7",
    )
    client.post("/accounts/logout/", REMOTE_ADDR="192.0.2.7")
    events = _events(audit)
    assert "event=login actor='akim@example.com' ip='192.0.2.7'" in events
    assert "event=logout actor='akim@example.com' ip='192.0.2.7'" in events


def test_failed_login_is_logged_without_the_password(client, db, audit):
    client.post("/accounts/login/", {"username": "who@example.com", "password": "hunter2-secret"})
    events = _events(audit)
    assert any("event=login_failed actor='who@example.com'" in e for e in events)
    assert not any("hunter2" in e for e in events)


def test_role_changes_are_logged(db, audit):
    user = UserFactory(email="trainer@example.com")
    trainers = Group.objects.get(name="Trainers")
    user.groups.add(trainers)
    user.groups.remove(trainers)
    events = _events(audit)
    assert any("event=role_add" in e and "'Trainers'" in e for e in events)
    assert any("event=role_remove" in e and "'Trainers'" in e for e in events)


def test_privilege_changes_are_logged(db, audit):
    user = UserFactory(email="someone@example.com")
    user.is_superuser = True
    user.save()
    assert any(
        "event=privilege_change" in e and "flag='is_superuser'" in e and "value=True" in e
        for e in _events(audit)
    )


def _records(caplog, event: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "lms.security" and r.data.get("event") == event]


def test_role_changes_made_by_code_name_the_system(db, audit):
    user = UserFactory(email="trainer@example.com")
    user.groups.add(Group.objects.get(name="Trainers"))
    (line,) = _records(audit, "role_add")
    assert line.data["actor"] == "system"


def test_a_role_change_in_the_admin_names_the_administrator(client, db, audit):
    admin = UserFactory(email="chief@example.com", is_superuser=True, is_staff=True)
    user = UserFactory(email="learner@example.com", full_name="Ерлан Сейітов")
    trainers = Group.objects.get(name="Trainers")
    client.force_login(admin)
    response = client.post(
        reverse("wagtailusers_users:edit", args=[user.pk]),
        {
            "email": user.email,
            "full_name": user.full_name,
            "preferred_language": "ru",
            "is_active": "on",
            "groups": [trainers.pk],
        },
        REMOTE_ADDR="198.51.100.4",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    (line,) = _records(audit, "role_add")
    assert line.data["actor"] == "chief@example.com"
    assert line.data["user"] == "learner@example.com"
    assert line.data["groups"] == ["Trainers"]
    assert line.ip == "198.51.100.4"
    assert line.request_id == response["X-Request-ID"]
    assert "actor='chief@example.com'" in line.getMessage()


def test_a_privilege_change_in_the_admin_names_the_administrator(client, db, audit):
    admin = UserFactory(email="chief@example.com", is_superuser=True, is_staff=True)
    user = UserFactory(email="learner@example.com", full_name="Ерлан Сейітов")
    client.force_login(admin)
    response = client.post(
        reverse("wagtailusers_users:edit", args=[user.pk]),
        {
            "email": user.email,
            "full_name": user.full_name,
            "preferred_language": "ru",
            "is_active": "on",
            "is_superuser": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    lines = _records(audit, "privilege_change")
    assert lines and all(line.data["actor"] == "chief@example.com" for line in lines)
