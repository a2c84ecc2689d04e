"""The quiz texts that have a column per language (kk, ru, en) on the same row.

One row per question, choice and accepted answer whatever the language, so an attempt,
its grade and the item statistics have one identity (see README, "Quizzes in three
languages"). django-modeltranslation adds ``text_kk``, ``text_ru``, ``text_en`` next to
``text``; reading ``question.text`` gives the active language's text or the fallback of
``MODELTRANSLATION_FALLBACK_LANGUAGES``. Other code writes ``text_<lang>`` by name.
"""

from modeltranslation.translator import TranslationOptions, register

from quizzes.models import AcceptedAnswer, Category, Choice, Question, Quiz, Scale


class PerLanguage(TranslationOptions):
    # A text not written in a language is NULL, not "": the per-language copies of the
    # unique names (Category, Scale) must not collide on empty translations, and
    # "untranslated" reads the same everywhere.
    empty_values = None


@register(Question)
class QuestionTranslation(PerLanguage):
    fields = ("text", "feedback_correct", "feedback_incorrect", "explanation")


@register(Choice)
class ChoiceTranslation(PerLanguage):
    fields = ("text", "feedback")


@register(AcceptedAnswer)
class AcceptedAnswerTranslation(PerLanguage):
    fields = ("text", "feedback")


@register(Category)
class CategoryTranslation(PerLanguage):
    fields = ("name", "description")


@register(Scale)
class ScaleTranslation(PerLanguage):
    fields = ("name", "description")


@register(Quiz)
class QuizTranslation(PerLanguage):
    fields = ("title", "description", "success_text", "fail_text")
