"""The grading scheme's admin form (its bands checked together) and the trainer's
override form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from gradebook.services import bands_check


class GradingSchemeForm(WagtailAdminModelForm):
    """Bands are checked as a set, in the order listed (lowest first)."""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        formset = self.formsets.get("bands") if hasattr(self, "formsets") else None
        if not valid or formset is None:
            return valid
        kept = [
            form
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        kept.sort(key=lambda form: form.cleaned_data.get("ORDER") or 0)
        try:
            bands_check(
                [(form.cleaned_data["label"], form.cleaned_data["lower_bound"]) for form in kept]
            )
        except ValidationError as error:
            self.add_error(None, error)
            return False
        return True


class OverrideForm(forms.Form):
    """One learner's grade for one item, with the reason. The learner and the item
    come from the URL and are checked against the cohort, never taken from the form."""

    grade = forms.DecimalField(
        label=_("Grade, %"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class RemoveOverrideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
