"""Forms for our User model in the Wagtail admin (it has one full-name field)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.account import NameEmailForm
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
