"""The languages quiz texts are written in, and which one a learner is shown.

A text has a column per language (``text_kk``, ``text_ru``, ``text_en``; registered in
``quizzes/translation.py``). A learner reads it in the page's language or, when it is
not written in that language yet, in the first of ``MODELTRANSLATION_FALLBACK_LANGUAGES``
that has it: the same order ``question.text`` falls back in.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Model, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import translator


def codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def columns(field: str) -> list[str]:
    """``text`` → ``["text_kk", "text_ru", "text_en"]``."""
    return [f"{field}_{code}" for code in codes()]


def language_columns(model: type[Model]) -> list[str]:
    """Every per-language column of ``model`` (``text_kk``, ``text_ru``, …): a row built
    with ``text=`` holds the same value in one of them, so validating both would report
    each problem twice."""
    fields = translator.get_options_for_model(model).fields
    return [column for field in fields for column in columns(field)]


def any_language(field: str, value: object) -> Q:
    """Matches rows whose ``field`` is ``value`` in any language: a name looked up by what
    someone typed, whatever language the admin is shown in."""
    match = Q()
    for column in columns(field):
        match |= Q(**{column: value})
    return match


def current() -> str:
    """The active language, one of ``settings.LANGUAGES`` (Russian when none is)."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in codes() else settings.LANGUAGE_CODE


def fallback_order(language: str) -> list[str]:
    order = [language, *settings.MODELTRANSLATION_FALLBACK_LANGUAGES]
    return list(dict.fromkeys(code for code in order if code in codes()))


def shown_language(obj: Model, field: str, language: str | None = None) -> str | None:
    """The language ``obj.<field>`` is shown in on a ``language`` page (None: in none)."""
    for code in fallback_order(language or current()):
        if getattr(obj, f"{field}_{code}", None):
            return code
    return None


def variants(obj: Model, field: str) -> dict[str, str]:
    """Every language the text is written in: ``{"ru": "…", "kk": "…"}``."""
    return {code: value for code in codes() if (value := getattr(obj, f"{field}_{code}", None))}


# What a learner is told when a text is shown in another language than the page's
# (page language, shown language): one sentence each, so that every language can put
# both names in the case its grammar needs.
QUESTION_NOT_TRANSLATED = {
    ("kk", "ru"): _("This question is not yet translated into Kazakh; shown in Russian."),
    ("kk", "en"): _("This question is not yet translated into Kazakh; shown in English."),
    ("ru", "kk"): _("This question is not yet translated into Russian; shown in Kazakh."),
    ("ru", "en"): _("This question is not yet translated into Russian; shown in English."),
    ("en", "ru"): _("This question is not yet translated into English; shown in Russian."),
    ("en", "kk"): _("This question is not yet translated into English; shown in Kazakh."),
}
QUIZ_NOT_TRANSLATED = {
    ("kk", "ru"): _("This test is not yet translated into Kazakh; shown in Russian."),
    ("kk", "en"): _("This test is not yet translated into Kazakh; shown in English."),
    ("ru", "kk"): _("This test is not yet translated into Russian; shown in Kazakh."),
    ("ru", "en"): _("This test is not yet translated into Russian; shown in English."),
    ("en", "ru"): _("This test is not yet translated into English; shown in Russian."),
    ("en", "kk"): _("This test is not yet translated into English; shown in Kazakh."),
}
REVIEW_IN = {
    "kk": _("The review shows the questions as you answered them, in Kazakh."),
    "ru": _("The review shows the questions as you answered them, in Russian."),
    "en": _("The review shows the questions as you answered them, in English."),
}


def fallback(obj: Model, field: str) -> str | None:
    """The language ``obj.<field>`` is shown in on this page when it is not the page's
    own (a translation is missing); None when it is the page's, or written in none."""
    page = current()
    shown = shown_language(obj, field, page)
    return shown if shown not in (None, page) else None
