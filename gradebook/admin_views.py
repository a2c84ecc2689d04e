"""The cohort's gradebook in the admin, its exports, and a cell's override and history.

Scoped by the cohort admin's rule: a trainer opens the cohorts they teach, staff who
see every cohort any of them; any other cohort, learner or item is a 404.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from base.exports import csv_response, xlsx_response
from gradebook import exports, selectors, services
from gradebook.forms import OverrideForm, RemoveOverrideForm


def may_open_gradebooks(user) -> bool:
    """Trainers (their cohorts), methodologists and registrars (every cohort)."""
    return user.has_perm("courses.view_cohort")


class GradebookAdminMixin(WagtailAdminTemplateMixin):
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not may_open_gradebooks(request.user):
            raise PermissionDenied
        self.cohort = selectors.cohort_for_gradebook(user=request.user, cohort_id=kwargs["pk"])
        if self.cohort is None:
            raise Http404
        self.load(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load(self, **kwargs) -> None:
        """Read what the view is about, once the cohort is known to be theirs."""

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("courses_cohort:index"), "label": _("Cohorts")},
            {"url": "", "label": self.get_page_title()},
        ]


class GradebookView(GradebookAdminMixin, TemplateView):
    """Learners × graded items with totals and bands, and the same as CSV or XLSX."""

    template_name = "gradebook/admin/gradebook.html"

    def get_page_title(self):
        return _("Gradebook: %(cohort)s") % {"cohort": self.cohort.name}

    def get(self, request, *args, **kwargs):
        self.book = selectors.cohort_gradebook(cohort=self.cohort)
        export = request.GET.get("export")
        if export in {"csv", "xlsx"}:
            rows = list(exports.gradebook_rows(self.book))
            name = f"gradebook-{self.cohort.pk}"
            return csv_response(rows, name) if export == "csv" else xlsx_response(rows, name)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "book": self.book, "cohort": self.cohort}


class CellView(GradebookAdminMixin, TemplateView):
    """One learner's grade in one item: its history, the override form, its removal."""

    template_name = "gradebook/admin/cell.html"

    def get_page_title(self):
        return _("Grade of %(learner)s: %(item)s") % {
            "learner": self.enrolment.learner.full_name or self.enrolment.learner.email,
            "item": self.item.title,
        }

    def load(self, **kwargs) -> None:
        self.enrolment = selectors.enrolment_in_cohort(
            cohort=self.cohort, enrolment_id=kwargs["enrolment"]
        )
        if self.enrolment is None:
            raise Http404  # a learner of another cohort, or no one
        book = selectors.cohort_gradebook(cohort=self.cohort, enrolment=self.enrolment)
        self.cell = next(
            (cell for cell in book.rows[0].cells if cell.item.key == kwargs["item_key"]), None
        )
        if self.cell is None:
            raise Http404  # not an item of the cohort's course
        self.item = self.cell.item

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        form = OverrideForm(request.POST) if action == "set" else RemoveOverrideForm(request.POST)
        if action not in {"set", "remove"} or not form.is_valid():
            return self.render_to_response(self.get_context_data(**{f"{action}_form": form}))
        data = form.cleaned_data
        try:
            if action == "set":
                services.override_set(
                    enrolment=self.enrolment,
                    item_key=self.item.key,
                    grade=Decimal(data["grade"]),
                    reason=data["reason"],
                    actor=request.user,
                )
                messages.success(request, _("The grade is changed."))
            else:
                services.override_remove(
                    enrolment=self.enrolment,
                    item_key=self.item.key,
                    reason=data["reason"],
                    actor=request.user,
                )
                messages.success(request, _("The override is removed."))
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_to_response(self.get_context_data(**{f"{action}_form": form}))
        return redirect("gradebook_cohort", pk=self.cohort.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("set_form", OverrideForm())
        context.setdefault("remove_form", RemoveOverrideForm())
        context.update(
            cohort=self.cohort,
            enrolment=self.enrolment,
            cell=self.cell,
            item=self.item,
            history=selectors.cell_history(enrolment=self.enrolment, item_key=self.item.key),
        )
        return context
