"""Assignments: a course item a learner hands in as text and files, and a trainer marks.

``AssignmentPage`` sits in a module next to lessons and tests (a ``LearningItem``, so
progress and the completion rule count it). A learner's work is a ``Submission`` per
enrolment and assignment, keyed by the assignment's translation key like
``ItemCompletion``, so every language copy shares it. Each hand-in is a
``SubmissionVersion`` with its text and files, never overwritten; the trainer's
feedback (rubric levels, points, comment, an annotated file) is kept on the version.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from base.text import comment_html
from courses.models import CourseContentMixin, Enrolment, LearningItem

# The kinds of file a learner may hand in: key → (label, extensions).
FILE_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "pdf": ("PDF", (".pdf",)),
    "docx": ("Word (DOCX)", (".docx",)),
    "xlsx": ("Excel (XLSX)", (".xlsx",)),
    "jpg": ("JPEG", (".jpg", ".jpeg")),
    "png": ("PNG", (".png",)),
}


class RubricLevelBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("level"), max_length=200)
    description = blocks.TextBlock(label=_("what it looks like"), required=False)
    points = blocks.DecimalBlock(label=_("points"), min_value=0, max_digits=6, decimal_places=2)

    class Meta:
        icon = "tick"


class RubricCriterionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("criterion"), max_length=200)
    levels = blocks.ListBlock(RubricLevelBlock(), label=_("levels"), min_num=2)

    class Meta:
        icon = "list-ul"
        template = "assignments/blocks/rubric_criterion.html"


class AssignmentPage(CourseContentMixin, LearningItem, Page):
    """Work a learner hands in (a project plan, a budget table, photos of documents)."""

    item_kind = "assignment"
    has_own_dates = True

    class TextAnswer(models.TextChoices):
        NONE = "none", _("no text answer")
        OPTIONAL = "optional", _("text answer allowed")
        REQUIRED = "required", _("text answer required")

    class Marking(models.TextChoices):
        RUBRIC = "rubric", _("rubric")
        POINTS = "points", _("a mark out of N")

    instructions = RichTextField(
        _("instructions"), features=["h3", "bold", "italic", "ol", "ul", "link", "document-link"]
    )
    accept_pdf = models.BooleanField("PDF", default=True)
    accept_docx = models.BooleanField("Word (DOCX)", default=True)
    accept_xlsx = models.BooleanField("Excel (XLSX)", default=False)
    accept_jpg = models.BooleanField("JPEG", default=True)
    accept_png = models.BooleanField("PNG", default=True)
    max_file_mb = models.PositiveSmallIntegerField(
        _("largest file (MB)"), default=10, validators=[MinValueValidator(1)]
    )
    max_files = models.PositiveSmallIntegerField(
        _("most files"), default=3, help_text=_("0: a text answer only.")
    )
    text_answer = models.CharField(
        _("text answer"), max_length=10, choices=TextAnswer.choices, default=TextAnswer.OPTIONAL
    )
    marking = models.CharField(
        _("marking"), max_length=10, choices=Marking.choices, default=Marking.RUBRIC
    )
    rubric = StreamField(
        [("criterion", RubricCriterionBlock())],
        verbose_name=_("rubric"),
        blank=True,
        help_text=_("Criteria, each with levels and their points (marking by rubric)."),
    )
    max_points = models.DecimalField(
        _("mark out of"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("10"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("For a simple mark; a rubric's total is the sum of its best levels."),
    )
    pass_mark = models.DecimalField(
        _("pass mark (points)"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("instructions"),
        MultiFieldPanel(
            [
                FieldPanel("accept_pdf"),
                FieldPanel("accept_docx"),
                FieldPanel("accept_xlsx"),
                FieldPanel("accept_jpg"),
                FieldPanel("accept_png"),
                FieldPanel("max_file_mb"),
                FieldPanel("max_files"),
                FieldPanel("text_answer"),
            ],
            heading=_("What learners hand in"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("marking"),
                FieldPanel("rubric"),
                FieldPanel("max_points"),
                FieldPanel("pass_mark"),
            ],
            heading=_("Marking"),
        ),
        FieldPanel("required"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("instructions")]
    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def clean(self):
        super().clean()
        errors = {}
        if self.max_file_mb and self.max_file_mb > settings.ASSIGNMENT_MAX_FILE_MB:
            errors["max_file_mb"] = _("At most %(mb)s MB.") % {
                "mb": settings.ASSIGNMENT_MAX_FILE_MB
            }
        if self.max_files and not self.accepted_kinds:
            errors["accept_pdf"] = _("Choose at least one kind of file, or allow no files.")
        if self.max_files == 0 and self.text_answer == self.TextAnswer.NONE:
            errors["text_answer"] = _("Learners must be able to hand in text or files.")
        if self.marking == self.Marking.RUBRIC and not len(self.rubric):
            errors["rubric"] = _("Add the rubric's criteria, or mark out of N.")
        if self.pass_mark is not None and self.pass_mark > self.total_points:
            errors["pass_mark"] = _("The pass mark is more than the most points one can get.")
        if errors:
            raise ValidationError(errors)

    @property
    def accepted_kinds(self) -> list[str]:
        return [kind for kind in FILE_KINDS if getattr(self, f"accept_{kind}")]

    @property
    def accepted_extensions(self) -> list[str]:
        return [ext for kind in self.accepted_kinds for ext in FILE_KINDS[kind][1]]

    @property
    def max_file_bytes(self) -> int:
        return min(self.max_file_mb, settings.ASSIGNMENT_MAX_FILE_MB) * 1024 * 1024

    @property
    def criteria(self) -> list:
        """The rubric's criteria as stream children (each with a stable ``id``)."""
        return [child for child in self.rubric if child.block_type == "criterion"]

    @property
    def total_points(self) -> Decimal:
        """The most points one can get: the rubric's best levels, or the simple mark."""
        if self.marking == self.Marking.RUBRIC:
            return sum(
                (max((lv["points"] for lv in c.value["levels"]), default=Decimal(0)))
                for c in self.criteria
            ) or Decimal(0)
        return self.max_points or Decimal(0)

    def get_context(self, request, *args, **kwargs):
        from assignments import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.learner_view(page=self, enrolment=context.get("enrolment")))
        return context


class Submission(models.Model):
    """One learner's work on one assignment (every language copy of it)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned for revision")
        MARKED = "marked", _("marked")

    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("enrolment"),
    )
    assignment_key = models.UUIDField(_("assignment"), db_index=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    text = models.TextField(_("text"), blank=True, max_length=20_000)  # the draft's
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("last handed in"), null=True, blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "assignment_key"], name="one_submission_per_assignment"
            )
        ]
        permissions = [("mark_submission", _("Can mark assignments of their cohorts"))]

    def __str__(self) -> str:
        return f"{self.enrolment} · {self.assignment_key}"

    @property
    def editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)


class SubmissionVersion(models.Model):
    """One hand-in: its text and files as they were, and the trainer's feedback."""

    class Outcome(models.TextChoices):
        RETURNED = "returned", _("returned for revision")
        MARKED = "marked", _("marked")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("text"), blank=True)
    submitted_at = models.DateTimeField(_("handed in at"), default=timezone.now)
    late = models.BooleanField(_("after the due date"), default=False)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2, null=True, blank=True)
    max_points = models.DecimalField(
        _("out of"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    # [{"criterion": title, "level": label, "points": "3.00", "max": "4.00"}] as marked
    rubric_levels = models.JSONField(default=list, blank=True)
    comment = models.TextField(_("comment"), blank=True)  # plain text, cleaned with bleach
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("marked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("handed-in version")
        verbose_name_plural = _("handed-in versions")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "number"], name="one_version_number_per_submission"
            )
        ]

    @property
    def text_html(self) -> str:
        return mark_safe(comment_html(self.text))  # noqa: S308 - escaped, cleaned by bleach

    @property
    def comment_html(self) -> str:
        return mark_safe(comment_html(self.comment))  # noqa: S308 - escaped, cleaned by bleach

    @property
    def percent(self) -> Decimal | None:
        if self.points is None or not self.max_points:
            return None
        return (self.points * 100 / self.max_points).quantize(Decimal("0.01"))


def _file_path(instance, filename: str) -> str:
    # a random name: the learner's file name is kept in the row, never in a path
    from uuid import uuid4

    return f"assignments/{timezone.now():%Y/%m}/{uuid4().hex}"


class SubmissionFile(models.Model):
    """A file handed in (or, with ``feedback``, the trainer's annotated file back).

    Stored in the private default storage; served only by ``assignments.views.file``
    after its permission check. Without a version it belongs to the current draft.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    version = models.ForeignKey(
        SubmissionVersion,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="files",
    )
    feedback = models.BooleanField(_("trainer's file"), default=False)
    file = models.FileField(_("file"), upload_to=_file_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10)  # a FILE_KINDS key, read from the content
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("handed-in file")
        verbose_name_plural = _("handed-in files")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name
