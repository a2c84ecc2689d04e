"""The admin's forms: a session (a day and two wall-clock times in Asia/Almaty), the
timetable copy, and a course's attendance requirement."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput, AdminTimeInput

from courses.forms import TaughtCourseForm
from courses.models import Cohort, CoursePage, ModulePage
from courses.reports import cohorts_visible_to
from lms.models import User
from schedule.services import local_datetime


class CohortChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Cohort) -> str:
        return f"{obj.name} · {obj.course.title}"


class SessionForm(WagtailAdminModelForm):
    """A session's day and its start and end times, as the trainer reads a timetable
    (Asia/Almaty); stored as two aware date-times."""

    day = forms.DateField(label=_("Date"), widget=AdminDateInput)
    start_time = forms.TimeField(label=_("Starts at"), widget=AdminTimeInput)
    end_time = forms.TimeField(label=_("Ends at"), widget=AdminTimeInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cohorts = cohorts_visible_to(self.for_user)
        self.fields["cohort"].queryset = cohorts
        # The modules and trainers of all the user's cohorts are offered; clean() keeps
        # them to the chosen cohort's.
        course_paths = CoursePage.objects.filter(pk__in=cohorts.values("course")).values_list(
            "path", flat=True
        )
        within = Q(pk__in=[])
        for path in course_paths:
            within |= Q(path__startswith=path)
        self.fields["module"].queryset = ModulePage.objects.filter(within).order_by("path")
        self.fields["trainer"].queryset = User.objects.filter(
            Q(cohorts_taught__in=cohorts) | Q(pk=self.for_user.pk)
        ).distinct()
        if self.instance.pk:
            start = timezone.localtime(self.instance.starts_at)
            self.initial.update(
                day=start.date(),
                start_time=start.time(),
                end_time=timezone.localtime(self.instance.ends_at).time(),
            )

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            if end <= start:
                self.add_error("end_time", _("A session ends after it starts."))
            else:
                self.instance.starts_at = local_datetime(day, start)
                self.instance.ends_at = local_datetime(day, end)
        cohort, module, trainer = data.get("cohort"), data.get("module"), data.get("trainer")
        if cohort and module and not module.is_descendant_of(cohort.course):
            self.add_error("module", _("Choose a module of the cohort's course."))
        if cohort and trainer and not cohort.trainers.filter(pk=trainer.pk).exists():
            self.add_error("trainer", _("Choose one of the cohort's trainers."))
        if data.get("format") == "online" and not data.get("link"):
            self.add_error("link", _("An online session needs its link."))
        return data

    def validate_unique(self):
        # starts_at is set in clean(), after the model form's own uniqueness check.
        try:
            self.instance.validate_constraints()
        except ValidationError:
            self.add_error(
                "start_time", _("This cohort already has a session starting at this time.")
            )


class TimetableCopyForm(forms.Form):
    source = CohortChoiceField(label=_("Copy the timetable of"), queryset=Cohort.objects.none())
    target = CohortChoiceField(label=_("Into the cohort"), queryset=Cohort.objects.none())
    starts_on = forms.DateField(
        label=_("First day"),
        widget=AdminDateInput,
        help_text=_("The first session's day moves here; the others keep their distance."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        cohorts = cohorts_visible_to(user)
        self.fields["source"].queryset = cohorts
        self.fields["target"].queryset = cohorts


class CourseAttendanceRuleForm(TaughtCourseForm):
    """Offered the courses of the cohorts the user runs (every course for staff)."""
