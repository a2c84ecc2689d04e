"""The deliveries in the Wagtail admin, read-only, for whoever runs the channels:
what went out, what waits and what failed, with the error."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from base.viewsets import IndexView, ModelViewSet
from notifications.filters import DeliveryFilterSet
from notifications.models import Delivery


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Deliveries are written by the senders alone: the admin may only look."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and super().user_has_permission(user, "view")

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(["view"] if "view" in actions else [])


class DeliveryIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("notification__user")


class DeliveryViewSet(ModelViewSet):
    model = Delivery
    icon = "mail"
    menu_label = _("Notification deliveries")
    menu_order = 905
    add_to_settings_menu = True
    index_view_class = DeliveryIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        Column("subject", label=_("Subject"), accessor="notification"),
        Column("recipient", label=_("Recipient"), accessor="notification.user"),
        Column("event", label=_("Event"), accessor="notification.event"),
        Column("channel", label=_("Channel")),
        Column("status", label=_("Status"), accessor="get_status_display"),
        Column("attempts", label=_("Attempts")),
        DateColumn("next_attempt_at", label=_("Next attempt"), sort_key="next_attempt_at"),
        DateColumn("created_at", label=_("Created"), sort_key="created_at"),
        Column("last_error", label=_("Last error")),
    ]
    filterset_class = DeliveryFilterSet
    inspect_view_fields = [
        "notification",
        "channel",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
    ]
    form_fields = []


register_permission_policy(Delivery, ReadOnlyPolicy(Delivery))


@hooks.register("register_admin_viewset")
def register_delivery_viewset():
    return DeliveryViewSet("notifications_delivery")
