"""The trainer's marking queue in the Wagtail admin: work of their cohorts, oldest
first, and the marking screen (rubric, comment, annotated file; return or mark).
Another cohort's submission is 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from assignments import selectors, services
from assignments.forms import MarkForm, QueueFilterForm
from assignments.models import AssignmentPage, Submission
from courses.reports import cohorts_visible_to

PER_PAGE = 50


class MarkerMixin(WagtailAdminTemplateMixin):
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        if not selectors.may_mark(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class QueueView(MarkerMixin, TemplateView):
    page_title = gettext_lazy("Assignments to mark")
    template_name = "assignments/admin/queue.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cohorts = cohorts_visible_to(self.request.user)
        form = QueueFilterForm(
            self.request.GET or None,
            cohorts=cohorts,
            assignments=selectors.assignments_of(cohorts),
        )
        data = form.cleaned_data if form.is_valid() else {}
        rows = selectors.queue(
            user=self.request.user,
            cohort=data.get("cohort"),
            assignment_key=data.get("assignment") or None,
            state=data.get("state") or None,
        )
        page = Paginator(rows, PER_PAGE).get_page(self.request.GET.get("page"))
        context.update(form=form, page=page, back=self.request.get_full_path())
        return context


class MarkView(MarkerMixin, TemplateView):
    page_title = gettext_lazy("Mark an assignment")
    template_name = "assignments/admin/mark.html"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("assignments_queue"), "label": _("Assignments to mark")},
            {"url": "", "label": self.get_page_title()},
        ]

    def setup_objects(self):
        self.submission = get_object_or_404(
            selectors.submissions_visible_to(self.request.user).select_related(
                "enrolment__learner", "enrolment__cohort"
            ),
            pk=self.kwargs["pk"],
        )
        pages = AssignmentPage.objects.filter(translation_key=self.submission.assignment_key)
        self.page = pages.filter(locale__language_code=self.request.LANGUAGE_CODE).first() or (
            pages.order_by("pk").first()
        )
        if self.page is None:
            raise PermissionDenied
        self.versions = list(
            self.submission.versions.prefetch_related("files").select_related("marked_by")
        )

    def get(self, request, *args, **kwargs):
        self.setup_objects()
        self.form = MarkForm(page=self.page)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.setup_objects()
        self.form = MarkForm(request.POST, request.FILES, page=self.page)
        if self.form.is_valid():
            data = self.form.cleaned_data
            try:
                if request.POST.get("action") == "return":
                    services.submission_return(
                        submission=self.submission,
                        page=self.page,
                        marker=request.user,
                        comment=data["comment"],
                        feedback_file=data["feedback_file"],
                    )
                    messages.success(request, _("The work is returned to the learner."))
                else:
                    services.submission_mark(
                        submission=self.submission,
                        page=self.page,
                        marker=request.user,
                        comment=data["comment"],
                        levels=self.form.levels(),
                        points=data.get("points"),
                        feedback_file=data["feedback_file"],
                    )
                    messages.success(request, _("The work is marked."))
            except services.NotEditable:
                messages.warning(request, _("This work is not waiting for marking."))
            except ValidationError as error:
                self.form.add_error(None, error.messages[0])
            else:
                return redirect("assignments_queue")
        return self.render_to_response(self.get_context_data(), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            submission=self.submission,
            page=self.page,
            versions=list(reversed(self.versions)),
            form=self.form,
            can_mark=self.submission.state == Submission.State.SUBMITTED,
        )
        return context
