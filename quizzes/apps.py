from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from quizzes import history, receivers  # noqa: F401 (connects the receivers)

        history.connect()  # the submissions' chain in the ledger
