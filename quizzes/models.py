"""The quiz engine: question banks, questions, quizzes, attempts and answers.

Independent of Wagtail pages: a course hosts a quiz through a page of its own and
listens to ``quizzes.signals.attempt_released``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel


class Category(models.Model):
    """A folder of the question bank; categories nest (e.g. Budget › Revenues)."""

    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unique_category_name")
        ]

    def __str__(self) -> str:
        return f"{self.parent} › {self.name}" if self.parent_id else self.name

    def descendant_ids(self) -> list[int]:
        """This category and every category below it (one query per level)."""
        ids, level = [self.pk], [self.pk]
        while level:
            level = list(Category.objects.filter(parent__in=level).values_list("pk", flat=True))
            ids.extend(level)
        return ids


class Question(ClusterableModel):
    class Type(models.TextChoices):
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple response")
        TRUE_FALSE = "true_false", _("true or false")
        SHORT = "short", _("short answer")
        NUMERIC = "numeric", _("numeric")
        ESSAY = "essay", _("essay")
        RATING = "rating", _("self-assessment statements")

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="questions"
    )
    type = models.CharField(_("type"), max_length=12, choices=Type.choices)
    name = models.CharField(
        _("name"), max_length=255, help_text=_("A short title for finding it in the bank.")
    )
    text = models.TextField(_("question text"), help_text=_("HTML allowed."))
    default_mark = models.DecimalField(
        _("default mark"), max_digits=6, decimal_places=2, default=Decimal("1")
    )
    feedback_correct = models.TextField(_("feedback for a right answer"), blank=True)
    feedback_incorrect = models.TextField(_("feedback for a wrong answer"), blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    shuffle_choices = models.BooleanField(_("shuffle the choices"), default=True)
    correct_bool = models.BooleanField(
        _("the statement is true"), null=True, blank=True, help_text=_("For true/false.")
    )
    rating_max = models.PositiveSmallIntegerField(
        _("highest rating"),
        default=0,
        help_text=_("Self-assessment: rate each statement 0…N; 0 to share out points instead."),
    )
    rating_points = models.PositiveSmallIntegerField(_("points to share out"), default=10)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["category__name", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_manually_graded(self) -> bool:
        return self.type == self.Type.ESSAY

    @property
    def has_choices(self) -> bool:
        return self.type in {self.Type.SINGLE, self.Type.MULTIPLE, self.Type.RATING}


class Scale(models.Model):
    """A named scale a self-assessment scores into (e.g. a team role: "Coordinator")."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("scale")
        verbose_name_plural = _("scales")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Choice(models.Model):
    """An option of a choice question, or a statement of a self-assessment."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.TextField(_("text"))
    fraction = models.DecimalField(
        _("share of the mark"),
        max_digits=6,
        decimal_places=5,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("-1")), MaxValueValidator(Decimal("1"))],
        help_text=_("1 for a right answer, 0 for a wrong one; parts and negatives allowed."),
    )
    feedback = models.TextField(_("feedback"), blank=True)
    scale = models.ForeignKey(
        Scale, verbose_name=_("scale"), null=True, blank=True, on_delete=models.PROTECT
    )
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class AcceptedAnswer(models.Model):
    """An answer a short-answer or numeric question accepts.

    Short answers match without regard to case and spacing, ``*`` standing for any
    characters; numeric answers match within ``tolerance``.
    """

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="accepted_answers")
    text = models.CharField(_("answer"), max_length=255)
    tolerance = models.DecimalField(
        _("tolerance"), max_digits=20, decimal_places=6, default=Decimal("0")
    )
    fraction = models.DecimalField(
        _("share of the mark"), max_digits=6, decimal_places=5, default=Decimal("1")
    )
    feedback = models.TextField(_("feedback"), blank=True)

    class Meta:
        verbose_name = _("accepted answer")
        verbose_name_plural = _("accepted answers")

    def __str__(self) -> str:
        return self.text


class QuestionImport(models.Model):
    """One question file uploaded in the admin: checked, then imported, in the background.

    The upload is kept here (not among the media files, which the web server may serve)
    until the run is over. The check task reads it and writes the preview report; once
    the person who uploaded it confirms, the import task reads it again and imports
    every question in one transaction. Each task moves the run on from one state only,
    so a task delivered twice does its work once (see ``quizzes.imports``).
    """

    class State(models.TextChoices):
        WAITING = "waiting", _("waiting to be checked")
        CHECKING = "checking", _("checking the file")
        CHECKED = "checked", _("checked, waiting for your confirmation")
        CONFIRMED = "confirmed", _("waiting to import")
        IMPORTING = "importing", _("importing")
        FINISHED = "finished", _("imported")
        FAILED = "failed", _("not imported")

    class Format(models.TextChoices):
        GIFT = "gift", "GIFT"
        MOODLE_XML = "moodle-xml", "Moodle XML"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    file_name = models.CharField(_("file name"), max_length=255)
    format = models.CharField(_("format"), max_length=12, choices=Format.choices)
    category_path = models.CharField(_("import into category"), max_length=500)
    # The uploaded file; emptied once the run is over.
    data = models.BinaryField(_("file"), default=bytes)
    # The language of the person who uploaded it: the tasks write problems in it.
    language = models.CharField(max_length=12, blank=True)
    # The language the file is written in (its plain texts; multi-language markup names
    # its own), and whether it translates questions already in the bank.
    content_language = models.CharField(
        _("language of the file"), max_length=12, choices=settings.LANGUAGES, default="ru"
    )
    as_translation = models.BooleanField(_("translations of existing questions"), default=False)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.WAITING
    )
    questions_found = models.PositiveIntegerField(_("questions found"), default=0)
    questions_imported = models.PositiveIntegerField(_("questions imported"), default=0)
    questions_skipped = models.PositiveIntegerField(_("questions skipped"), default=0)
    # [{"position", "qtype", "reason", "fatal"}]: what stops the import (fatal), or the
    # questions skipped for a type we do not support.
    problems = models.JSONField(_("problems"), default=list, blank=True)
    # {"categories": [{"path", "questions", "new"}], "categories_created": n}
    report = models.JSONField(_("preview"), default=dict, blank=True)
    root_category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    started_at = models.DateTimeField(_("import started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    # The attempt at a task that moved the run on ("<task id>/<attempt>"): when its
    # worker dies mid-check or mid-import, the task's next attempt takes the run over.
    claimed_by = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("question import")
        verbose_name_plural = _("question imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def in_progress(self) -> bool:
        return self.state in (
            self.State.WAITING,
            self.State.CHECKING,
            self.State.CONFIRMED,
            self.State.IMPORTING,
        )


class Quiz(ClusterableModel):
    class Grading(models.TextChoices):
        HIGHEST = "highest", _("highest attempt")
        LAST = "last", _("last attempt")
        FIRST = "first", _("first attempt")
        AVERAGE = "average", _("average of attempts")

    class ReviewWhen(models.TextChoices):
        AFTER_EACH = "after_each", _("after each question")
        IMMEDIATELY = "immediately", _("when the attempt is finished")
        AFTER_CLOSE = "after_close", _("after the quiz closes")
        NEVER = "never", _("never")

    class Kind(models.TextChoices):
        GRADED = "graded", _("graded quiz")
        SELF_ASSESSMENT = "self_assessment", _("self-assessment (no right answers)")

    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GRADED)
    published = models.BooleanField(
        _("published"), default=False, help_text=_("Draft quizzes are hidden from learners.")
    )
    pass_mark = models.DecimalField(
        _("pass mark, %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("60"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    success_text = models.TextField(_("message on pass"), blank=True)
    fail_text = models.TextField(_("message on fail"), blank=True)
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=0, help_text=_("0 for unlimited.")
    )
    grading = models.CharField(
        _("grading method"), max_length=10, choices=Grading.choices, default=Grading.HIGHEST
    )
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit, minutes"), null=True, blank=True
    )
    shuffle_questions = models.BooleanField(_("shuffle the questions"), default=False)
    max_questions = models.PositiveSmallIntegerField(
        _("questions drawn per attempt"),
        null=True,
        blank=True,
        help_text=_("Leave empty to ask every question."),
    )
    review_when = models.CharField(
        _("learners see the review"),
        max_length=12,
        choices=ReviewWhen.choices,
        default=ReviewWhen.IMMEDIATELY,
    )
    review_answers = models.BooleanField(_("review shows their answers"), default=True)
    review_correct = models.BooleanField(_("review shows the right answers"), default=True)
    review_marks = models.BooleanField(_("review shows the marks"), default=True)
    review_feedback = models.BooleanField(_("review shows feedback and explanations"), default=True)
    exam_paper = models.BooleanField(
        _("every attempt counts towards the grade"),
        default=True,
        help_text=_(
            "Off: only the latest finished attempt counts. Every attempt is kept either "
            "way, and each one started counts against the attempts allowed."
        ),
    )

    allow_offline_attempts = models.BooleanField(
        _("allow answering offline"),
        default=False,
        help_text=_(
            "Learners start an attempt online, then may answer every question on one "
            "page with no signal; the answers are sent when the signal returns. Not for "
            "timed quizzes, final exams or quizzes that check each answer."
        ),
    )

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        ordering = ["title"]
        permissions = [("view_all_results", _("Can see every learner's results"))]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.allow_offline_attempts:
            # A time limit is kept by the server's clock: answers given offline would
            # arrive after it. Checking each answer needs the key, which never leaves
            # the server before review.
            if self.time_limit_minutes:
                raise ValidationError(
                    {
                        "allow_offline_attempts": _(
                            "A quiz with a time limit cannot be answered offline."
                        )
                    },
                    code="offline_timed",
                )
            if self.review_when == self.ReviewWhen.AFTER_EACH:
                raise ValidationError(
                    {
                        "allow_offline_attempts": _(
                            "A quiz that checks each answer needs a connection: it cannot "
                            "be answered offline."
                        )
                    },
                    code="offline_checked",
                )

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (self.opens_at is None or self.opens_at <= now) and (
            self.closes_at is None or now < self.closes_at
        )


class QuizSlot(models.Model):
    """One place in a quiz: a fixed question, or N random questions from a category."""

    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="slots")
    sort_order = models.PositiveIntegerField(default=0)
    question = models.ForeignKey(
        Question, verbose_name=_("question"), null=True, blank=True, on_delete=models.PROTECT
    )
    random_category = models.ForeignKey(
        Category,
        verbose_name=_("random questions from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    random_count = models.PositiveSmallIntegerField(_("how many"), default=1)
    include_subcategories = models.BooleanField(_("include subcategories"), default=True)
    mark = models.DecimalField(
        _("mark"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leave empty for the question's default mark."),
    )

    class Meta:
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(question__isnull=False, random_category__isnull=True)
                | Q(question__isnull=True, random_category__isnull=False),
                name="slot_is_fixed_or_random",
            )
        ]


class Attempt(models.Model):
    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("in progress")
        FINISHED = "finished", _("finished")

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    number = models.PositiveSmallIntegerField(_("attempt number"))
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The questions drawn, in the order shown, and each question's choice order:
    # fixed at the start so that reloading shows the same attempt.
    layout = models.JSONField(_("layout"), default=list)
    current_position = models.PositiveSmallIntegerField(default=0)
    score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0"))
    percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True)
    needs_marking = models.BooleanField(default=False)
    # When the learner could first see the outcome and the hosting app was told
    # (quizzes.signals.attempt_released); empty while the quiz still hides it.
    released_at = models.DateTimeField(_("result released at"), null=True, blank=True)
    # The page's language when the attempt was started (kk, ru, en).
    language = models.CharField(_("language"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "user", "number"], name="unique_attempt_number"
            ),
            # At most one attempt in progress per learner and quiz.
            models.UniqueConstraint(
                fields=["quiz", "user"],
                condition=Q(state="in_progress"),
                name="one_open_attempt",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "deadline"]),
            models.Index(
                fields=["quiz"],
                condition=Q(state="finished", released_at__isnull=True),
                name="attempt_awaiting_release",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quiz} · {self.user} · #{self.number}"

    @property
    def question_ids(self) -> list[int]:
        return [entry["question"] for entry in self.layout]


class Answer(models.Model):
    """A learner's answer to one question of an attempt, saved as given."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    response = models.JSONField(_("response"), default=dict)
    saved_at = models.DateTimeField(_("saved at"), default=timezone.now)
    mark = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    max_mark = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal("0"))
    fraction = models.DecimalField(max_digits=6, decimal_places=5, null=True, blank=True)
    comment = models.TextField(_("marker's comment"), blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(null=True, blank=True)
    # Set when the learner checked the answer and saw the right one ("feedback after
    # each question"): from then on it cannot change.
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    # The language the question was shown in when it was answered: the page's, or the
    # one its text fell back to. Item statistics are worked out per language from it.
    language = models.CharField(_("language"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="one_answer_per_question")
        ]


class SyncedAnswer(models.Model):
    """One answer as a device sent it after answering offline: the sync's history.

    A device numbers the revisions of each question's answer 1, 2, …; each revision is
    applied once (``unique_synced_revision``), so a batch sent again after a lost reply
    changes nothing, and a revision older than one already received from that device
    is ignored. Between devices the server's rule holds: the last one received wins.
    """

    class Outcome(models.TextChoices):
        APPLIED = "applied", _("saved")
        REFUSED = "refused", _("not accepted: the attempt was over")
        INVALID = "invalid", _("not accepted: the answer could not be taken")
        LOCKED = "locked", _("not accepted: the answer was checked")

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="synced_answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    # A random name the browser gives itself, kept with its waiting answers.
    device = models.CharField(_("device"), max_length=64)
    revision = models.PositiveIntegerField(_("revision"))
    response = models.JSONField(_("response"), default=dict)
    answered_at_client = models.DateTimeField(_("answered at (device clock)"), null=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    # The answer this one replaced had been given elsewhere after this device last saw it.
    replaced_other = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("answer sent after answering offline")
        verbose_name_plural = _("answers sent after answering offline")
        ordering = ["received_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question", "device", "revision"],
                name="unique_synced_revision",
            )
        ]
