"""The "Learning" menu of the Wagtail admin: cohorts and the progress report."""

from django.conf import settings
from django.contrib import messages
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import models as generic
from wagtail.admin.viewsets.model import ModelViewSetGroup

from base.menus import PermissionMenuItem
from base.viewsets import IndexView, ModelViewSet
from courses import admin_views, reports, selectors, services
from courses.models import Cohort, LessonPage, translated_page_types
from courses.receivers import offer_for_translation
from notifications.events import Event


class VisibleCohortsMixin:
    """Trainers list, edit and delete only the cohorts they teach."""

    def get_base_queryset(self):
        return reports.cohorts_visible_to(self.request.user)

    def get_queryset(self):
        return reports.cohorts_visible_to(self.request.user)


class CohortIndexView(VisibleCohortsMixin, IndexView):
    pass


class CohortCreateView(generic.CreateView):
    def save_instance(self):
        cohort = super().save_instance()
        if not cohort.trainers.filter(pk=self.request.user.pk).exists():
            cohort.trainers.add(self.request.user)  # whoever opens a cohort runs it
        return cohort


class CohortEditView(VisibleCohortsMixin, generic.EditView):
    pass


class CohortDeleteView(VisibleCohortsMixin, generic.DeleteView):
    pass


def _report_url(cohort) -> str:
    return reverse("courses_report") + f"?cohort={cohort.pk}"


class CohortViewSet(ModelViewSet):
    model = Cohort
    icon = "group"
    menu_label = _("Cohorts")
    index_view_class = CohortIndexView
    add_view_class = CohortCreateView
    edit_view_class = CohortEditView
    delete_view_class = CohortDeleteView
    base_list_display = [
        TitleColumn("name", label=_("Name"), url_name="courses_cohort:edit"),
        Column("course", label=_("Course")),
        Column("starts_on", label=_("Starts on")),
        Column("ends_on", label=_("Ends on")),
        Column("invite_code", label=_("Invite code")),
        TitleColumn(
            "dates",
            label=_("Dates"),
            get_url=lambda cohort: reverse("courses_cohort_dates", args=[cohort.pk]),
            accessor=lambda cohort: _("Release and due dates"),
        ),
        TitleColumn(
            "report",
            label=_("Progress"),
            get_url=_report_url,
            accessor=lambda cohort: _("Open the report"),
        ),
    ]

    @property
    def list_display(self) -> list:
        """The columns above, then those of higher apps (the ``cohort_list_columns``
        hook: ``fn() -> Column``), such as the gradebook's."""
        return [*self.base_list_display, *(fn() for fn in hooks.get_hooks("cohort_list_columns"))]

    list_filter = ["course", "starts_on"]
    search_fields = ["name", "name_kk", "name_en", "branch"]
    list_export = [
        "name",
        "name_kk",
        "name_en",
        "course",
        "branch",
        "starts_on",
        "ends_on",
        "invite_code",
    ]
    panels = [
        FieldPanel("course"),
        FieldPanel("name"),
        FieldPanel("name_kk"),
        FieldPanel("name_en"),
        FieldPanel("branch"),
        FieldPanel("starts_on"),
        FieldPanel("ends_on"),
        FieldPanel("trainers"),
        FieldPanel("invite_code"),
        FieldPanel("invite_open"),
    ]


class LearningMenu(ModelViewSetGroup):
    menu_label = _("Learning")
    menu_icon = "group"
    menu_order = 250
    items = [CohortViewSet("courses_cohort")]
    # other apps add their pages here (the assignments' marking queue) with this hook
    submenu_hook = "register_learning_menu_item"


@hooks.register("register_admin_viewset")
def register_learning_menu():
    return LearningMenu()


@hooks.register("register_admin_urls")
def register_learning_urls():
    return [
        path("learning/report/", admin_views.ProgressReportView.as_view(), name="courses_report"),
        path(
            "learning/translations/",
            admin_views.TranslationReportView.as_view(),
            name="courses_translations",
        ),
        path(
            "learning/enrolments/<int:pk>/",
            admin_views.EnrolmentDetailView.as_view(),
            name="courses_enrolment_detail",
        ),
        path(
            "learning/cohorts/<int:pk>/enrol/",
            admin_views.EnrolLearnerView.as_view(),
            name="courses_enrol",
        ),
        path(
            "learning/cohorts/<int:pk>/dates/",
            admin_views.CohortDatesView.as_view(),
            name="courses_cohort_dates",
        ),
        path(
            "learning/cohorts/<int:pk>/announce/",
            admin_views.AnnouncementView.as_view(),
            name="courses_announce",
        ),
        path(
            "learning/cohorts/<int:pk>/import/",
            admin_views.ImportRosterView.as_view(),
            name="courses_import",
        ),
    ]


@hooks.register("register_notification_events")
def reminder_and_announcement_events() -> list[Event]:
    """The scheduler's reminders (courses.reminders: ``cohort_start_reminders_send``,
    ``falling_behind_nudges_send``) and trainers' announcements."""
    return [
        Event("cohort_starts", _("Your cohort starts tomorrow")),
        Event("falling_behind", _("You are falling behind your cohort")),
        Event("announcement", _("Announcements from your trainers")),
    ]


@hooks.register("register_admin_menu_item")
def register_report_menu_item():
    return PermissionMenuItem(
        _("Progress report"),
        reverse("courses_report"),
        permission="courses.view_cohort",
        icon_name="table",
        order=251,
    )


@hooks.register("register_reports_menu_item")
def register_translations_menu_item():
    return PermissionMenuItem(
        _("Course translations"),
        reverse("courses_translations"),
        check=admin_views.may_see_translations,
        icon_name="site",
        order=800,
    )


@hooks.register("register_notification_events")
def register_notification_events():
    return [
        Event(key="module_opens", label=_("A module of my course opens")),
        Event(key="test_closes_soon", label=_("A test I have not handed in closes within a day")),
    ]


@hooks.register("after_create_page")
def place_new_item_in_course_order(request, page):
    services.item_place_in_course_order(page=page)


@hooks.register("after_create_page")
def offer_new_page_for_translation(request, page):
    """A course page created in the admin, even as a draft, appears in the other
    languages as a translation draft (republishing refreshes it: see receivers)."""
    if isinstance(page.specific, translated_page_types()):
        offer_for_translation(page, request.user)


@hooks.register("register_notification_events")
def notification_events():
    # Not by e-mail unless chosen: a new account's invitation e-mail already names the
    # course and cohort, and akims read their messengers rather than their mail.
    return [
        Event(
            key=services.ENROLLED,
            label=_("Enrolled in a course"),
            channels=("telegram", "sms"),
        )
    ]


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
@hooks.register("after_publish_page")
def warn_of_heavy_lesson(request, page):
    """A lesson over the weight budget is saved and published as the author asks, with
    a warning each time: a learner on a village link pays for every kilobyte, but some
    lessons need a large document, so this asks rather than refuses (README "Offline")."""
    page = page.specific
    if not isinstance(page, LessonPage):
        return
    weight = selectors.lesson_weight(page, cached=False)
    if weight.over_budget:
        messages.warning(
            request,
            _(
                "This lesson weighs %(size)s (about %(seconds)s s on a slow 3G link), over "
                "the budget of %(budget)s. Please use smaller images or documents, or add "
                "a text alternative for the heavy media."
            )
            % {
                "size": filesizeformat(weight.total),
                "seconds": weight.seconds,
                "budget": filesizeformat(settings.LESSON_WEIGHT_BUDGET_BYTES),
            },
        )
