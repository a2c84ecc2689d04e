"""Courses as Wagtail pages, and the learner records around them.

The page tree is ``CourseIndexPage`` → ``CoursePage`` → ``ModulePage`` →
``LessonPage`` / ``QuizPage``. Learner records (enrolments, completed items) point at
the course and items by their *translation key*, shared by every language copy of a
page, so a learner who switches from Russian to Kazakh keeps their progress.
"""

from __future__ import annotations

import secrets
from functools import cache

from django.apps import apps
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from base.page_cache import mark_cacheable
from courses.blocks import LessonStreamBlock
from courses.page_forms import CoursePageForm
from lms.page_generation import GenerationMemo, request_generation
from quizzes.selectors import shows_results_eventually

INVITE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L to misread


class CourseContentMixin:
    """Modules, lessons and tests: only for the course's learners, trainers and staff."""

    def serve(self, request, *args, **kwargs):
        """Only for the course's learners, trainers and staff.

        Anyone else gets a sign-in redirect (if anonymous) or 404, so that the existence
        of a lesson says nothing to those who may not open it.
        """
        from courses import selectors, services

        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        access = selectors.content_access(user=request.user, page=self, request=request)
        if access is None:
            raise Http404
        if access.enrolment:  # the cohort's dates hold for learners, never for previews
            access.release, access.dates = selectors.item_release(
                enrolment=access.enrolment, page=self, request=request
            )
        if access.enrolment and isinstance(self, learning_item_types()) and not access.locked:
            services.enrolment_visit(enrolment=access.enrolment, item_key=self.translation_key)
        request.learning_access = access
        return super().serve(request, *args, **kwargs)

    def get_sitemap_urls(self, request=None):
        return []  # never listed publicly


class CourseIndexPage(Page):
    """The catalogue of courses."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = (
            CoursePage.objects.child_of(self).live().public().select_related("cover_image")
        )
        return context

    def serve(self, request, *args, **kwargs):
        # The same for every anonymous visitor: kept in the page cache until a publish.
        response = super().serve(request, *args, **kwargs)
        return mark_cacheable(request, response, public=True)


class CoursePage(Page):
    """A course: its public overview, its trainers, and the rule for completing it."""

    code = models.CharField(_("code"), max_length=30, help_text=_("For example APA-AKIM-2021."))
    summary = models.TextField(_("summary"), max_length=1000)
    learning_outcomes = RichTextField(
        _("learning outcomes"), blank=True, features=["bold", "italic", "ol", "ul"]
    )
    audience = models.TextField(_("audience"), blank=True, max_length=1000)
    academic_hours = models.PositiveSmallIntegerField(_("academic hours"), default=0)
    languages_offered = models.JSONField(_("languages offered"), default=list, blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    trainers = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainers"),
        blank=True,
        related_name="courses_taught",
        limit_choices_to=Q(groups__name="Trainers") | Q(is_superuser=True),
    )
    requires_lessons = models.BooleanField(_("all required lessons must be done"), default=True)
    requires_module_tests = models.BooleanField(_("all module tests must be passed"), default=True)
    requires_final_exam = models.BooleanField(_("the final exam must be passed"), default=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("code"),
        FieldPanel("summary"),
        FieldPanel("learning_outcomes"),
        FieldPanel("audience"),
        FieldPanel("academic_hours"),
        FieldPanel("languages_offered"),
        FieldPanel("cover_image"),
        FieldPanel("trainers"),
        MultiFieldPanel(
            [
                FieldPanel("requires_lessons"),
                FieldPanel("requires_module_tests"),
                FieldPanel("requires_final_exam"),
            ],
            heading=_("Completion rule"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("learning_outcomes"),
        index.FilterField("code"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage"]
    # the explorer lists modules, and a module its lessons and tests, in course order
    admin_default_ordering = "ord"
    base_form_class = CoursePageForm

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def get_context(self, request, *args, **kwargs):
        from courses import selectors

        context = super().get_context(request, *args, **kwargs)
        # with the cohort's dates: modules not open yet are listed without links
        enrolment = selectors.enrolment_for(user=request.user, course=self, dates_for=self)
        summary = selectors.course_summary(course=self, enrolment=enrolment, request=request)
        context["modules"] = summary.modules
        context["enrolment"] = enrolment
        if enrolment:
            context["progress"] = summary
            dates = enrolment.dates
            for module in summary.modules:
                module.release = dates.release(module_key=module.page.translation_key)
            closed = selectors.closed_items(dates=dates, modules=summary.modules)
            context["continue_url"] = selectors.continue_urls(
                starts=[(enrolment, self, closed)], request=request, summaries=[summary]
            )[0]
        context["can_open"] = bool(enrolment) or selectors.can_view_course_content(
            user=request.user, course=self
        )
        context["module_lines"] = module_lines(
            request=request,
            modules=summary.modules,
            can_open=context["can_open"],
            with_progress=enrolment is not None,
        )
        if context["can_open"]:  # lesson titles are for those who may open the lessons
            by_module = {module.page.translation_key: module for module in summary.modules}
            for item in selectors.untranslated_items(course=self):
                by_module[item.module_key].untranslated.append(item)
        return context

    def serve(self, request, *args, **kwargs):
        """The overview; for anonymous visitors (no enrolment, no progress, nothing of
        theirs on it) kept in the page cache until a page is published, moved or
        deleted. Signed-in people always get it made for them."""
        response = super().serve(request, *args, **kwargs)
        return mark_cacheable(request, response, public=True)


# Each module's line in a course's outline (``courses/includes/module_line.html``), by
# everything it is drawn from, kept in the process while the page generation stands (its
# link and title follow the module's page). The key holds no learner: those with the
# same counts, percent and dates share a line.
_module_line_memo = GenerationMemo(size=4096)


def module_lines(*, request, modules, can_open: bool, with_progress: bool) -> list:
    """(module, its drawn line) for each of a course's ``modules`` (``ModuleSummary``)."""
    from django.template.loader import render_to_string
    from wagtail.models import Site

    def draw(module):
        return render_to_string(
            "courses/includes/module_line.html",
            {"module": module, "can_open": can_open, "progress": with_progress},
            request=request,
        )

    if getattr(request, "is_preview", False):  # a draft's title and place: drawn anew
        return [(module, draw(module)) for module in modules]
    generation = request_generation(request)
    site = Site.find_for_request(request)
    shared = (
        get_language(),
        timezone.get_current_timezone_name(),
        site.pk if site is not None else None,
        can_open,
        with_progress,
    )
    lines = []
    for module in modules:
        release = module.release
        key = (
            *shared,
            module.page.pk,
            module.item_count,
            module.percent if with_progress else None,
            module.new if with_progress else None,
            None
            if release is None
            else (release.locked, release.opens_at, release.due_at, release.overdue),
        )
        line = _module_line_memo.get(key, lambda module=module: draw(module), generation=generation)
        lines.append((module, line))
    return lines


class ModulePage(CourseContentMixin, Page):
    """One topic of a course (e.g. public procurement). Its order is its place in the tree."""

    summary = models.TextField(_("summary"), blank=True, max_length=1000)
    estimated_hours = models.DecimalField(
        _("estimated hours"), max_digits=4, decimal_places=1, default=0
    )

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("estimated_hours")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage", "courses.QuizPage", "assignments.AssignmentPage"]
    admin_default_ordering = "ord"

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def get_context(self, request, *args, **kwargs):
        from courses import selectors

        context = super().get_context(request, *args, **kwargs)
        access = selectors.learning_access(request=request, page=self)
        context["course"] = access.course
        items = selectors.module_items(module=self, enrolment=None, request=request)
        untranslated = selectors.untranslated_items(course=access.course, module=self)
        selectors.mark_done([*items, *untranslated], access.enrolment)  # in one query
        if access.dates is not None:
            for item in [*items, *untranslated]:
                item.release = access.dates.release(
                    module_key=self.translation_key, item_key=item.key
                )
        context["items"], context["untranslated"] = items, untranslated
        context["release"] = access.release
        return context


class LearningItem(models.Model):
    """Lessons, quiz pages and what other apps add (assignments): they count towards
    progress unless marked optional.

    Every concrete page type that inherits this is a learning item
    (``learning_item_types()``), whichever app defines it: courses never imports them.
    """

    # what progress lists call the item (``Item.kind``); QuizPage reads it from its field
    item_kind = "lesson"
    # may a cohort give it its own opening and due date (tests, assignments)
    has_own_dates = False

    required = models.BooleanField(
        _("required for completion"),
        default=True,
        help_text=_("Counts towards the learner's progress and the course's completion."),
    )

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        from courses import selectors

        context = super().get_context(request, *args, **kwargs)
        access = selectors.learning_access(request=request, page=self)
        context.update(selectors.lesson_context(lesson=self, access=access, request=request))
        return context


class LessonPage(CourseContentMixin, LearningItem, Page):
    """A lesson: reading, images, video with a text alternative, documents."""

    body = StreamField(LessonStreamBlock(), verbose_name=_("body"))
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=15)

    content_panels = [
        *Page.content_panels,
        FieldPanel("body"),
        FieldPanel("estimated_minutes"),
        FieldPanel("required"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def get_context(self, request, *args, **kwargs):
        from courses import selectors

        context = super().get_context(request, *args, **kwargs)
        context["body_html"] = lesson_body_html(request, self)
        context["panels"] = lesson_panels(request, self)
        context["weight"] = selectors.lesson_weight(
            self, cached=not getattr(request, "is_preview", False)
        )
        return context


# Lesson bodies as HTML, kept in the process until the page generation changes (a
# publish, or an image or document edited: cms.receivers); a few hundred at most.
_bodies = GenerationMemo(size=256)


def lesson_body_html(request, page: LessonPage) -> str:
    """The lesson's body rendered, once per revision and language while the page
    generation stands. A preview is rendered each time, as is a body with a video,
    whose provider, if it could not be reached, may answer next time."""

    def render() -> str:
        return page.body.render_as_block(context={"page": page, "request": request})

    # the stored blocks' types: no block of the body built to find them
    if getattr(request, "is_preview", False) or any(
        block["type"] == "video" for block in page.body.raw_data
    ):
        return render()
    key = (page.pk, page.live_revision_id, get_language())
    return _bodies.get(key, render, generation=request_generation(request))


def lesson_panels(request, page: LessonPage) -> list:
    """What other apps show under a lesson (its cohort's questions), each app adding its
    panels through the ``construct_lesson_panels`` hook: ``fn(request, page, panels)``
    appends components with an ``order``, as on the learner's dashboard."""
    panels: list = []
    for fn in hooks.get_hooks("construct_lesson_panels"):
        fn(request, page, panels)
    return sorted(panels, key=lambda panel: panel.order)


class QuizPage(CourseContentMixin, LearningItem, Page):
    """Where a module test or the final exam sits in a course.

    The quiz itself lives in the quizzes app; passing it marks this item done through
    ``courses.services.quiz_page_passed``.
    """

    has_own_dates = True

    class Kind(models.TextChoices):
        MODULE_TEST = "module_test", _("module test")
        FINAL_EXAM = "final_exam", _("final exam")

    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.MODULE_TEST
    )
    quiz = models.ForeignKey(
        "quizzes.Quiz",
        verbose_name=_("quiz"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pages",
    )
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "ol", "ul"])

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("quiz"),
        FieldPanel("intro"),
        FieldPanel("required"),
    ]
    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("quiz page")
        verbose_name_plural = _("quiz pages")

    def clean(self):
        super().clean()
        if self.required and self.quiz_id and not shows_results_eventually(self.quiz):
            raise ValidationError(
                {
                    "quiz": _(
                        "Learners would never see whether they passed this quiz, so it "
                        "cannot count towards completion. Let its review show the marks "
                        "(at once, or after a closing date), or make this test optional."
                    )
                }
            )
        if self.kind == self.Kind.FINAL_EXAM and self.quiz_id and self.quiz.allow_offline_attempts:
            raise ValidationError(
                {
                    "quiz": _(
                        "A final exam is taken online: choose a quiz that does not allow "
                        "answering offline, or make this page a module test."
                    )
                }
            )


@cache
def learning_item_types() -> tuple[type[Page], ...]:
    """What counts as a learning item: the page types a module's progress is made of,
    in any app (the concrete subclasses of ``LearningItem``, read once the apps are
    loaded). Each has the ``required`` field of ``LearningItem``."""
    return tuple(
        model
        for model in apps.get_models()
        if issubclass(model, LearningItem) and issubclass(model, Page)
    )


def translated_page_types() -> tuple[type[Page], ...]:
    """The pages of a course that are offered to the other languages as translation
    drafts."""
    return (CoursePage, ModulePage, *learning_item_types())


def dated_item_types() -> tuple[type[Page], ...]:
    """The learning items a cohort may give their own opening and due dates."""
    return tuple(item for item in learning_item_types() if item.has_own_dates)


def learning_item_q(*, types=None, **fields) -> Q:
    """Pages that are learning items (of ``types``, all by default), optionally with
    ``fields`` on the item's own row (``learning_item_q(required=True)``: the items that
    count towards progress)."""
    rule = Q()
    for item_type in types or learning_item_types():
        relation = item_type._meta.model_name
        lookups = {f"{relation}__{name}": value for name, value in fields.items()}
        rule |= Q(**(lookups or {f"{relation}__isnull": False}))
    return rule


def learning_item_field(name: str) -> Coalesce:
    """A field every learning item type has (``required``), read for a page of any type."""
    return Coalesce(*(F(f"{item._meta.model_name}__{name}") for item in learning_item_types()))


def learning_item_kind() -> Coalesce:
    """The item's kind for a page of any type: a quiz page's own kind ("module_test",
    "final_exam"), else its type's ``item_kind`` ("lesson", "assignment")."""
    others = [
        When(**{f"{item._meta.model_name}__isnull": False}, then=Value(item.item_kind))
        for item in learning_item_types()
        if item is not QuizPage and item is not LessonPage
    ]
    by_type = Case(*others, default=Value("lesson")) if others else Value("lesson")
    return Coalesce(F("quizpage__kind"), by_type)


class OnePerCourse:
    """For a model with a ``course`` (one language copy) and a ``course_key``: one row
    per course whichever copy it was made on; ``course_key`` follows ``course``."""

    one_per_course_message: str  # each model says what the course already has

    def clean(self) -> None:
        super().clean()
        if self.course_id is None:
            return
        others = type(self).objects.filter(course_key=self.course.translation_key)
        if others.exclude(pk=self.pk).exists():
            raise ValidationError({"course": self.one_per_course_message})

    def save(self, *args, **kwargs):
        self.course_key = self.course.translation_key
        super().save(*args, **kwargs)


def new_invite_code() -> str:
    return "".join(secrets.choice(INVITE_ALPHABET) for _ in range(8))


class Cohort(models.Model):
    """A group of learners who take a course together, with the trainers who run it."""

    course = models.ForeignKey(
        CoursePage, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("course")
    )
    name = models.CharField(_("name in Russian"), max_length=200)
    name_kk = models.CharField(_("name in Kazakh"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    branch = models.CharField(_("branch or location"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainers"),
        blank=True,
        related_name="cohorts_taught",
    )
    invite_code = models.CharField(
        _("invite code"),
        max_length=12,
        unique=True,
        default=new_invite_code,
        help_text=_("Learners who are signed in can join the cohort with this code."),
    )
    invite_open = models.BooleanField(_("joining by code is open"), default=True)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-starts_on", "name"]
        permissions = [("view_all_cohorts", _("Can see every cohort and its progress"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="cohort_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.local_name

    def name_in(self, language: str) -> str:
        """The name in ``language``, else the first one given (Kazakh, Russian, English)."""
        names = {"kk": self.name_kk, "ru": self.name, "en": self.name_en}
        return names.get(language[:2]) or next(name for name in names.values() if name)

    @property
    def local_name(self) -> str:
        """The name in the active language (the learner's, on their pages)."""
        return self.name_in(get_language() or settings.LANGUAGE_CODE)

    @property
    def has_ended(self) -> bool:
        """Past its last day, in the site's time zone."""
        return self.ends_on < timezone.localdate()


class Enrolment(models.Model):
    """A learner's place in a cohort, and so in its course. One per learner and course."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        COMPLETED = "completed", _("completed")
        WITHDRAWN = "withdrawn", _("withdrawn")

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("learner"),
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("cohort")
    )
    # The course's translation key: the same for every language copy of the course.
    course_key = models.UUIDField(_("course"), db_index=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    last_item_key = models.UUIDField(_("last item opened"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "course_key"], name="one_enrolment_per_learner_and_course"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner} · {self.cohort}"


class ItemCompletion(models.Model):
    """A lesson marked done, or a module test or final exam passed, by one enrolment."""

    class Source(models.TextChoices):
        LEARNER = "learner", _("marked done by the learner")
        QUIZ = "quiz", _("quiz passed")
        ASSIGNMENT = "assignment", _("assignment marked as passed")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="completions")
    item_key = models.UUIDField(_("item"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    completed_at = models.DateTimeField(_("completed at"), default=timezone.now)
    # Stored when the work is done, so a due date moved later does not rewrite history.
    late = models.BooleanField(_("done after the due date"), default=False)

    class Meta:
        verbose_name = _("completed item")
        verbose_name_plural = _("completed items")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "item_key"], name="one_completion_per_item"
            )
        ]


class CohortItemDates(models.Model):
    """When a module or test opens for a cohort, and when it is due.

    The item is named by its page's translation key, so every language copy of it
    shares the dates. A date left empty says nothing: a module without an opening date
    opens with the cohort, a test without one with its module; an item without a due
    date is due when its module is, or when the cohort ends.
    """

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="item_dates", verbose_name=_("cohort")
    )
    item_key = models.UUIDField(_("module or test"))
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    # grows when a date changes, so calendars replace the deadline they hold
    sequence = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("release and due dates")
        verbose_name_plural = _("release and due dates")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "item_key"], name="one_dates_per_item"),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(due_at__isnull=True)
                | Q(due_at__gt=F("opens_at")),
                name="item_due_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cohort_id} · {self.item_key}"


class Announcement(models.Model):
    """A trainer's message to a cohort, or to some of its learners (those falling
    behind, say): it reaches each learner's inbox and the channels chosen."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="announcements", verbose_name=_("cohort")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    subject = models.CharField(_("subject line"), max_length=150)
    body = models.TextField(_("message"), max_length=5000)  # plain text, cleaned with bleach
    # The external channels chosen (the inbox always gets it); keys of notification channels.
    channels = models.JSONField(_("channels"), default=list, blank=True)
    to_whole_cohort = models.BooleanField(_("to the whole cohort"), default=True)
    recipients_count = models.PositiveIntegerField(_("recipients"), default=0)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subject
