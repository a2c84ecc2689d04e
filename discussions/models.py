"""A cohort's questions and answers under a lesson.

A thread belongs to one cohort and one lesson, the lesson named by its translation key
(as ``courses.ItemCompletion`` names it), so the Kazakh, Russian and English copies of a
lesson share the cohort's one thread.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from base.text import comment_html

TITLE_MAX = 200
BODY_MAX = 5000


class Status(models.TextChoices):
    VISIBLE = "visible", _("visible")
    PENDING = "pending", _("awaiting approval")
    HIDDEN = "hidden", _("hidden")


class Post(models.Model):
    """What a question and an answer share: who wrote what, when, and whether it shows."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("author"),
    )
    # Plain text, cleaned with bleach. A TextField's max_length binds only forms: the
    # validator holds it for services too.
    body = models.TextField(_("text"), validators=[MaxLengthValidator(BODY_MAX)])
    body_html = models.TextField(editable=False)  # ``body`` escaped, links nofollow ugc
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.VISIBLE
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    # The site language the post was written in (one of LANGUAGES), so pages in
    # another language mark it with ``lang`` for screen readers, spelling and
    # hyphenation; empty for posts written before it was kept.
    language = models.CharField(_("language"), max_length=8, blank=True, default="")
    # The form's one-time key: a second submit of the same form finds the first post.
    submit_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Rendered once here, not on every view of the thread.
        self.body_html = comment_html(self.body)
        super().save(*args, **kwargs)


class Question(Post):
    cohort = models.ForeignKey(
        "courses.Cohort",
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("cohort"),
    )
    # The lesson's translation key: the same for every language copy of the lesson.
    item_key = models.UUIDField(_("lesson"))
    title = models.CharField(_("question"), max_length=TITLE_MAX)
    body = models.TextField(_("details"), validators=[MaxLengthValidator(BODY_MAX)], blank=True)
    accepted_answer = models.ForeignKey(
        "Answer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("the answer"),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["cohort", "item_key", "created_at"])]

    def __str__(self) -> str:
        return self.title


class Answer(Post):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    # Whether a trainer of the cohort wrote it, fixed when written: "unanswered" means
    # no trainer's answer, and asking that of every question must not join the trainers.
    by_trainer = models.BooleanField(_("by a trainer"), default=False)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]


class CourseQuestionRule(models.Model):
    """Whether a course's questions and answers wait for a trainer's approval.

    Kept here rather than on the course page, so the courses app needs nothing of the
    discussions. No rule: posts show at once.
    """

    course = models.OneToOneField(
        "courses.CoursePage",
        on_delete=models.CASCADE,
        related_name="question_rule",
        verbose_name=_("course"),
    )
    premoderation = models.BooleanField(
        _("questions and answers wait for a trainer's approval"),
        default=True,
        help_text=_("Learners' posts show to the cohort once a trainer approves them."),
    )

    class Meta:
        verbose_name = _("Q&A moderation rule")
        verbose_name_plural = _("Q&A moderation rules")

    def __str__(self) -> str:
        return self.course.title
