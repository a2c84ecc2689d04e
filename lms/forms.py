"""Forms for our User model in the Wagtail admin (it has one full-name field), and the
password reset forms, which mail each person in their own language."""

from django import forms
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.account import NameEmailForm
from wagtail.admin.forms.auth import PasswordResetForm as WagtailPasswordResetForm
from wagtail.users.forms import UserCreationForm, UserEditForm

from lms.models import User

ACCOUNT_FIELDS = {"email", "full_name", "preferred_language", "is_superuser", "groups"}


class LmsUserCreationForm(UserCreationForm):
    first_name = None
    last_name = None

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ACCOUNT_FIELDS


class LmsUserEditForm(UserEditForm):
    first_name = None
    last_name = None

    class Meta(UserEditForm.Meta):
        model = User
        fields = ACCOUNT_FIELDS | {"is_active"}


class FullNameEmailForm(NameEmailForm):
    """The admin's own-account form, with our full name in place of first/last."""

    first_name = None
    last_name = None
    full_name = forms.CharField(required=True, max_length=200, label=_("full name"))

    class Meta(NameEmailForm.Meta):
        model = User
        fields = ["full_name", "email"]


class RecipientLanguageMixin:
    """Mail the reset link in the recipient's preferred language: the request's is that
    of whoever typed the address, who may be someone else, or on a page in another one."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        with translation.override(context["user"].preferred_language):
            super().send_mail(  # type: ignore[misc]
                subject_template_name, email_template_name, context, *args, **kwargs
            )


class PasswordResetForm(RecipientLanguageMixin, DjangoPasswordResetForm):
    pass


class AdminPasswordResetForm(RecipientLanguageMixin, WagtailPasswordResetForm):
    pass
