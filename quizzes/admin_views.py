"""Wagtail admin views of the quiz engine: a learner's preview of a quiz, item
statistics, the results of every learner with their export, essay marking, and
question imports (upload, then a page that follows the background check and import).

The rules stay in ``quizzes.services``; these views read, filter and call them.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from base.exports import csv_response, xlsx_response
from lms.progress import Progress
from quizzes import imports, selectors, services, statistics
from quizzes.forms import EssayMarkForm, QuestionImportForm, ResultsFilterForm
from quizzes.interchange import ParseProblem
from quizzes.models import Answer, Attempt, Category, Question, QuestionImport, Quiz

RESULTS_PER_PAGE = 50
ESSAY_QUEUE_LENGTH = 100


# Preview --------------------------------------------------------------------------


@dataclass
class PreviewItem:
    question: Question
    mark: Decimal
    choices: list = field(default_factory=list)
    drawn_from: Category | None = None


def preview_items(quiz: Quiz, rng: random.Random) -> list[PreviewItem]:
    """The quiz as one learner might get it: fixed questions, and a fresh sample for
    each random slot. Nothing is saved: no attempt is started."""
    picked = [
        (d.question_id, d.slot_mark, d.category)
        for d in services.draw_questions(quiz=quiz, rng=rng)
    ]
    questions = Question.objects.prefetch_related("choices").in_bulk([pk for pk, *_ in picked])
    items = []
    for pk, slot_mark, category in picked:
        question = questions[pk]
        choices = list(question.choices.all())
        if question.shuffle_choices:
            rng.shuffle(choices)
        mark = slot_mark if slot_mark is not None else question.default_mark
        items.append(PreviewItem(question, mark, choices, category))
    return items


class QuizViewMixin(WagtailAdminTemplateMixin):
    """A page about one quiz, under the quizzes listing in the breadcrumbs."""

    header_icon = "form"
    index_url_name = "quizzes_quiz:index"
    edit_url_name = "quizzes_quiz:edit"

    def check_permission(self, user) -> bool:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not self.check_permission(request.user):
            raise PermissionDenied
        self.quiz = get_object_or_404(Quiz, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.quiz.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Quizzes")},
            {"url": reverse(self.edit_url_name, args=[self.quiz.pk]), "label": self.quiz.title},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["quiz"] = self.quiz
        return context


class QuizPreviewView(QuizViewMixin, TemplateView):
    """The questions as a learner sees them, read-only and without the answer key."""

    page_title = gettext_lazy("Preview as a learner")
    template_name = "quizzes/admin/preview.html"

    def check_permission(self, user) -> bool:
        return user.has_perm("quizzes.view_quiz")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["items"] = preview_items(self.quiz, random.SystemRandom())
        context["types"] = Question.Type
        return context


def may_see_item_statistics(user) -> bool:
    """Item statistics are figures pooled over every learner, with no names: the
    quiz's authors and reviewers may read them."""
    return user.has_perm("quizzes.view_quiz") and user.has_perm("quizzes.view_attempt")


class QuizStatisticsView(QuizViewMixin, TemplateView):
    page_title = gettext_lazy("Item statistics")
    template_name = "quizzes/admin/statistics.html"

    def check_permission(self, user) -> bool:
        return may_see_item_statistics(user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["stats"] = statistics.quiz_statistics(quiz=self.quiz)
        context["min_answers"] = statistics.MIN_ANSWERS_TO_COMPARE
        return context


# Results and marking --------------------------------------------------------------


class ResultsViewMixin(WagtailAdminTemplateMixin):
    """Results of the learners this person may read (quizzes.selectors.attempts_visible_to)."""

    header_icon = "tasks"
    index_url_name = "quizzes_results:index"

    def dispatch(self, request, *args, **kwargs):
        if not selectors.may_read_results(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def filter_attempts(data: dict, *, user) -> QuerySet[Attempt]:
    """Finished attempts ``user`` may read that match the filter form: those awaiting
    marking first."""
    attempts = (
        selectors.attempts_visible_to(user)
        .filter(state=Attempt.State.FINISHED)
        .select_related("quiz", "user")
    )
    if data.get("quiz"):
        attempts = attempts.filter(quiz=data["quiz"])
    if data.get("user"):
        attempts = attempts.filter(user__email__icontains=data["user"].strip())
    if data.get("needs_marking"):
        attempts = attempts.filter(needs_marking=True)
    return attempts.order_by("-needs_marking", "-finished_at", "-pk")


def essays_awaiting_mark(attempts: QuerySet[Attempt]) -> QuerySet[Answer]:
    """Essays of these attempts that nobody has marked yet, the oldest first."""
    return (
        Answer.objects.filter(
            attempt__in=attempts.order_by().values("pk"),
            question__type=Question.Type.ESSAY,
            mark__isnull=True,
        )
        .select_related("attempt__quiz", "attempt__user", "question")
        .order_by("attempt__finished_at", "pk")
    )


def passed_labels() -> dict[object, str]:
    """How the "passed" column reads: True, False, None (self-assessment), or awaiting
    marking (key "marking")."""
    return {True: _("yes"), False: _("no"), None: "", "marking": _("awaiting marking")}


def passed_label(attempt: Attempt, labels: dict) -> str:
    return labels["marking"] if attempt.needs_marking else labels[attempt.passed]


def result_rows(attempts: QuerySet[Attempt]) -> Iterator[list]:
    """The results as a table for CSV/XLSX: a header row, then one row per attempt.

    The texts are translated now, in the admin's language: a streamed response reads
    the rows after the view has returned, when that language is no longer active.
    """
    header = [
        _("Learner"),
        _("E-mail"),
        _("Quiz"),
        _("Attempt"),
        _("Finished at"),
        _("Score"),
        _("Maximum"),
        _("Percent"),
        _("Passed"),
    ]
    labels = passed_labels()

    def rows() -> Iterator[list]:
        yield header
        for attempt in attempts.iterator(chunk_size=500):
            finished_at = timezone.localtime(attempt.finished_at) if attempt.finished_at else None
            yield [
                attempt.user.full_name,
                attempt.user.email,
                attempt.quiz.title,
                attempt.number,
                finished_at.strftime("%Y-%m-%d %H:%M") if finished_at else "",
                attempt.score,
                attempt.max_score,
                attempt.percent,
                passed_label(attempt, labels),
            ]

    return rows()


class ResultsView(ResultsViewMixin, TemplateView):
    """Every learner's finished attempts, with the essays awaiting a mark on top."""

    page_title = gettext_lazy("Quiz results")
    template_name = "quizzes/admin/results.html"

    def get(self, request, *args, **kwargs):
        self.form = ResultsFilterForm(request.GET or None)
        data = self.form.cleaned_data if self.form.is_valid() else {}
        self.attempts = filter_attempts(data, user=request.user)
        export = request.GET.get("export")
        if export in {"csv", "xlsx"}:
            quiz = data.get("quiz")
            name = f"quiz-{quiz.pk}-results" if quiz else "quiz-results"
            respond = csv_response if export == "csv" else xlsx_response
            return respond(result_rows(self.attempts), name)
        return super().get(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("export", None)
        query.pop("page", None)
        essays = essays_awaiting_mark(self.attempts)
        labels = passed_labels()
        page = Paginator(self.attempts, RESULTS_PER_PAGE).get_page(self.request.GET.get("page"))
        context.update(
            form=self.form,
            query=query.urlencode(),
            essays=essays[:ESSAY_QUEUE_LENGTH],
            essays_count=essays.count(),
            page=page,
            attempts=[(attempt, passed_label(attempt, labels)) for attempt in page.object_list],
            back=self.request.get_full_path(),
        )
        return context


class MarkEssayView(ResultsViewMixin, TemplateView):
    """One essay: the question, the learner's text, a mark and a comment."""

    page_title = gettext_lazy("Mark an essay")
    template_name = "quizzes/admin/mark_essay.html"

    def get_answer(self) -> Answer:
        """The essay, if it belongs to a learner this person may read (else 404)."""
        return get_object_or_404(
            Answer.objects.select_related(
                "attempt__quiz", "attempt__user", "question", "marked_by"
            ).filter(
                attempt__in=selectors.attempts_visible_to(self.request.user).values("pk"),
                attempt__state=Attempt.State.FINISHED,
                question__type=Question.Type.ESSAY,
            ),
            pk=self.kwargs["pk"],
        )

    @cached_property
    def back_url(self) -> str:
        back = self.request.POST.get("next") or self.request.GET.get("next")
        if back and url_has_allowed_host_and_scheme(
            back, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return back
        return reverse(self.index_url_name)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Quiz results")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_page_subtitle(self):
        return self.answer.attempt.user.full_name

    def get(self, request, *args, **kwargs):
        self.answer = self.get_answer()
        self.form = EssayMarkForm(
            initial={"mark": self.answer.mark, "comment": self.answer.comment}
        )
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("quizzes.change_answer"):
            raise PermissionDenied
        self.answer = self.get_answer()
        self.form = EssayMarkForm(request.POST)
        if self.form.is_valid():
            try:
                attempt = services.essay_mark(
                    answer=self.answer,
                    marker=request.user,
                    mark=self.form.cleaned_data["mark"],
                    comment=self.form.cleaned_data["comment"],
                )
            except ValidationError as error:
                self.form.add_error("mark", error)
                self.answer = self.get_answer()  # as it was: the service changed nothing
            else:
                messages.success(
                    request,
                    _("The essay is marked. %(name)s now has %(percent)s%% in this attempt.")
                    % {"name": attempt.user.full_name, "percent": attempt.percent},
                )
                return redirect(self.back_url)
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            answer=self.answer,
            attempt=self.answer.attempt,
            form=self.form,
            back=self.back_url,
            can_mark=self.request.user.has_perm("quizzes.change_answer"),
        )
        return context


class QuestionImportMixin(WagtailAdminTemplateMixin):
    """For people who may add questions (quizzes.add_question)."""

    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("quizzes.add_question"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class QuestionImportView(QuestionImportMixin, TemplateView):
    """Upload a GIFT or Moodle XML file; a background task checks it (see the run's page)."""

    template_name = "quizzes/admin/import.html"
    page_title = gettext_lazy("Import questions")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["runs"] = imports.recent_question_imports(user=self.request.user)
        return context

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=QuestionImportForm()))

    def post(self, request, *args, **kwargs):
        form = QuestionImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        run = imports.question_import_start(
            user=request.user,
            file_name=form.cleaned_data["file"].name,
            data=form.data_bytes,
            format=form.cleaned_data["format"],
            category_path=form.cleaned_data["category"],
            content_language=form.cleaned_data["language"],
            as_translation=form.cleaned_data["as_translation"],
        )
        return redirect("quizzes_import_run", run.pk)


class QuestionImportRunView(QuestionImportMixin, TemplateView):
    """One upload: its check, the preview with "Import", the import and its result.

    While a task works on it, the page reloads itself (no script) until it is done.
    """

    template_name = "quizzes/admin/import_run.html"
    refresh_seconds = 2
    problems_shown = 200

    def dispatch(self, request, *args, **kwargs):
        if request.user.has_perm("quizzes.add_question"):
            self.run = imports.question_import_for(user=request.user, import_id=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Import questions")

    def get_page_subtitle(self):
        return self.run.file_name

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("quizzes_import"), "label": _("Import questions")},
            {"url": "", "label": self.run.file_name},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.run
        problems = [str(ParseProblem(**problem)) for problem in run.problems]
        done = imports.question_import_progress(run=run)
        if done is None and run.state == QuestionImport.State.FINISHED:
            done = run.questions_imported
        context.update(
            run=run,
            states=QuestionImport.State,
            refresh_seconds=self.refresh_seconds if run.in_progress else None,
            done=done,
            percent=Progress(done=done or 0, total=run.questions_found).percent,
            problems=problems[: self.problems_shown],
            problems_more=max(0, len(problems) - self.problems_shown),
            categories=run.report.get("categories", []),
            languages=run.report.get("languages", []),
            translated=run.report.get("translated", 0),
            expired=imports.question_import_expired(run=run),
            questions_url=(
                reverse("quizzes_question:index") + f"?category={run.root_category_id}"
                if run.root_category_id
                else reverse("quizzes_question:index")
            ),
        )
        return context


class QuestionImportConfirmView(QuestionImportRunView):
    """POST: import a checked file."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            imports.question_import_confirm(run=self.run)
        except imports.ImportExpired:
            messages.error(request, _("The preview has expired. Please upload the file again."))
            return redirect("quizzes_import")
        return redirect("quizzes_import_run", self.run.pk)
