"""The certificate registry in the Wagtail admin: the listing (filters, search by a
typed number, CSV/XLSX export), a certificate's detail with its history, issue by hand,
bulk issue for a cohort, revoke, re-issue; the certificate templates as snippets; and
the registry's actions in Wagtail's log."""

from django.core.exceptions import ImproperlyConfigured
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import models as generic
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from base.viewsets import IndexView, ModelViewSet
from certification import admin_views, credentials, selectors, services
from certification.filters import CertificateFilterSet
from certification.forms import CourseCertificateTemplateForm
from certification.models import Certificate, CertificateTemplate, CourseCertificateTemplate
from certification.panels import LearnerCertificatesPanel
from lms import env
from notifications.events import Event

# Reasons recorded in the history under a value since renamed.
LEGACY_REASONS = {"fraud": Certificate.Reason.MISCONDUCT}


class CertificateViewSet(ModelViewSet):
    model = Certificate
    icon = "tick-inverse"
    menu_label = _("Certificates")
    menu_order = 270
    add_to_admin_menu = True
    index_view_class = admin_views.CertificateIndexView
    inspect_view_class = admin_views.CertificateInspectView
    edit_view_class = admin_views.CertificateEditView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        TitleColumn(
            "number",
            label=_("Number"),
            accessor="printed_number",
            url_name="certification_certificate:inspect",
        ),
        Column("holder_name", label=_("Holder"), sort_key="holder_name"),
        Column("course", label=_("Course"), accessor="current_course_title"),
        Column("cohort_name", label=_("Cohort")),
        Column("region", label=_("Region"), accessor="holder_region"),
        DateColumn("issued_at", label=_("Issued"), sort_key="issued_at"),
        Column("status", label=_("Status"), accessor="get_status_display"),
    ]
    filterset_class = CertificateFilterSet
    search_fields = ["holder_name", "cohort_name"]
    list_export = [
        "printed_number",
        "holder_name",
        "current_course_title",
        "cohort_name",
        "holder_region",
        "academic_hours",
        "issued_on",
        "expires_on",
        "get_status_display",
        "revoked_at",
        "get_revocation_reason_display",
    ]
    export_headings = {
        "printed_number": _("Number"),
        "holder_name": _("Holder"),
        "current_course_title": _("Course"),
        "cohort_name": _("Cohort"),
        "holder_region": _("Region"),
        "academic_hours": _("Academic hours"),
        "issued_on": _("Issued"),
        "expires_on": _("Valid until"),
        "get_status_display": _("Status"),
        "revoked_at": _("Revoked"),
        "get_revocation_reason_display": _("Reason"),
    }
    export_filename = "certificates"
    form_fields = ["expires_on"]
    inspect_view_fields = [
        "holder_name",
        "holder",
        "course_titles",
        "academic_hours",
        "cohort_name",
        "cohort_starts_on",
        "cohort_ends_on",
        "issued_at",
        "expires_on",
        "grade",
        "issuer",
        "layout",
        "revocation_note",
        "pdf_sha256",
    ]

    @property
    def add_view(self):
        # "Add" is issuing by hand, through the service: never a bare model form.
        return admin_views.ManualIssueView.as_view()

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("revoke/<int:pk>/", admin_views.CertificateRevokeView.as_view(), name="revoke"),
            path("reissue/<int:pk>/", admin_views.CertificateReissueView.as_view(), name="reissue"),
            path("replace/<int:pk>/", admin_views.CertificateReplaceView.as_view(), name="replace"),
        ]


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    icon = "doc-full"
    menu_label = _("Certificate templates")
    add_to_admin_menu = True
    menu_order = 271
    list_display = ["name", "orientation"]
    search_fields = ["name"]


register_snippet(CertificateTemplateViewSet)


class CourseTemplateChoicesMixin:
    """Each user sees and changes the choices of the courses they may edit."""

    def get_base_queryset(self):
        return selectors.course_template_choices_for(self.request.user)

    def get_queryset(self):
        return selectors.course_template_choices_for(self.request.user)


class CourseTemplateIndexView(CourseTemplateChoicesMixin, IndexView):
    pass


class CourseTemplateEditView(CourseTemplateChoicesMixin, generic.EditView):
    pass


class CourseTemplateDeleteView(CourseTemplateChoicesMixin, generic.DeleteView):
    pass


class CourseCertificateTemplateViewSet(ModelViewSet):
    """Which template each course's certificates are printed with; a course left out
    prints the standard layout."""

    model = CourseCertificateTemplate
    icon = "doc-full"
    menu_label = _("Course certificate templates")
    add_to_admin_menu = True
    menu_order = 272
    index_view_class = CourseTemplateIndexView
    edit_view_class = CourseTemplateEditView
    delete_view_class = CourseTemplateDeleteView
    copy_view_enabled = False
    base_form_class = CourseCertificateTemplateForm
    form_fields = ["course", "template"]
    list_display = ["course", "template"]


@hooks.register("register_admin_viewset")
def register_course_certificate_templates():
    return CourseCertificateTemplateViewSet("certification_course_template")


@hooks.register("register_admin_viewset")
def register_certificates():
    return CertificateViewSet("certification_certificate")


@hooks.register("register_admin_urls")
def register_registry_urls():
    return [
        path(
            "certification/bulk/",
            admin_views.BulkChooseView.as_view(),
            name="certification_bulk_choose",
        ),
        path(
            "certification/bulk/cohort/<int:pk>/",
            admin_views.BulkConfirmView.as_view(),
            name="certification_bulk_confirm",
        ),
        path(
            "certification/bulk/run/<int:pk>/",
            admin_views.BulkProgressView.as_view(),
            name="certification_bulk_progress",
        ),
    ]


@hooks.register("register_log_actions")
def register_certificate_actions(actions):
    @actions.register_action("certification.issue")
    class Issue(LogFormatter):
        label = _("Issue certificate")

        def format_message(self, log_entry):
            via = {
                "completion": _("Issued on course completion"),
                "manual": _("Issued by hand"),
                "bulk": _("Issued in a bulk run for the cohort"),
                "reissue": _("Issued as a re-issue of %(previous)s"),
                "replacement": _("Issued in place of the revoked %(previous)s"),
            }.get(log_entry.data.get("via"), _("Issued"))
            return str(via) % {"previous": log_entry.data.get("previous", "")}

    @actions.register_action("certification.revoke")
    class Revoke(LogFormatter):
        label = _("Revoke certificate")

        def format_message(self, log_entry):
            reason = log_entry.data.get("reason", "")
            reason = LEGACY_REASONS.get(reason, reason)
            label = dict(Certificate.Reason.choices).get(reason, reason)
            return _("Revoked: %(reason)s") % {"reason": label}

        def format_comment(self, log_entry):
            return log_entry.data.get("note", "")

    @actions.register_action("certification.reissue")
    class Reissue(LogFormatter):
        label = _("Re-issue certificate")

        def format_message(self, log_entry):
            return _("Re-issued as %(number)s") % {"number": log_entry.data.get("new", "")}

    actions.register_action(
        "certification.view_pdf", _("View certificate PDF"), _("PDF opened by staff")
    )


@hooks.register("construct_learner_dashboard_panels")
def learner_certificates_panel(request, panels) -> None:
    panels.append(LearnerCertificatesPanel(user=request.user))


# Backups (lms.backups) ----------------------------------------------------------------


@hooks.register("backup_counts")
def certificates_counted(alias: str) -> dict[str, int]:
    return {"certificates": Certificate.objects.using(alias).count()}


def _signing_key_id() -> str | None:
    """The current signing key's id (its RFC 7638 thumbprint, public), so the operator
    can tell which key belongs with this backup; never the key. None when no key is
    configured."""
    configured = env.env_str("CERTIFICATE_SIGNING_KEY") or env.env_str(
        "CERTIFICATE_SIGNING_KEY_FILE"
    )
    if not configured and not credentials.development_key_path().exists():
        return None
    try:
        return credentials.key_id(credentials.signing_key().public_key())
    except ImproperlyConfigured:
        return None


@hooks.register("backup_keep_separately")
def signing_keys_kept_separately() -> list[dict]:
    return [
        {
            "name": "CERTIFICATE_SIGNING_KEY (or the file CERTIFICATE_SIGNING_KEY_FILE names)",
            "why": "the Ed25519 key that signs certificate credentials; without it no new "
            "credential can be signed with the published key. Keep it in a secret store, "
            "never beside the backups",
            "key_id": _signing_key_id(),
        },
        {
            "name": "CERTIFICATE_RETIRED_PUBLIC_KEYS",
            "why": "public keys of rotated-out signing keys: credentials they signed verify "
            "only while they are published",
        },
    ]


@hooks.register("register_notification_events")
def notification_events():
    return [
        Event(key=services.CERTIFICATE_ISSUED, label=_("Certificate issued")),
        Event(key=services.CERTIFICATE_REVOKED, label=_("Certificate revoked")),
    ]
