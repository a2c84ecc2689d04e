from django import forms
from django.conf import settings
from django.utils import timezone
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
    behind = forms.BooleanField(label=_("Only those falling behind"), required=False)

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


def _when(label):
    return forms.DateTimeField(
        label=label,
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class CohortDatesForm(forms.Form):
    """An opening and a due date for each module and test of the cohort's course, in
    the site's time zone (Asia/Almaty)."""

    def __init__(self, *args, items, dates, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            opens, due = dates.get(item.key, (None, None))
            self.fields[f"opens_{item.key.hex}"] = _when(_("Opens at"))
            self.fields[f"due_{item.key.hex}"] = _when(_("Due at"))
            self.initial[f"opens_{item.key.hex}"] = opens and timezone.localtime(opens)
            self.initial[f"due_{item.key.hex}"] = due and timezone.localtime(due)

    def rows(self):
        """(item, opening field, due field) for the template."""
        return [
            (item, self[f"opens_{item.key.hex}"], self[f"due_{item.key.hex}"])
            for item in self.items
        ]

    def clean(self):
        data = super().clean()
        for item in self.items:
            opens, due = data.get(f"opens_{item.key.hex}"), data.get(f"due_{item.key.hex}")
            if opens and due and due <= opens:
                self.add_error(
                    f"due_{item.key.hex}", _("The due date must come after the opening.")
                )
        return data

    def dates(self) -> dict:
        """{item key: (opens_at, due_at)} as entered."""
        data = self.cleaned_data
        return {
            item.key: (data.get(f"opens_{item.key.hex}"), data.get(f"due_{item.key.hex}"))
            for item in self.items
        }


class LearnerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.learner.full_name


class AnnouncementForm(forms.Form):
    """A trainer's announcement: to the whole cohort, or to the learners chosen in the
    progress report (only those are offered, so a cohort of 2,000 is not listed)."""

    WHOLE_COHORT, SELECTED = "cohort", "selected"

    audience = forms.ChoiceField(
        label=_("To"),
        choices=[
            (WHOLE_COHORT, _("every active learner of the cohort")),
            (SELECTED, _("the learners chosen below")),
        ],
        widget=forms.RadioSelect,
        initial=WHOLE_COHORT,
    )
    enrolments = LearnerChoiceField(
        Enrolment.objects.none(),
        label=_("Learners"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    subject = forms.CharField(label=_("Subject"), max_length=150)
    body = forms.CharField(
        label=_("Message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text: any HTML is removed."),
    )
    channels = forms.MultipleChoiceField(
        label=_("Also send by"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Every learner finds it in their notifications; these channels carry it too, "
            "to those who have not turned them off."
        ),
    )

    def __init__(self, *args, cohort, chosen_ids, channels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolments"].queryset = (
            Enrolment.objects.filter(
                cohort=cohort, status=Enrolment.Status.ACTIVE, pk__in=list(chosen_ids)
            )
            .select_related("learner")
            .order_by("learner__full_name", "pk")
        )
        self.fields["channels"].choices = list(channels)

    def clean(self):
        data = super().clean()
        if data.get("audience") == self.SELECTED and not data.get("enrolments"):
            self.add_error("enrolments", _("Choose at least one learner."))
        return data


class TaughtCourseForm(WagtailAdminModelForm):
    """An admin form for a per-course setting of another app (an attendance
    requirement, Q&A moderation): offered the courses of the cohorts the user runs
    (every course for staff)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = CoursePage.objects.filter(
            pk__in=cohorts_visible_to(self.for_user).values("course")
        ).order_by("title")
