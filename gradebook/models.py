"""The gradebook's own records: a course's grading scheme (weights by kind of item,
bands), and the trainers' overrides of single grades with their history.

Graded items themselves belong to the apps that grade them (tests, attendance,
assignments); the gradebook reads them through its sources (``gradebook.sources``) and
names each by a key such as ``test:<translation key>`` or ``attendance``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from courses.models import CoursePage, Enrolment, OnePerCourse

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class ItemKind(models.TextChoices):
    """The kinds of graded items a weight may be set for."""

    MODULE_TEST = "module_test", _("module test")
    FINAL_EXAM = "final_exam", _("final exam")
    ASSIGNMENT = "assignment", _("assignment")
    ATTENDANCE = "attendance", _("attendance")


class CourseGradingScheme(OnePerCourse, ClusterableModel):
    """How a course's total is made: a weight per kind of item and the bands the total
    falls into. One per course, shared by its language copies (``course_key``)."""

    course = models.OneToOneField(
        CoursePage, on_delete=models.PROTECT, related_name="+", verbose_name=_("course")
    )
    course_key = models.UUIDField(_("course"), unique=True, editable=False)

    one_per_course_message = _("This course (in one of its languages) already has a scheme.")

    class Meta:
        verbose_name = _("grading scheme")
        verbose_name_plural = _("grading schemes")

    def __str__(self) -> str:
        return str(self.course)


class GradingWeight(Orderable):
    """Each item of ``kind`` counts ``weight`` times in the total (a kind not listed: 1)."""

    scheme = ParentalKey(CourseGradingScheme, on_delete=models.CASCADE, related_name="weights")
    kind = models.CharField(_("kind of item"), max_length=20, choices=ItemKind.choices)
    weight = models.DecimalField(
        _("weight of each item"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("weight")
        verbose_name_plural = _("weights")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "kind"], name="one_weight_per_kind")
        ]


class GradingBand(Orderable):
    """A band of the total, from ``lower_bound`` up to the next band's bound."""

    scheme = ParentalKey(CourseGradingScheme, on_delete=models.CASCADE, related_name="bands")
    label = models.CharField(_("band"), max_length=30, help_text=_("For example A, B or Pass."))
    lower_bound = models.DecimalField(
        _("from, %"), max_digits=5, decimal_places=2, validators=PERCENT
    )

    class Meta(Orderable.Meta):
        verbose_name = _("band")
        verbose_name_plural = _("bands")


class GradeOverride(models.Model):
    """A trainer's grade for one learner's item, in place of the one its source gives."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="+", verbose_name=_("enrolment")
    )
    item_key = models.CharField(_("item"), max_length=80)
    grade = models.DecimalField(_("grade, %"), max_digits=5, decimal_places=2, validators=PERCENT)
    reason = models.CharField(_("reason"), max_length=500)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(_("set at"), default=timezone.now)

    class Meta:
        verbose_name = _("grade override")
        verbose_name_plural = _("grade overrides")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "item_key"], name="one_override_per_learner_and_item"
            )
        ]


class GradeChange(models.Model):
    """The history of a cell: each override set or removed, by whom, when and why."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="+", verbose_name=_("enrolment")
    )
    item_key = models.CharField(_("item"), max_length=80)
    old_grade = models.DecimalField(
        _("old grade, %"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    # None: the override was removed and the source's grade counts again.
    new_grade = models.DecimalField(
        _("new grade, %"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    reason = models.CharField(_("reason"), max_length=500)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("grade change")
        verbose_name_plural = _("grade changes")
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["enrolment", "item_key"])]
