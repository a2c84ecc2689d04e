from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class LmsConfig(AppConfig):
    default = True
    name = "lms"
    verbose_name = _("Accounts and reference data")

    def ready(self) -> None:
        from wagtail.admin.views import account

        from lms import checks, receivers  # noqa: F401 (registers checks, connects receivers)
        from lms.forms import FullNameEmailForm

        # Wagtail's account page has no hook to swap its name form, and its default
        # asks for first/last names our User model does not have.
        account.NameEmailSettingsPanel.form_class = FullNameEmailForm


class LmsUsersAppConfig(WagtailUsersAppConfig):
    """wagtail.users, managing our User model with its full-name form."""

    user_viewset = "lms.viewsets.UserViewSet"
