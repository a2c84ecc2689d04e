"""Security events reach the audit log with UTC time and actor (QUALITY.md 19)."""

import logging
import re

import pytest
from django.contrib.auth.models import Group

from lms.security import UTCFormatter
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


def test_timestamps_are_utc_iso_8601():
    record = logging.LogRecord("lms.security", logging.INFO, __file__, 1, "x", None, None)
    record.created = 0.5  # 1970-01-01 00:00:00.500 UTC
    record.msecs = 500
    stamp = UTCFormatter("%(asctime)s").format(record)
    assert stamp == "1970-01-01T00:00:00.500Z"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", stamp)
