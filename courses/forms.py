from django import forms
from django.utils.translation import gettext_lazy as _


class JoinCohortForm(forms.Form):
    code = forms.CharField(
        label=_("Cohort code"),
        max_length=20,
        help_text=_("The code your trainer gave you, for example KP7M-2QXA."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
