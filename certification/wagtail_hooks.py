"""The certificate registry in the Wagtail admin: search, look up, revoke, re-issue."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet

from certification import services
from certification.models import Certificate


class RevokeForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=Certificate.Reason.choices)
    note = forms.CharField(label=gettext_lazy("Note"), widget=forms.Textarea, required=False)


class CertificateActionView(WagtailAdminTemplateMixin, TemplateView):
    """Revoke or re-issue one certificate (registrars only)."""

    template_name = "certification/admin/action.html"
    header_icon = "tick-inverse"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("certification.change_certificate"):
            raise PermissionDenied
        self.certificate = get_object_or_404(Certificate, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.certificate.printed_number

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(certificate=self.certificate, form=kwargs.get("form") or RevokeForm())
        return context

    def post(self, request, *args, **kwargs):
        if self.certificate.revoked_at:
            messages.error(request, _("This certificate is already revoked."))
            return redirect("certification_certificate:index")
        if request.POST.get("action") == "reissue":
            new = services.certificate_reissue(
                certificate=self.certificate, actor=request.user.email
            )
            messages.success(
                request, _("Re-issued as %(number)s.") % {"number": new.printed_number}
            )
            return redirect("certification_certificate:index")
        form = RevokeForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        services.certificate_revoke(
            certificate=self.certificate,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            actor=request.user.email,
        )
        messages.success(request, _("The certificate is revoked."))
        return redirect("certification_certificate:index")


def _status(certificate: Certificate) -> str:
    return {"valid": _("valid"), "expired": _("expired"), "revoked": _("revoked")}[
        certificate.status()
    ]


class CertificateViewSet(ModelViewSet):
    model = Certificate
    icon = "tick-inverse"
    menu_label = gettext_lazy("Certificates")
    menu_order = 270
    add_to_admin_menu = True
    inspect_view_enabled = True
    list_display = [
        TitleColumn(
            "number",
            label=gettext_lazy("Number"),
            accessor="printed_number",
            url_name="certification_certificate:action",
        ),
        Column("holder_name", label=gettext_lazy("Holder")),
        Column("cohort_name", label=gettext_lazy("Cohort")),
        Column("issued_at", label=gettext_lazy("Issued")),
        Column("status", label=gettext_lazy("Status"), accessor=_status),
    ]
    list_filter = ["issued_at", "revocation_reason"]
    search_fields = ["number", "holder_name", "cohort_name"]
    list_export = [
        "number",
        "holder_name",
        "cohort_name",
        "academic_hours",
        "issued_at",
        "revoked_at",
    ]
    form_fields = ["expires_on"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("action/<int:pk>/", CertificateActionView.as_view(), name="action"),
        ]


@hooks.register("register_admin_viewset")
def register_certificates():
    return CertificateViewSet("certification_certificate")
