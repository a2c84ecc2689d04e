"""Forms of the registry's admin pages: they parse what a registrar typed, nothing more."""

from __future__ import annotations

from django import forms
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from certification import selectors
from certification.models import Certificate
from courses.models import Cohort, CoursePage
from lms.models import User


def courses_once() -> forms.models.QuerySet:
    """One page per course (its first language copy), whatever languages it has."""
    first_copies = CoursePage.objects.values("translation_key").annotate(first=Min("pk"))
    return CoursePage.objects.filter(pk__in=first_copies.values("first")).order_by("title")


class CohortChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Cohort) -> str:
        return f"{obj.name} · {obj.course.title}"


class RevokeForm(forms.Form):
    """The reason is chosen, never pre-set, and the registrar confirms that it is final.
    "Superseded" is not offered: a re-issue sets it."""

    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", _("Choose a reason"))]
        + [
            choice
            for choice in Certificate.Reason.choices
            if choice[0] != Certificate.Reason.SUPERSEDED
        ],
        help_text=_("Kept in the registry. The public page never shows it."),
    )
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea,
        required=False,
        help_text=_("For the registry only."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that a revocation cannot be undone."),
        error_messages={"required": _("Tick this box to revoke the certificate.")},
    )


class ManualIssueForm(forms.Form):
    holder = forms.EmailField(
        label=_("Learner's e-mail address"),
        help_text=_("The account the certificate is issued to."),
    )
    course = forms.ModelChoiceField(label=_("Course"), queryset=CoursePage.objects.none())
    cohort = CohortChoiceField(
        label=_("Cohort"),
        queryset=Cohort.objects.none(),
        required=False,
        help_text=_("Left empty: the learner's cohort in the course, if they are enrolled."),
    )
    academic_hours = forms.IntegerField(
        label=_("Academic hours"),
        min_value=0,
        max_value=10000,
        required=False,
        help_text=_("Left empty: the course's hours."),
    )
    issued_on = forms.DateField(label=_("Date of issue"), widget=AdminDateInput, required=False)
    expires_on = forms.DateField(label=_("Valid until"), widget=AdminDateInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses_once()
        self.fields["cohort"].queryset = Cohort.objects.select_related("course")
        self.fields["issued_on"].initial = timezone.localdate

    def clean_holder(self) -> User:
        email = self.cleaned_data["holder"]
        holder = User.objects.filter(email__iexact=email, is_active=True).first()
        if holder is None:
            raise forms.ValidationError(_("No active account has this e-mail address."))
        return holder


class BulkCohortForm(forms.Form):
    cohort = CohortChoiceField(label=_("Cohort"), queryset=Cohort.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = Cohort.objects.select_related("course")


class CourseCertificateTemplateForm(WagtailAdminModelForm):
    """A course the user may edit, and the template its certificates are printed with."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = selectors.courses_editable_by(self.for_user)
