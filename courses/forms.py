from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from courses.models import CoursePage, Enrolment
from courses.reports import cohorts_visible_to
from lms.models import LearnerProfile, Region


class ReportFilterForm(forms.Form):
    course = forms.ModelChoiceField(CoursePage.objects.none(), label=_("Course"), required=False)
    cohort = forms.ModelChoiceField(None, label=_("Cohort"), required=False)
    region = forms.ModelChoiceField(
        Region.objects.all(), label=_("Region"), required=False, to_field_name="code"
    )
    status = forms.ChoiceField(
        choices=[("", _("Any status")), *Enrolment.Status.choices],
        label=_("Status"),
        required=False,
    )

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts
        self.fields["course"].queryset = CoursePage.objects.filter(pk__in=cohorts.values("course"))


class TranslationReportFilterForm(forms.Form):
    course = forms.ModelChoiceField(CoursePage.objects.none(), label=_("Course"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    language = forms.ChoiceField(
        choices=[("", _("Any language")), *settings.LANGUAGES],
        label=_("Language"),
        required=False,
    )

    def __init__(self, *args, courses, **kwargs):
        from courses.reports import TranslationState

        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses
        self.fields["state"].choices = [("", _("Any state")), *TranslationState.choices]


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("List of learners (CSV or XLSX)"),
        help_text=_(
            "Columns: full name, e-mail, region, rural district, position, phone. "
            "Nothing is imported until you confirm the preview."
        ),
    )


class EnrolLearnerForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    region = forms.ModelChoiceField(Region.objects.all(), label=_("Region"))
    rural_district = forms.CharField(label=_("Rural district"), max_length=200, required=False)
    position = forms.ChoiceField(
        label=_("Position"),
        choices=LearnerProfile.Position.choices,
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)


class JoinCohortForm(forms.Form):
    code = forms.CharField(
        label=_("Cohort code"),
        max_length=20,
        help_text=_("The code your trainer gave you, for example KP7M-2QXA."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class TaughtCourseForm(WagtailAdminModelForm):
    """An admin form for a per-course setting of another app (an attendance
    requirement, Q&A moderation): offered the courses of the cohorts the user runs
    (every course for staff)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = CoursePage.objects.filter(
            pk__in=cohorts_visible_to(self.for_user).values("course")
        ).order_by("title")
