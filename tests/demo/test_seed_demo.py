"""seed_demo: idempotent, and refused in production."""

import io

import pytest
from django.core import serializers
from django.core.management import CommandError, call_command
from django.test import override_settings
from wagtail.models import Page, Revision

from assignments.models import AssignmentPage, Submission
from demo.accounts import DEMO_ACCOUNTS
from demo.assignment import WORKERS
from lms.models import LearnerProfile, User
from notifications.models import Notification


def _snapshot() -> str:
    """The rows seed_demo writes, minus what changes by itself (timestamps)."""
    users = User.objects.order_by("email")
    rows = serializers.serialize(
        "json",
        [*users, *LearnerProfile.objects.order_by("pk")],
        fields=[
            "email",
            "full_name",
            "password",
            "preferred_language",
            "is_superuser",
            "is_staff",
            "is_active",
            "groups",
            "region",
            "rural_district",
            "position",
        ],
    )
    pages = list(
        Page.objects.order_by("path").values_list(
            "path", "title", "slug", "locale__language_code", "translation_key", "live"
        )
    )
    notifications = [
        (row.user_id, row.event, row.target, row.read_at is None)
        for row in Notification.objects.order_by("pk")
    ]
    return f"{rows}|{pages}|{Revision.objects.count()}|{notifications}"


def test_seed_demo_twice_gives_the_same_database(db):
    call_command("seed_demo")
    first = _snapshot()
    call_command("seed_demo")
    assert _snapshot() == first


def test_seed_demo_creates_accounts_home_pages_and_site(db):
    call_command("seed_demo")
    # the demo accounts, and the 2021 cohort's learners with assignment work
    assert User.objects.count() == len(DEMO_ACCOUNTS) + len(WORKERS)
    learner = User.objects.get(email="learner@example.com")
    assert learner.check_password("akim-demo-2021")
    assert learner.groups.filter(name="Learners").exists()
    assert learner.learner_profile.region.code == "akmola"
    homes = Page.objects.filter(depth=2).live()
    assert sorted(homes.values_list("locale__language_code", flat=True)) == ["en", "kk", "ru"]
    assert len(set(homes.values_list("translation_key", flat=True))) == 1
    # The demo learner's inbox: the 2021 enrolment read, the current one not.
    inbox = [(row.event, row.read_at is None) for row in learner.notifications.all()]
    assert inbox == [("enrolled", True), ("enrolled", False)]
    assert learner.unread_notifications == 1
    holder = User.objects.get(email="learner2@example.com")
    assert [row.event for row in holder.notifications.filter(read_at=None)] == [
        "certificate_issued"
    ]


def test_seed_demo_has_the_project_assignment_with_work_in_every_state(db):
    call_command("seed_demo")
    pages = AssignmentPage.objects.filter(slug="project-for-my-village")
    assert sorted(pages.values_list("locale__language_code", flat=True)) == ["en", "kk", "ru"]
    page = pages.get(locale__language_code="en")
    assert page.title == "A project for my village"
    assert len(page.criteria) == 4
    assert all(3 <= len(c.value["levels"]) <= 4 for c in page.criteria)
    # the module ends with it
    assert not page.get_next_siblings().exists()
    states = {s.state: s.versions.count() for s in Submission.objects.all()}
    assert states.keys() == {"draft", "submitted", "returned", "marked"}
    assert Submission.objects.filter(state="submitted", versions__number=2).exists()
    assert all(
        f.file.read(5) in (b"%PDF-", b"\x89PNG\r")
        for s in Submission.objects.all()
        for f in s.files.all()[:1]
    )


def test_demo_password_comes_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-secret-77")
    call_command("seed_demo")
    assert User.objects.get(email="trainer@example.com").check_password("another-secret-77")


@override_settings(IS_PRODUCTION=True)
def test_seed_demo_is_refused_in_production(db):
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_says_what_it_is_doing_unless_asked_for_silence(db):
    """Issue 14: a minute or more without a word."""
    quiet = io.StringIO()
    call_command("seed_demo", verbosity=0, stdout=quiet)
    assert quiet.getvalue() == ""
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    lines = out.getvalue().splitlines()
    steps = [
        "Accounts",
        "Home pages",
        "Course: modules",
        "Course: quizzes",
        "Course: the kk translation",
        "Course: the en translation",
        "Course: the cohort",
        "News",
        "A certificate",
        "Demo content ready",
    ]
    starts = [next(i for i, line in enumerate(lines) if step in line) for step in steps]
    assert starts == sorted(starts)
