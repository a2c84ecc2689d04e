"""The "Timetable" menu of the admin (sessions, copying a timetable, attendance
requirements), and what the timetable adds to the pages and rules of the courses app:
the dashboard's next sessions, the report's attendance column, the completion check."""

from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import models as generic
from wagtail.admin.viewsets.model import ModelViewSetGroup

from base.menus import PermissionMenuItem
from base.viewsets import IndexView, ModelViewSet
from courses.reports import ReportColumn, cohorts_visible_to
from notifications.events import Event
from schedule import admin_views, selectors
from schedule.forms import CourseAttendanceRuleForm, SessionForm
from schedule.models import CourseAttendanceRule, Session
from schedule.panels import UpcomingSessionsPanel


class VisibleSessionsMixin:
    """Trainers list, edit and delete only the sessions of the cohorts they teach."""

    def get_base_queryset(self):
        return selectors.sessions_visible_to(self.request.user).select_related("cohort", "trainer")

    def get_queryset(self):
        return self.get_base_queryset()


class SessionIndexView(VisibleSessionsMixin, IndexView):
    pass


class SessionEditView(VisibleSessionsMixin, generic.EditView):
    pass


class SessionDeleteView(VisibleSessionsMixin, generic.DeleteView):
    pass


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


class SessionViewSet(ModelViewSet):
    model = Session
    icon = "date"
    menu_label = _("Sessions")
    index_view_class = SessionIndexView
    edit_view_class = SessionEditView
    delete_view_class = SessionDeleteView
    copy_view_enabled = False
    list_display = [
        TitleColumn("title", label=_("Title"), url_name="schedule_session:edit"),
        Column("cohort", label=_("Cohort")),
        Column("starts_at", label=_("Starts at"), accessor=lambda s: _local(s.starts_at)),
        Column("trainer", label=_("Trainer")),
        Column("format", label=_("Format"), accessor="get_format_display"),
    ]
    list_filter = ["cohort", "format"]
    search_fields = ["title", "place"]
    ordering = ["starts_at"]
    # The day and times are fields of the form, not of the model: the panel list takes
    # the form class that declares them.
    edit_handler = ObjectList(
        [
            FieldPanel("cohort"),
            FieldPanel("title"),
            FieldRowPanel([FieldPanel("day"), FieldPanel("start_time"), FieldPanel("end_time")]),
            FieldPanel("module"),
            FieldPanel("trainer"),
            FieldPanel("format"),
            FieldPanel("place"),
            FieldPanel("link"),
        ],
        base_form_class=SessionForm,
    )


class AttendanceRuleIndexView(IndexView):
    def get_base_queryset(self):
        return CourseAttendanceRule.objects.filter(
            course__in=cohorts_visible_to(self.request.user).values("course")
        ).select_related("course")


class AttendanceRuleEditView(generic.EditView):
    def get_queryset(self):
        return CourseAttendanceRule.objects.filter(
            course__in=cohorts_visible_to(self.request.user).values("course")
        )


class AttendanceRuleViewSet(ModelViewSet):
    model = CourseAttendanceRule
    icon = "tick"
    menu_label = _("Attendance requirements")
    index_view_class = AttendanceRuleIndexView
    edit_view_class = AttendanceRuleEditView
    copy_view_enabled = False
    # The panels carry the form class (which offers only the user's courses): a
    # viewset's own base_form_class is not used.
    edit_handler = ObjectList(
        [FieldPanel("course"), FieldPanel("min_percent")],
        base_form_class=CourseAttendanceRuleForm,
    )
    list_display = ["course", "min_percent"]


class ScheduleMenu(ModelViewSetGroup):
    menu_label = _("Timetable")
    menu_icon = "date"
    menu_order = 252
    items = [SessionViewSet("schedule_session"), AttendanceRuleViewSet("schedule_rule")]


@hooks.register("register_admin_viewset")
def register_schedule_menu():
    return ScheduleMenu()


@hooks.register("register_admin_urls")
def register_schedule_urls():
    return [
        path(
            "schedule/copy/",
            admin_views.TimetableCopyView.as_view(),
            name="schedule_copy",
        ),
        path(
            "schedule/cohorts/<int:pk>/attendance/",
            admin_views.AttendanceGridView.as_view(),
            name="schedule_grid",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_copy_menu_item():
    return PermissionMenuItem(
        _("Copy a timetable"),
        reverse("schedule_copy"),
        permission="schedule.add_session",
        icon_name="copy",
        order=253,
    )


@hooks.register("construct_learner_dashboard_panels")
def upcoming_sessions_panel(request, panels) -> None:
    panels.append(UpcomingSessionsPanel(request=request))


@hooks.register("course_completion_checks")
def attendance_required(*, enrolment, course) -> bool:
    return selectors.attendance_met(enrolment=enrolment, course=course)


@hooks.register("progress_report_columns")
def attendance_column(*, course) -> ReportColumn:
    return ReportColumn(label=str(_("Attendance")), values=_attendance_cells)


def _attendance_cells(rows) -> dict[int, str]:
    return {pk: str(share) for pk, share in selectors.attendance_shares(enrolments=rows).items()}


@hooks.register("register_notification_events")
def notification_events() -> list[Event]:
    return [Event("session_tomorrow", _("A session tomorrow: its time and place or link"))]
