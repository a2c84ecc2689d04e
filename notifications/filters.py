import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from notifications.models import Delivery


class DeliveryFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Delivery.Status.choices)
    channel = django_filters.ChoiceFilter(
        label=_("Channel"),
        choices=[("email", _("E-mail")), ("telegram", _("Telegram")), ("sms", _("SMS"))],
    )
    event = django_filters.CharFilter(label=_("Event"), field_name="notification__event")

    class Meta:
        model = Delivery
        fields = ["status", "channel"]
