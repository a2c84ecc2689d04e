"""The survey results in the admin: per cohort and per trainer, scoped to the cohorts
the user may see, with CSV/XLSX exports."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from base.exports import csv_response, xlsx_response
from evaluations import exports, selectors
from evaluations.forms import ResultsFilterForm
from evaluations.models import MIN_RESPONSES


def may_see_results(user) -> bool:
    """Trainers (their cohorts), methodologists and registrars (every cohort)."""
    return user.has_perm("courses.view_cohort")


class ResultsView(WagtailAdminTemplateMixin, TemplateView):
    page_title = gettext_lazy("Course evaluation")
    template_name = "evaluations/admin/results.html"
    header_icon = "form"

    def dispatch(self, request, *args, **kwargs):
        if not may_see_results(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get(self, request, *args, **kwargs):
        surveys = selectors.surveys_visible_to(request.user)
        self.form = ResultsFilterForm(request.GET or None, surveys=surveys)
        if request.GET.get("survey") and not self.form.is_valid():
            raise Http404  # a survey of a course that is not theirs
        data = getattr(self.form, "cleaned_data", {})
        survey = data.get("survey") or surveys.first()
        self.results = (
            selectors.survey_results(survey=survey, user=request.user) if survey else None
        )
        export = request.GET.get("export")
        if self.results and export in {"csv", "xlsx"}:
            # Built here, in the user's language: the CSV streams after the view returns.
            rows = list(exports.results_rows(self.results))
            name = f"evaluation-{survey.course.code or survey.pk}"
            return csv_response(rows, name) if export == "csv" else xlsx_response(rows, name)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("export", None)
        context.update(
            form=self.form,
            results=self.results,
            query=query.urlencode(),
            min_responses=MIN_RESPONSES,
        )
        return context
