"""Template filters for the quiz screens of the Wagtail admin."""

from django import template
from django.utils.safestring import mark_safe

from quizzes.services import clean_essay

register = template.Library()


@register.filter
def essay_html(text) -> str:
    """A learner's essay as HTML: cleaned again when shown, whatever was stored."""
    return mark_safe(clean_essay(text or ""))  # noqa: S308 - bleach leaves only safe tags
