from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = _("Certification")

    def ready(self) -> None:
        from certification import (  # noqa: F401 (registers the checks, connects the receiver)
            checks,
            history,
            receivers,
        )

        history.connect()  # the certificates' chain in the ledger
