"""Learner views: a quiz's page, one question per page, the summary, the result."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quizzes import access, selectors, services
from quizzes.forms import answer_form_class, initial_from_response, response_from_form
from quizzes.models import Answer, Attempt, Question, Quiz


def _quiz_for(request, quiz_id: int) -> Quiz:
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    if not access.can_take(request.user, quiz):
        raise Http404
    return quiz


@login_required
def quiz_detail(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = _quiz_for(request, quiz_id)
    attempts = Attempt.objects.filter(quiz=quiz, user=request.user).order_by("number")
    context = {
        "quiz": quiz,
        "attempts": attempts,
        "in_progress": next((a for a in attempts if a.state == Attempt.State.IN_PROGRESS), None),
        "attempts_left": services.attempts_left(quiz=quiz, user=request.user),
        "grade": selectors.released_grade(quiz=quiz, user=request.user),
        "is_open": quiz.is_open(),
    }
    return render(request, "quizzes/quiz_detail.html", context)


@require_POST
@login_required
def quiz_start(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = _quiz_for(request, quiz_id)
    try:
        attempt = services.attempt_start(quiz=quiz, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("quiz_detail", quiz_id=quiz.pk)
    return redirect("attempt_question", attempt_id=attempt.pk, position=attempt.current_position)


def _open_attempt(request, attempt_id: int) -> Attempt:
    attempt = services.own_attempt(attempt_id=attempt_id, user=request.user)
    if attempt.state == Attempt.State.FINISHED:
        raise _Finished(attempt)
    return attempt


class _Finished(Exception):
    def __init__(self, attempt):
        self.attempt = attempt


@login_required
def attempt_question(request: HttpRequest, attempt_id: int, position: int) -> HttpResponse:
    """One question of the attempt. Saving it is a plain form post: nothing is lost
    when the connection drops, and reopening the attempt comes back here."""
    try:
        attempt = _open_attempt(request, attempt_id)
    except _Finished as finished:
        return redirect("attempt_result", attempt_id=finished.attempt.pk)
    if not 0 <= position < len(attempt.layout):
        raise Http404
    entry = attempt.layout[position]
    question = get_object_or_404(Question, pk=entry["question"])
    check_mode = selectors.feedback_after_each_question(quiz=attempt.quiz)
    # Only where answers can be checked (and so locked) is the saved one read first.
    saved = None
    if request.method != "POST" or check_mode:
        saved = Answer.objects.filter(attempt=attempt, question=question).first()
    locked = bool(saved and saved.checked_at)
    form_class = answer_form_class(question, entry["choices"], locked=locked)
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            go = request.POST.get("go")
            try:
                if not locked:
                    check = check_mode and go == "check"
                    _save_answer(request, attempt, question, entry, form, check=check)
            except services.AttemptClosed:
                messages.warning(request, _("Time is up: your attempt has been submitted."))
                return redirect("attempt_result", attempt_id=attempt.pk)
            except services.AnswerLocked:  # checked a moment ago, in another tab
                messages.warning(request, _("You checked this answer: it can no longer change."))
                return _go_on(attempt, position, go)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return _go_on(attempt, position, go)
    else:
        Attempt.objects.filter(pk=attempt.pk).exclude(current_position=position).update(
            current_position=position
        )
        form = form_class(
            initial=initial_from_response(question, saved.response, entry["choices"])
            if saved
            else None
        )
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "question": question,
        "form": form,
        "position": position,
        "count": len(attempt.layout),
        "feedback": selectors.checked_feedback(quiz=attempt.quiz, answer=saved, question=question)
        if locked
        else None,
        "check_allowed": check_mode and not locked,
    }
    return render(request, "quizzes/attempt_question.html", context)


def _save_answer(request, attempt, question, entry, form, *, check: bool) -> None:
    save = services.answer_check if check else services.answer_save
    save(
        attempt=attempt,
        user=request.user,
        question_id=question.pk,
        response=response_from_form(question, form.cleaned_data, entry["choices"]),
        question=question,
    )


def _go_on(attempt: Attempt, position: int, go: str | None) -> HttpResponse:
    """Where the learner asked to go after saving: back, on, the summary, or (after
    checking) the same question with its feedback."""
    if go == "summary":
        return redirect("attempt_summary", attempt_id=attempt.pk)
    target = position
    if go == "previous":
        target = max(0, position - 1)
    elif go == "next":
        target = min(len(attempt.layout) - 1, position + 1)
    Attempt.objects.filter(pk=attempt.pk).update(current_position=target)
    return redirect("attempt_question", attempt_id=attempt.pk, position=target)


@login_required
def attempt_summary(request: HttpRequest, attempt_id: int) -> HttpResponse:
    try:
        attempt = _open_attempt(request, attempt_id)
    except _Finished as finished:
        return redirect("attempt_result", attempt_id=finished.attempt.pk)
    answered = {
        a.question_id: a.response
        for a in Answer.objects.filter(attempt=attempt).only("question_id", "response")
    }
    names = dict(Question.objects.filter(pk__in=attempt.question_ids).values_list("pk", "name"))
    rows = [
        {
            "position": i,
            "name": names.get(e["question"], ""),
            "answered": bool(answered.get(e["question"])),
        }
        for i, e in enumerate(attempt.layout)
    ]
    return render(
        request,
        "quizzes/attempt_summary.html",
        {"attempt": attempt, "quiz": attempt.quiz, "rows": rows},
    )


@require_POST
@login_required
def attempt_submit(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = services.own_attempt(attempt_id=attempt_id, user=request.user)
    services.attempt_submit(attempt=attempt, user=request.user)
    return redirect("attempt_result", attempt_id=attempt.pk)


@login_required
def attempt_result(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """The learner's result, and as much of the review as the quiz allows now."""
    attempt = services.own_attempt(attempt_id=attempt_id, user=request.user)
    if attempt.state != Attempt.State.FINISHED:
        return redirect(
            "attempt_question", attempt_id=attempt.pk, position=attempt.current_position
        )
    view = selectors.result_view(attempt=attempt)
    context = {"attempt": attempt, "quiz": attempt.quiz, "view": view, "items": []}
    if attempt.quiz.kind == Quiz.Kind.SELF_ASSESSMENT:
        profile = selectors.self_assessment_profile(attempt=attempt)
        top = max((points for _name, points in profile), default=0) or 1
        context["profile"] = [(name, points, round(100 * points / top)) for name, points in profile]
    elif view.review:
        context["items"] = selectors.review_items(attempt=attempt, view=view)
    return render(request, "quizzes/attempt_result.html", context)


@login_required
def my_results(request: HttpRequest) -> HttpResponse:
    """Previous scores, and the share of marks earned per question category."""
    context = {
        "attempts": selectors.finished_attempts_with_views(user=request.user),
        "categories": selectors.category_success(user=request.user),
    }
    return render(request, "quizzes/my_results.html", context)
