"""Admin pages beyond the viewsets: copying a timetable, the attendance grid."""

from __future__ import annotations

from itertools import chain

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from base.exports import csv_response
from courses.reports import cohorts_visible_to
from schedule import selectors, services
from schedule.forms import TimetableCopyForm
from schedule.models import Attendance


class ScheduleAdminMixin(WagtailAdminTemplateMixin):
    """For people who run cohorts, each on the cohorts they may see (the cohort
    admin's rule)."""

    header_icon = "date"
    permission = "schedule.view_session"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        self.cohorts = cohorts_visible_to(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class TimetableCopyView(ScheduleAdminMixin, TemplateView):
    page_title = gettext_lazy("Copy a timetable")
    template_name = "schedule/admin/copy.html"
    permission = "schedule.add_session"

    def get(self, request, *args, **kwargs):
        form = TimetableCopyForm(user=request.user, initial={"target": request.GET.get("target")})
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        form = TimetableCopyForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                added = services.timetable_copy(
                    source=data["source"], target=data["target"], starts_on=data["starts_on"]
                )
            except ValidationError as error:
                form.add_error("source", error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(n)s session added to %(cohort)s.",
                        "%(n)s sessions added to %(cohort)s.",
                        added,
                    )
                    % {"n": added, "cohort": data["target"].name},
                )
                return redirect("schedule_session:index")
        return self.render_to_response(self.get_context_data(form=form))


class AttendanceGridView(ScheduleAdminMixin, TemplateView):
    """Sessions × learners of a cohort, and the same as CSV."""

    template_name = "schedule/admin/grid.html"

    def get_page_title(self):
        return _("Attendance: %(cohort)s") % {"cohort": self.cohort.name}

    def get(self, request, *args, **kwargs):
        self.cohort = get_object_or_404(self.cohorts, pk=kwargs["pk"])
        self.grid = selectors.attendance_grid(cohort=self.cohort)
        labels = dict(Attendance.Status.choices)
        self.rows = [
            (enrolment, [str(labels.get(status, "")) for status in statuses])
            for enrolment, statuses in self.grid.rows
        ]
        if request.GET.get("export") == "csv":
            return csv_response(self._rows(), f"attendance-{self.cohort.pk}")
        return super().get(request, *args, **kwargs)

    def _rows(self):
        header = [
            _("Full name"),
            _("E-mail"),
            *(
                f"{timezone.localtime(s.starts_at):%Y-%m-%d %H:%M} {s.title}"
                for s in self.grid.sessions
            ),
        ]
        body = (
            [
                enrolment.learner.full_name,
                enrolment.learner.email,
                *marks,
            ]
            for enrolment, marks in self.rows
        )
        return chain([header], body)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(cohort=self.cohort, sessions=self.grid.sessions, rows=self.rows)
        return context
