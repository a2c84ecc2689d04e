"""PermissionMenuItem: an admin menu item shown only to who may use its page."""

from types import SimpleNamespace

import pytest
from django.test import RequestFactory
from wagtail import hooks

from base.menus import PermissionMenuItem
from tests.factories import UserFactory


def request_of(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


class FakeUser:
    def __init__(self, *perms):
        self.perms = set(perms)

    def has_perm(self, perm):
        return perm in self.perms


def test_shown_with_the_permission_only():
    item = PermissionMenuItem("Report", "/admin/report/", permission="courses.view_cohort")
    assert item.is_shown(request_of(FakeUser("courses.view_cohort")))
    assert not item.is_shown(request_of(FakeUser("courses.add_cohort")))


def test_shown_when_the_check_says_so():
    item = PermissionMenuItem("Report", "/admin/report/", check=lambda user: user.ok)
    assert item.is_shown(request_of(SimpleNamespace(ok=True)))
    assert not item.is_shown(request_of(SimpleNamespace(ok=False)))


@pytest.mark.parametrize("rules", [{}, {"permission": "a.b", "check": bool}])
def test_one_rule_exactly(rules):
    with pytest.raises(TypeError):
        PermissionMenuItem("Report", "/admin/report/", **rules)


LABELS = {"Progress report", "Copy a timetable", "Import questions", "Course translations"}


def permission_items():
    items = [
        fn()
        for name in ("register_admin_menu_item", "register_reports_menu_item")
        for fn in hooks.get_hooks(name)
    ]
    found = {str(item.label): item for item in items if str(item.label) in LABELS}
    assert set(found) == LABELS
    assert all(isinstance(item, PermissionMenuItem) for item in found.values())
    return found.values()


@pytest.mark.django_db
def test_the_apps_items_hide_from_a_user_without_rights_and_show_to_a_superuser(settings):
    settings.LANGUAGE_CODE = "en"
    nobody = UserFactory(email="nobody@example.com")
    boss = UserFactory(email="boss@example.com", is_superuser=True, is_staff=True)
    for item in permission_items():
        assert not item.is_shown(request_of(nobody)), item.label
        assert item.is_shown(request_of(boss)), item.label
