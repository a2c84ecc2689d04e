"""Wagtail admin views for trainers: progress report, learner detail, enrolment, import."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permissions import page_permission_policy

from base.exports import csv_response, xlsx_response
from courses import exports, imports, reports, selectors, services
from courses.forms import (
    AnnouncementForm,
    CohortDatesForm,
    EnrolLearnerForm,
    ReportFilterForm,
    RosterUploadForm,
    TranslationReportFilterForm,
)
from courses.models import Cohort, Enrolment, QuizPage
from notifications.channels import configured_channels
from quizzes.models import Attempt

ROSTER_CACHE_SECONDS = 30 * 60
# Learners shown on one page of the progress report: a cohort of thousands is read in
# pages, its charts and exports still count everyone.
REPORT_ROWS_PER_PAGE = 100


class TrainerViewMixin(WagtailAdminTemplateMixin):
    """Views for people who run cohorts; each sees only the cohorts they may see."""

    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("courses.view_cohort"):
            raise PermissionDenied
        self.cohorts = reports.cohorts_visible_to(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_cohort(self, pk) -> Cohort:
        return get_object_or_404(self.cohorts, pk=pk)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class ProgressReportView(TrainerViewMixin, TemplateView):
    page_title = gettext_lazy("Progress report")
    template_name = "courses/admin/report.html"

    def get(self, request, *args, **kwargs):
        self.form = ReportFilterForm(request.GET or None, cohorts=self.cohorts)
        self.form.is_valid()
        data = getattr(self.form, "cleaned_data", {}) or {}
        cohort = data.get("cohort")
        course = data.get("course") or (cohort.course if cohort else None)
        if course is None:
            first = self.cohorts.order_by("-starts_on").first()
            course = first.course if first else None
        self.report = None
        if course is not None:
            cohorts = self.cohorts.filter(course__translation_key=course.translation_key)
            if cohort:
                cohorts = cohorts.filter(pk=cohort.pk)
            self.report = reports.progress_report(
                course=course,
                cohorts=cohorts,
                region=data["region"].code if data.get("region") else None,
                status=data.get("status") or None,
                behind_only=bool(data.get("behind")),
            )
        export = request.GET.get("export")
        if self.report and export in {"csv", "xlsx"}:
            rows = exports.report_rows(self.report)
            name = f"progress-{course.code or course.pk}"
            if export == "csv":
                return csv_response(rows, name)
            return xlsx_response(rows, name)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("export", None)
        query.pop("page", None)
        cohort = getattr(self.form, "cleaned_data", {}).get("cohort")
        rows = self.report.rows if self.report else []
        page = Paginator(rows, REPORT_ROWS_PER_PAGE).get_page(self.request.GET.get("page"))
        can_message = bool(
            self.report and cohort and self.request.user.has_perm("courses.add_announcement")
        )
        context.update(
            form=self.form,
            report=self.report,
            page=page,
            can_message=can_message,
            colspan=(
                len(self.report.modules) + len(self.report.columns) + 3 + can_message
                if self.report
                else 0
            ),
            query=query.urlencode(),
            states={
                "test": _("best test result, %"),
                "done": _("done"),
                "in_progress": _("in progress"),
                "not_started": _("not started"),
            },
        )
        return context


def may_see_translations(user) -> bool:
    """Staff who run courses and may edit pages: methodologists, trainers, admins."""
    return user.has_perm("courses.view_cohort") and page_permission_policy.user_has_permission(
        user, "change"
    )


class TranslationReportView(WagtailAdminTemplateMixin, TemplateView):
    """Each page of a course in each other language: missing, draft, out of date or up
    to date, with links to write or finish the translation; CSV export."""

    page_title = gettext_lazy("Translations report")
    template_name = "courses/admin/translations.html"
    header_icon = "site"

    def dispatch(self, request, *args, **kwargs):
        if not may_see_translations(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get(self, request, *args, **kwargs):
        courses = reports.courses_to_translate(request.user)
        self.form = TranslationReportFilterForm(request.GET or None, courses=courses)
        if request.GET and not self.form.is_valid():
            raise Http404  # a course that is not theirs, or no such course or state
        data = getattr(self.form, "cleaned_data", {})
        course = data.get("course") or courses.first()
        self.state, self.language = data.get("state", ""), data.get("language", "")
        self.report = reports.translation_report(course=course) if course else None
        self.rows = self.report.filtered(state=self.state, language=self.language) if course else []
        if self.report and request.GET.get("export") == "csv":
            rows = exports.translation_rows(
                self.rows,
                state=self.state,
                language=self.language,
                edit_url=lambda row, cell: request.build_absolute_uri(
                    translation_edit_url(row, cell)
                ),
            )
            return csv_response(rows, f"translations-{self.report.course.code or course.pk}")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("export", None)
        rows = [
            (row, [(cell, translation_edit_url(row, cell)) for cell in row.cells])
            for row in self.rows
        ]
        context.update(form=self.form, report=self.report, rows=rows, query=query.urlencode())
        return context


def translation_edit_url(row, cell) -> str:
    """Where to work on a page in a language: its translation's editor (wagtail-localize
    opens its own for the translations it manages), or, where there is none, the form
    that starts one from the source."""
    if cell.translation_id is None:
        return reverse("wagtail_localize:submit_page_translation", args=[row.page.pk])
    return reverse("wagtailadmin_pages:edit", args=[cell.translation_id])


class EnrolmentDetailView(TrainerViewMixin, TemplateView):
    """One learner in one cohort: every lesson and test with the date it was done."""

    template_name = "courses/admin/enrolment_detail.html"

    def get_enrolment(self) -> Enrolment:
        return get_object_or_404(
            Enrolment.objects.select_related("learner", "cohort__course").filter(
                cohort__in=self.cohorts
            ),
            pk=self.kwargs["pk"],
        )

    def get_page_title(self):
        return self.enrolment.learner.full_name

    def get(self, request, *args, **kwargs):
        self.enrolment = self.get_enrolment()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.enrolment = self.get_enrolment()
        if not request.user.has_perm("courses.change_enrolment"):
            raise PermissionDenied
        action = request.POST.get("action")
        if action == "withdraw":
            services.enrolment_withdraw(enrolment=self.enrolment, actor=request.user.email)
            messages.success(request, _("The learner has been withdrawn."))
        elif action == "reinstate":
            services.enrolment_create(
                learner=self.enrolment.learner,
                cohort=self.enrolment.cohort,
                actor=request.user.email,
            )
            messages.success(request, _("The learner is back in the cohort."))
        return redirect("courses_enrolment_detail", pk=self.enrolment.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        course = self.enrolment.cohort.course
        progress = selectors.course_progress(enrolment=self.enrolment, course=course)
        attempts = (
            Attempt.objects.filter(
                user=self.enrolment.learner,
                quiz__in=QuizPage.objects.descendant_of(course).values("quiz"),
            )
            .select_related("quiz")
            .order_by("started_at")
        )
        late = selectors.late_attempts(enrolment=self.enrolment, course=course, attempts=attempts)
        context.update(
            enrolment=self.enrolment,
            progress=progress,
            attempts=[(attempt, attempt.pk in late) for attempt in attempts],
        )
        return context


class CohortActionMixin(TrainerViewMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("courses.add_enrolment"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cohort"] = self.cohort
        return context


class EnrolLearnerView(CohortActionMixin, TemplateView):
    """Enrol one person: an existing account is updated, a new one is invited."""

    template_name = "courses/admin/enrol.html"
    page_title = gettext_lazy("Enrol a learner")

    def get(self, request, *args, **kwargs):
        self.cohort = self.get_cohort(kwargs["pk"])
        self.form = EnrolLearnerForm()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.cohort = self.get_cohort(kwargs["pk"])
        self.form = EnrolLearnerForm(request.POST)
        if self.form.is_valid():
            data = self.form.cleaned_data
            row = imports.RosterRow(
                line=1,
                full_name=data["full_name"],
                email=data["email"].lower(),
                region=data["region"],
                rural_district=data["rural_district"],
                position=data["position"],
                phone=data["phone"],
            )
            imports.roster_import(
                cohort=self.cohort, rows=[row], dry_run=False, actor=request.user.email
            )
            messages.success(
                request,
                _("%(name)s is enrolled in %(cohort)s.")
                % {"name": data["full_name"], "cohort": self.cohort.name},
            )
            return redirect(reverse("courses_report") + f"?cohort={self.cohort.pk}")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        return context


class ImportRosterView(CohortActionMixin, TemplateView):
    """Upload a list, see exactly what would change, then confirm (or fix the file)."""

    template_name = "courses/admin/import.html"
    page_title = gettext_lazy("Import learners")

    def _cache_key(self, token: str) -> str:
        return f"roster-upload:{self.request.user.pk}:{self.cohort.pk}:{token}"

    def get(self, request, *args, **kwargs):
        self.cohort = self.get_cohort(kwargs["pk"])
        return self.render_to_response(self.get_context_data(form=RosterUploadForm()))

    def post(self, request, *args, **kwargs):
        self.cohort = self.get_cohort(kwargs["pk"])
        token = request.POST.get("token", "")
        if token:  # the trainer confirms a preview they have seen
            upload = cache.get(self._cache_key(token))
            if upload is None:
                messages.error(request, _("The preview has expired. Please upload the file again."))
                return redirect("courses_import", pk=self.cohort.pk)
            return self._import(upload, dry_run=False)
        form = RosterUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        uploaded = form.cleaned_data["file"]
        upload = {"name": uploaded.name, "data": uploaded.read(imports.MAX_FILE_BYTES + 1)}
        return self._import(upload, dry_run=True)

    def _import(self, upload: dict, *, dry_run: bool) -> HttpResponse:
        try:
            rows = imports.roster_parse(file_name=upload["name"], data=upload["data"])
        except imports.RosterError as error:
            return self.render_to_response(
                self.get_context_data(form=RosterUploadForm(), problems=error.problems)
            )
        result = imports.roster_import(
            cohort=self.cohort, rows=rows, dry_run=dry_run, actor=self.request.user.email
        )
        if dry_run:
            token = secrets.token_urlsafe(16)
            cache.set(self._cache_key(token), upload, ROSTER_CACHE_SECONDS)
            rows = [
                (line, email, ", ".join(str(imports.ACTION_LABELS[a]) for a in actions))
                for line, email, actions in result.lines()
            ]
            return self.render_to_response(
                self.get_context_data(
                    preview=result, preview_rows=rows, token=token, file_name=upload["name"]
                )
            )
        messages.success(
            self.request,
            _("Imported: %(created)s new accounts, %(enrolled)s enrolled.")
            % {"created": result.created, "enrolled": result.enrolled},
        )
        return redirect(reverse("courses_report") + f"?cohort={self.cohort.pk}")


class CohortDatesView(TrainerViewMixin, TemplateView):
    """When each module and test of the course opens for the cohort, and when it is due:
    for the cohort's trainers and whoever may edit every cohort."""

    template_name = "courses/admin/cohort_dates.html"
    page_title = gettext_lazy("Release and due dates")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("courses.change_cohort"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def _form(self, data=None) -> CohortDatesForm:
        self.cohort = self.get_cohort(self.kwargs["pk"])
        return CohortDatesForm(
            data,
            items=selectors.dated_items(course=self.cohort.course),
            dates=selectors.cohort_dates(cohort=self.cohort).dates,
        )

    def get(self, request, *args, **kwargs):
        self.form = self._form()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.form = self._form(request.POST)
        if self.form.is_valid():
            services.cohort_dates_set(
                cohort=self.cohort, dates=self.form.dates(), actor=request.user.email
            )
            messages.success(
                request, _("The dates of %(cohort)s are saved.") % {"cohort": self.cohort.name}
            )
            return redirect("courses_cohort_dates", pk=self.cohort.pk)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(cohort=self.cohort, form=self.form)
        return context


def _ids(values: list[str], *, limit: int = 5000) -> list[int]:
    """Enrolment ids from a query string or form, ignoring anything that is not one."""
    return [int(value) for value in values[:limit] if value.isdigit()]


class AnnouncementView(TrainerViewMixin, TemplateView):
    """Write to a cohort the user runs: everyone, or the learners ticked in the
    progress report (those falling behind)."""

    template_name = "courses/admin/announce.html"
    page_title = gettext_lazy("Announcement")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("courses.add_announcement"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, data=None, *, chosen: list[int]) -> AnnouncementForm:
        initial = {
            "audience": AnnouncementForm.SELECTED if chosen else AnnouncementForm.WHOLE_COHORT,
            "enrolments": chosen,
        }
        channels = [(key, channel.label) for key, channel in configured_channels().items()]
        return AnnouncementForm(
            data, initial=initial, cohort=self.cohort, chosen_ids=chosen, channels=channels
        )

    def get(self, request, *args, **kwargs):
        self.cohort = self.get_cohort(kwargs["pk"])
        self.form = self.get_form(chosen=_ids(request.GET.getlist("enrolment")))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.cohort = self.get_cohort(kwargs["pk"])
        self.form = self.get_form(request.POST, chosen=_ids(request.POST.getlist("enrolments")))
        if not self.form.is_valid():
            return super().get(request, *args, **kwargs)
        data = self.form.cleaned_data
        try:
            announcement = services.announcement_post(
                cohort=self.cohort,
                author=request.user,
                subject=data["subject"],
                body=data["body"],
                channels=data["channels"],
                enrolments=(
                    data["enrolments"] if data["audience"] == AnnouncementForm.SELECTED else None
                ),
            )
        except ValidationError as error:
            self.form.add_error(None, error)
            return super().get(request, *args, **kwargs)
        messages.success(
            request,
            ngettext(
                "The announcement was sent to %(count)s learner.",
                "The announcement was sent to %(count)s learners.",
                announcement.recipients_count,
            )
            % {"count": announcement.recipients_count},
        )
        return redirect("courses_announce", pk=self.cohort.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            cohort=self.cohort,
            form=self.form,
            announcements=self.cohort.announcements.select_related("author")[:20],
        )
        return context
