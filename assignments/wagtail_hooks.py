"""The marking queue under "Learning" in the admin, and the notifications learners get."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from assignments import admin_views, services
from assignments.selectors import may_mark
from base.menus import PermissionMenuItem
from notifications.events import Event


@hooks.register("register_admin_urls")
def register_assignment_urls():
    return [
        path("learning/assignments/", admin_views.QueueView.as_view(), name="assignments_queue"),
        path(
            "learning/assignments/<int:pk>/",
            admin_views.MarkView.as_view(),
            name="assignments_mark",
        ),
    ]


@hooks.register("register_learning_menu_item")
def register_queue_menu_item():
    # Permissions only: the menu is drawn on every admin page.
    return PermissionMenuItem(
        _("Assignments to mark"),
        reverse("assignments_queue"),
        check=may_mark,
        icon_name="tasks",
        order=50,
    )


@hooks.register("register_notification_events")
def notification_events():
    return [
        Event(key=services.RETURNED, label=_("My assignment was returned for revision")),
        Event(key=services.MARKED, label=_("My assignment was marked")),
    ]
