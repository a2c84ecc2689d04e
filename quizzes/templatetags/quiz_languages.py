"""Marking quiz texts shown in another language than the page's (a translation is
missing): a notice the learner can read, and a ``lang`` attribute for screen readers."""

from django import template
from django.utils.html import format_html

from quizzes import i18n

register = template.Library()


@register.simple_tag
def lang_attr(obj, field: str) -> str:
    """`` lang="ru"`` for an element holding ``obj.<field>`` when it fell back to Russian."""
    shown = i18n.fallback(obj, field)
    return format_html(' lang="{}"', shown) if shown else ""


@register.simple_tag
def not_translated_notice(obj, field: str, kind: str) -> str:
    """ "This question (``kind``: question or quiz) is not yet translated into …"."""
    shown = i18n.fallback(obj, field)
    if not shown:
        return ""
    notices = i18n.QUESTION_NOT_TRANSLATED if kind == "question" else i18n.QUIZ_NOT_TRANSLATED
    return format_html(
        '<p class="notice notice--language" role="note">{}</p>', notices[(i18n.current(), shown)]
    )
