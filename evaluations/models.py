"""The end-of-course survey: one per course (all its language copies), its items, and
the anonymous responses.

Anonymity is in the tables themselves: a ``Response`` names the cohort, the cohort's
trainers when it was given, the language and the day, never the learner. Whether a
learner was asked and has answered is a ``SurveyInvitation`` of their enrolment, made
when they completed the course (so its order is the order of completions, not of
answers), with no link to the response, no time of answering and no shared key.
Responses have random (UUID) keys, and are only ever shown aggregated.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from courses.models import Cohort, CoursePage, Enrolment, OnePerCourse

LIKERT_SCORES = (1, 2, 3, 4, 5)
# Fewer answers than this in a group (a cohort, a trainer) and nothing of it is shown.
MIN_RESPONSES = 5
FALLBACK_LANGUAGES = ("ru", "kk", "en")


def in_language(obj, field: str, language: str | None = None) -> str:
    """``obj.<field>_<language>``, else the first one given (Russian, Kazakh, English)."""
    language = (language or get_language() or settings.LANGUAGE_CODE)[:2]
    first = getattr(obj, f"{field}_{language}", "")
    if first:
        return first
    return next(
        (value for code in FALLBACK_LANGUAGES if (value := getattr(obj, f"{field}_{code}", ""))),
        "",
    )


class Survey(OnePerCourse, ClusterableModel):
    """A course's evaluation survey, designed once by a methodologist and shared by the
    course's language copies (``course_key`` is the course's translation key)."""

    course = models.OneToOneField(
        CoursePage,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("course"),
    )
    course_key = models.UUIDField(_("course"), unique=True, editable=False)
    intro_ru = models.TextField(_("introduction in Russian"), blank=True, max_length=1000)
    intro_kk = models.TextField(_("introduction in Kazakh"), blank=True, max_length=1000)
    intro_en = models.TextField(_("introduction in English"), blank=True, max_length=1000)
    is_open = models.BooleanField(
        _("learners are asked"),
        default=True,
        help_text=_("Learners who complete the course are asked to answer."),
    )

    one_per_course_message = _("This course (in one of its languages) already has a survey.")

    class Meta:
        verbose_name = _("course survey")
        verbose_name_plural = _("course surveys")

    def __str__(self) -> str:
        return str(self.course)

    @property
    def intro(self) -> str:
        return in_language(self, "intro")


class SurveyItem(Orderable):
    """A question of the survey: a 1–5 scale with labelled ends, or a free text."""

    class Kind(models.TextChoices):
        LIKERT = "likert", _("scale from 1 to 5")
        TEXT = "text", _("free text")

    survey = ParentalKey(Survey, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.LIKERT)
    text_ru = models.CharField(_("question in Russian"), max_length=500)
    text_kk = models.CharField(_("question in Kazakh"), max_length=500, blank=True)
    text_en = models.CharField(_("question in English"), max_length=500, blank=True)
    low_label_ru = models.CharField(_("label of 1 in Russian"), max_length=100, blank=True)
    low_label_kk = models.CharField(_("label of 1 in Kazakh"), max_length=100, blank=True)
    low_label_en = models.CharField(_("label of 1 in English"), max_length=100, blank=True)
    high_label_ru = models.CharField(_("label of 5 in Russian"), max_length=100, blank=True)
    high_label_kk = models.CharField(_("label of 5 in Kazakh"), max_length=100, blank=True)
    high_label_en = models.CharField(_("label of 5 in English"), max_length=100, blank=True)
    required = models.BooleanField(_("an answer is required"), default=True)

    class Meta:
        verbose_name = _("survey item")
        verbose_name_plural = _("survey items")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def is_likert(self) -> bool:
        return self.kind == self.Kind.LIKERT

    @property
    def text(self) -> str:
        return in_language(self, "text")

    @property
    def low_label(self) -> str:
        return in_language(self, "low_label")

    @property
    def high_label(self) -> str:
        return in_language(self, "high_label")


class SurveyInvitation(models.Model):
    """A learner was asked (on completing the course) and whether they have answered:
    once per enrolment. Deliberately without a link to the response or a time."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="+", verbose_name=_("enrolment")
    )
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("survey")
    )
    answered = models.BooleanField(_("answered"), default=False)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")


class Response(models.Model):
    """One anonymous set of answers: the cohort, its trainers then, the language and the
    day, never who gave it. The random key keeps responses from being put in the order
    they came in."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(
        Survey, on_delete=models.PROTECT, related_name="responses", verbose_name=_("survey")
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="+", verbose_name=_("cohort")
    )
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True, verbose_name=_("trainers")
    )
    language = models.CharField(_("language"), max_length=8)
    submitted_on = models.DateField(_("submitted on"))

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")


class Answer(models.Model):
    """The answer to one item: a score for a scale, a cleaned text for a free text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(SurveyItem, on_delete=models.CASCADE, related_name="answers")
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField(blank=True, max_length=2000)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="one_answer_per_item"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="answer_score_1_to_5",
            ),
        ]
