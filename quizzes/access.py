"""Who may take a quiz. The hosting app (courses) can narrow it with a setting.

``QUIZZES_ACCESS_POLICY`` names a function ``(user, quiz) -> bool``; the default lets
any signed-in person take a published quiz.
"""

from django.conf import settings
from django.utils.module_loading import import_string


def signed_in(user, quiz) -> bool:
    return user.is_authenticated


def can_take(user, quiz) -> bool:
    if not quiz.published or not user.is_authenticated:
        return False
    policy = getattr(settings, "QUIZZES_ACCESS_POLICY", "quizzes.access.signed_in")
    return bool(import_string(policy)(user, quiz))
