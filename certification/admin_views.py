"""The registry's admin pages. Each checks its permission, parses the request, calls a
service or selector and renders; the rules are in services.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic import models as generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton
from wagtail.log_actions import registry as log_registry

from base.viewsets import IndexView
from certification import history, numbers, selectors, services
from certification.filters import name_query
from certification.forms import BulkCohortForm, ManualIssueForm, RevokeForm
from certification.layout import layout_of
from certification.models import PUBLIC_REVOCATION_LABELS, BulkIssuance, Certificate
from courses.models import Cohort
from lms.templatetags.lms_tags import site_datetime

INDEX = "certification_certificate:index"
INSPECT = "certification_certificate:inspect"
HISTORY_ON_INSPECT = 20


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


class RegistryPageMixin(WagtailAdminTemplateMixin):
    """A registry page: one permission, and a breadcrumb back to the registry."""

    permission = "certification.view_certificate"
    header_icon = "tick-inverse"

    def dispatch(self, request, *args, **kwargs):
        _require(request, self.permission)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(INDEX), "label": _("Certificates")},
            {"url": "", "label": self.get_page_title()},
        ]


# The registry's listing, detail and edit views --------------------------------------


class CertificateIndexView(IndexView):
    def get_base_queryset(self):
        return selectors.registry()

    def search_queryset(self, queryset):
        """A number as typed finds its certificate; anything else searches the names."""
        if not self.is_searching:
            return queryset
        if canonical := numbers.parse(self.search_query):
            return queryset.filter(number=canonical)
        return queryset.filter(
            name_query("holder_name", self.search_query)
            | name_query("cohort_name", self.search_query)
        )

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perm("certification.add_bulkissuance"):
            buttons.append(
                HeaderButton(
                    _("Bulk issue for a cohort"),
                    url=reverse("certification_bulk_choose"),
                    icon_name="group",
                )
            )
        certificates = ContentType.objects.get_for_model(Certificate)
        buttons.append(
            HeaderButton(
                _("Registry history"),
                url=reverse("wagtailadmin_reports:site_history")
                + f"?object_type={certificates.pk}",
                icon_name="history",
            )
        )
        return buttons

    @cached_property
    def add_item_label(self):
        return _("Issue a certificate")


class CertificateInspectView(generic.InspectView):
    """A certificate's snapshot, documents, actions and history."""

    template_name = "certification/admin/inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Certificate.objects.select_related(
                "holder", "cohort", "template", "superseded_by", "supersedes"
            ),
            pk=self.pk,
        )

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        return "—" if value in (None, "") else value

    def get_issued_at_display_value(self):
        return site_datetime(self.object.issued_at)

    def get_course_titles_display_value(self):
        titles = self.object.course_titles or {}
        return "; ".join(f"{language}: {title}" for language, title in sorted(titles.items()))

    def get_layout_display_value(self):
        if not self.object.layout:
            return _("the standard layout")
        return self.object.layout.get("name", "")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        certificate = self.object
        user = self.request.user
        history = log_registry.get_logs_for_instance(certificate).select_related("user")
        context.update(
            certificate=certificate,
            status=certificate.status(),
            layout=layout_of(certificate),
            history=history[:HISTORY_ON_INSPECT],
            history_url=reverse("certification_certificate:history", args=[certificate.pk])
            if user.has_perm("certification.change_certificate")
            else None,
            may_change=user.has_perm("certification.change_certificate")
            and not certificate.revoked_at,
            may_replace=user.has_perm("certification.change_certificate")
            and certificate.revoked_at
            and not certificate.superseded_by_id,
            misconduct=certificate.revocation_reason == Certificate.Reason.MISCONDUCT,
            may_open_pdf=selectors.may_open_documents(user=user, certificate=certificate),
        )
        return context


class CertificateEditView(generic.EditView):
    """Only the expiry date can be changed, and never on a revoked certificate."""

    def dispatch(self, request, *args, **kwargs):
        _require(request, "certification.change_certificate")
        certificate = get_object_or_404(Certificate, pk=kwargs["pk"])
        if certificate.revoked_at:
            messages.error(request, _("A revoked certificate cannot be changed."))
            return redirect(INSPECT, certificate.pk)
        return super().dispatch(request, *args, **kwargs)

    def save_instance(self):
        # Through the registry's service, so the change is chained in the history.
        return history.certificate_expiry_change(
            certificate=self.object,
            expires_on=self.form.cleaned_data["expires_on"],
            actor=self.request.user,
        )


# Revoke, re-issue, replace, issue by hand ---------------------------------------------


class CertificateRevokeView(RegistryPageMixin, TemplateView):
    """Revoke one certificate, on a page of its own: the reason chosen explicitly, what
    the public page will say, and that it cannot be undone. Only its POST revokes."""

    permission = "certification.change_certificate"
    template_name = "certification/admin/revoke.html"

    def dispatch(self, request, *args, **kwargs):
        _require(request, self.permission)
        self.certificate = get_object_or_404(Certificate, pk=kwargs["pk"])
        if self.certificate.revoked_at:
            messages.error(request, _("This certificate is already revoked."))
            return redirect(INSPECT, self.certificate.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Revoke %(number)s") % {"number": self.certificate.printed_number}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            certificate=self.certificate,
            form=kwargs.get("form") or RevokeForm(),
            revoked_on=timezone.localdate(),
            public_category=PUBLIC_REVOCATION_LABELS["withdrawn"],
        )
        return context

    def post(self, request, *args, **kwargs):
        form = RevokeForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        services.certificate_revoke(
            certificate=self.certificate,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
        messages.success(request, _("The certificate is revoked."))
        return redirect(INSPECT, self.certificate.pk)


class CertificatePostView(View):
    """A registrar's one-step action on a certificate, from its page in the registry."""

    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        _require(request, "certification.change_certificate")
        self.certificate = get_object_or_404(Certificate, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class CertificateReissueView(CertificatePostView):
    """A new number for the same achievement; the standing one is revoked as replaced."""

    def post(self, request, *args, **kwargs):
        if self.certificate.revoked_at:
            messages.error(request, _("This certificate is already revoked."))
            return redirect(INSPECT, self.certificate.pk)
        new = services.certificate_reissue(certificate=self.certificate, actor=request.user)
        messages.success(request, _("Re-issued as %(number)s.") % {"number": new.printed_number})
        return redirect(INSPECT, new.pk)


class CertificateReplaceView(CertificatePostView):
    """Issue a new certificate to the holder of a revoked one, as things are now."""

    def post(self, request, *args, **kwargs):
        try:
            new, created = services.certificate_replace(
                certificate=self.certificate, actor=request.user
            )
        except services.ReplacementRefused as refused:
            messages.error(request, str(refused))
            return redirect(INSPECT, self.certificate.pk)
        numbers_ = {"number": new.printed_number, "old": self.certificate.printed_number}
        if created:
            messages.success(request, _("Issued %(number)s in place of %(old)s.") % numbers_)
        else:
            messages.warning(
                request,
                _("Nothing issued: %(number)s already stands for this learner and course.")
                % numbers_,
            )
        return redirect(INSPECT, new.pk)


class ManualIssueView(RegistryPageMixin, TemplateView):
    """A registrar issues one certificate by hand, e.g. for a face-to-face seminar."""

    permission = "certification.add_certificate"
    template_name = "certification/admin/issue.html"
    page_title = gettext_lazy("Issue a certificate")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = kwargs.get("form") or ManualIssueForm()
        return context

    def post(self, request, *args, **kwargs):
        form = ManualIssueForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data
        try:
            certificate, created = services.certificate_issue_manual(
                holder=data["holder"],
                course=data["course"],
                cohort=data["cohort"],
                academic_hours=data["academic_hours"],
                issued_on=data["issued_on"],
                expires_on=data["expires_on"],
                actor=request.user,
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
            return self.render_to_response(self.get_context_data(form=form))
        if created:
            messages.success(
                request, _("Issued %(number)s.") % {"number": certificate.printed_number}
            )
        else:
            messages.warning(
                request,
                _("Nothing issued: %(number)s already stands for this learner and course.")
                % {"number": certificate.printed_number},
            )
        return redirect(INSPECT, certificate.pk)


# Bulk issuance ----------------------------------------------------------------------


class BulkChooseView(RegistryPageMixin, TemplateView):
    """Pick a cohort; recent runs are listed below."""

    permission = "certification.add_bulkissuance"
    template_name = "certification/admin/bulk_choose.html"
    page_title = gettext_lazy("Bulk issue for a cohort")

    def get(self, request, *args, **kwargs):
        form = BulkCohortForm(request.GET or None)
        if form.is_bound and form.is_valid():
            return redirect("certification_bulk_confirm", form.cleaned_data["cohort"].pk)
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["runs"] = selectors.recent_bulk_runs()
        return context


class BulkConfirmView(RegistryPageMixin, TemplateView):
    """Who will get a certificate, who already has one, who is not eligible; then POST."""

    permission = "certification.add_bulkissuance"
    template_name = "certification/admin/bulk_confirm.html"

    def dispatch(self, request, *args, **kwargs):
        self.cohort = get_object_or_404(Cohort.objects.select_related("course"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Bulk issue: %(cohort)s") % {"cohort": self.cohort.name}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(cohort=self.cohort, candidates=selectors.bulk_candidates(cohort=self.cohort))
        return context

    def post(self, request, *args, **kwargs):
        run = services.bulk_issuance_start(cohort=self.cohort, requested_by=request.user)
        return redirect("certification_bulk_progress", run.pk)


class BulkProgressView(RegistryPageMixin, TemplateView):
    """A run's counts and problems; reloads itself every few seconds while it runs."""

    permission = "certification.view_bulkissuance"
    template_name = "certification/admin/bulk_progress.html"
    refresh_seconds = 3

    def dispatch(self, request, *args, **kwargs):
        self.run = get_object_or_404(
            BulkIssuance.objects.select_related("cohort__course", "requested_by"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Bulk issue: %(cohort)s") % {"cohort": self.run.cohort.name}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            run=self.run,
            refresh_seconds=self.refresh_seconds if self.run.in_progress else None,
            certificates_url=reverse(INDEX) + f"?cohort={self.run.cohort_id}",
        )
        return context
