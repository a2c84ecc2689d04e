"""The registry's panels on pages other apps own (the learner's dashboard)."""

from __future__ import annotations

from django.utils.translation import get_language
from laces.components import Component

from certification import selectors


class LearnerCertificatesPanel(Component):
    """The learner's certificates, newest first: the preview, the PDF and the page to
    share, or the date a certificate was revoked. Nothing when they have none."""

    name = "certificates"
    order = 200
    template_name = "certification/dashboard_panel.html"

    def __init__(self, *, user) -> None:
        self.user = user

    def get_context_data(self, parent_context=None) -> dict:
        language = get_language() or "ru"
        certificates = selectors.held_certificates(holder=self.user)
        return {
            "certificates": [
                (certificate, certificate.course_title(language)) for certificate in certificates
            ]
        }
