"""The User model, reference data and roles made by the migrations."""

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError
from django.utils import translation
from wagtail.models import GroupApprovalTask, GroupPagePermission

from lms.models import Region, User


def test_users_sign_in_by_email_ignoring_case(db):
    user = User.objects.create_user("Akim@Example.COM", "pw-12345678", full_name="Ерлан")
    assert user.email == "akim@example.com"
    assert User.objects.get_by_natural_key("AKIM@example.com") == user
    assert user.get_full_name() == "Ерлан"


def test_two_accounts_cannot_share_an_email_in_any_case(db):
    User.objects.create_user("akim@example.com", "x", full_name="A")
    with pytest.raises(IntegrityError):
        User.objects.create(email="AKIM@example.com", full_name="B")


def test_superuser(db):
    admin = User.objects.create_superuser("root@example.com", "pw", full_name="Root")
    assert admin.is_staff and admin.is_superuser


def test_regions_are_loaded(db):
    assert Region.objects.filter(kind=Region.Kind.REGION).count() == 17
    assert set(Region.objects.filter(kind=Region.Kind.CITY).values_list("code", flat=True)) == {
        "astana",
        "almaty",
        "shymkent",
    }


def test_region_name_follows_the_language(db):
    akmola = Region.objects.get(code="akmola")
    with translation.override("kk"):
        assert akmola.name == "Ақмола облысы"
    with translation.override("ru"):
        assert akmola.name == "Акмолинская область"
    with translation.override("en"):
        assert str(akmola) == "Akmola Region"


def test_roles_exist_with_their_permissions(db):
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Learners", "Trainers", "Methodologists", "Registrars"} <= names
    assert not {"Editors", "Moderators"} & names

    def page_codenames(group):
        return set(
            GroupPagePermission.objects.filter(group__name=group).values_list(
                "permission__codename", flat=True
            )
        )

    assert page_codenames("Trainers") == {"add_page", "change_page"}
    assert "publish_page" in page_codenames("Methodologists")
    for staff_role in ["Trainers", "Methodologists", "Registrars"]:
        group = Group.objects.get(name=staff_role)
        assert group.permissions.filter(codename="access_admin").exists()
    assert not Group.objects.get(name="Learners").permissions.exists()


def test_methodologists_approve_what_trainers_submit(db):
    task = GroupApprovalTask.objects.get(name="Methodologists approval")
    assert list(task.groups.values_list("name", flat=True)) == ["Methodologists"]
