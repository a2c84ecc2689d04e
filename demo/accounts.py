"""Demo accounts for ``seed_demo``: one person for each role, two learners, listed in
``demo/content/accounts.yaml``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.contrib.auth.models import Group
from django.db import transaction

from lms.models import LearnerProfile, Region, User

DEFAULT_DEMO_PASSWORD = "akim-demo-2021"  # noqa: S105 (published in the README)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    language: str
    group: str | None = None
    superuser: bool = False
    region: str | None = None
    rural_district: str = ""
    position: str = LearnerProfile.Position.AKIM


DEMO_ACCOUNTS = [
    DemoAccount(**account)
    for account in yaml.safe_load(
        (Path(__file__).resolve().parent / "content" / "accounts.yaml").read_text(encoding="utf-8")
    )
]


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


@transaction.atomic
def seed_accounts() -> list[User]:
    """Create the demo accounts, or bring them back to their demo state.

    The password is set only when an account is created, so running the seed again
    changes nothing (a password hash differs on every call).
    """
    users = []
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.update_or_create(
            email=account.email,
            defaults={
                "full_name": account.full_name,
                "preferred_language": account.language,
                "is_superuser": account.superuser,
                "is_staff": account.superuser,
                "is_active": True,
            },
        )
        if created:
            user.set_password(demo_password())
            user.save(update_fields=["password"])
        if account.group:
            user.groups.add(Group.objects.get(name=account.group))
        if account.region:
            LearnerProfile.objects.update_or_create(
                user=user,
                defaults={
                    "region": Region.objects.get(code=account.region),
                    "rural_district": account.rural_district,
                    "position": account.position,
                },
            )
        users.append(user)
    return users
