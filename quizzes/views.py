"""Learner views: a quiz's page, one question per page, the summary, the result."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quizzes import i18n, selectors, services
from quizzes.forms import answer_form_class, initial_from_response, response_from_form
from quizzes.models import Attempt, Quiz


def _quiz_errors_as_404(view):
    """A quiz or attempt that is not there for this learner is a 404 (nothing said)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (services.QuizUnavailable, services.AttemptNotFound):
            raise Http404 from None

    return wrapped


def _quiz_for(request, quiz_id: int) -> Quiz:
    quiz = selectors.quiz_to_take(quiz_id=quiz_id, user=request.user)
    if quiz is None:
        raise Http404
    return quiz


@login_required
def quiz_detail(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = _quiz_for(request, quiz_id)
    attempts = selectors.learner_attempts(quiz=quiz, user=request.user)
    context = {
        "quiz": quiz,
        "attempts": attempts,
        "in_progress": next((a for a in attempts if a.state == Attempt.State.IN_PROGRESS), None),
        "may_start": services.may_start_attempt(quiz=quiz, user=request.user),
        "grade": selectors.released_grade(quiz=quiz, user=request.user),
        "is_open": quiz.is_open(),
        "host_links": selectors.host_links(quiz=quiz, user=request.user),
    }
    return render(request, "quizzes/quiz_detail.html", context)


@require_POST
@login_required
@_quiz_errors_as_404
def quiz_start(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = _quiz_for(request, quiz_id)
    try:
        attempt = services.attempt_start(quiz=quiz, user=request.user, language=i18n.current())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("quiz_detail", quiz_id=quiz.pk)
    return redirect("attempt_question", attempt_id=attempt.pk, position=attempt.current_position)


@login_required
@_quiz_errors_as_404
def attempt_question(request: HttpRequest, attempt_id: int, position: int) -> HttpResponse:
    """One question of the attempt. Saving it is a plain form post: nothing is lost
    when the connection drops, and reopening the attempt comes back here."""
    attempt = services.own_attempt(attempt_id=attempt_id, user=request.user)
    if attempt.state == Attempt.State.FINISHED:
        return redirect("attempt_result", attempt_id=attempt.pk)
    shown = selectors.question_in_attempt(
        attempt=attempt, position=position, read_saved=request.method != "POST"
    )
    if shown is None:
        raise Http404
    question, choices = shown.question, shown.entry["choices"]
    form_class = answer_form_class(question, choices, locked=shown.locked)
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                step = services.answer_submit(
                    attempt=attempt,
                    user=request.user,
                    question=question,
                    position=position,
                    response=response_from_form(question, form.cleaned_data, choices),
                    go=request.POST.get("go"),
                    locked=shown.locked,
                )
            except services.AttemptClosed:
                messages.warning(request, _("Time is up: your attempt has been submitted."))
                return redirect("attempt_result", attempt_id=attempt.pk)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if step.already_checked:
                    messages.warning(
                        request, _("You checked this answer: it can no longer change.")
                    )
                if step.position is None:
                    return redirect("attempt_summary", attempt_id=attempt.pk)
                return redirect("attempt_question", attempt_id=attempt.pk, position=step.position)
    else:
        services.attempt_open_question(attempt=attempt, position=position)
        saved = shown.saved
        form = form_class(
            initial=initial_from_response(question, saved.response, choices) if saved else None
        )
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "question": question,
        "form": form,
        "position": position,
        "count": len(attempt.layout),
        "feedback": selectors.checked_feedback(
            quiz=attempt.quiz, answer=shown.saved, question=question
        )
        if shown.locked
        else None,
        "check_allowed": shown.check_mode and not shown.locked,
        "host_links": selectors.host_links(quiz=attempt.quiz, user=request.user),
    }
    return render(request, "quizzes/attempt_question.html", context)


@login_required
@_quiz_errors_as_404
def attempt_summary(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = services.own_attempt(attempt_id=attempt_id, user=request.user)
    if attempt.state == Attempt.State.FINISHED:
        return redirect("attempt_result", attempt_id=attempt.pk)
    return render(
        request,
        "quizzes/attempt_summary.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "rows": selectors.attempt_summary_rows(attempt=attempt),
        },
    )


@require_POST
@login_required
@_quiz_errors_as_404
def attempt_submit(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = services.own_attempt(attempt_id=attempt_id, user=request.user)
    services.attempt_submit(attempt=attempt, user=request.user)
    return redirect("attempt_result", attempt_id=attempt.pk)


@login_required
@_quiz_errors_as_404
def attempt_result(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """The learner's result, and as much of the review as the quiz allows now."""
    attempt = services.own_attempt(attempt_id=attempt_id, user=request.user)
    if attempt.state != Attempt.State.FINISHED:
        return redirect(
            "attempt_question", attempt_id=attempt.pk, position=attempt.current_position
        )
    view = selectors.result_view(attempt=attempt)
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "view": view,
        "items": [],
        "host_links": selectors.host_links(quiz=attempt.quiz, user=request.user),
        # A failed, graded attempt offers another one when the quiz still allows it.
        "may_retry": view.grade
        and not attempt.passed
        and services.may_start_attempt(quiz=attempt.quiz, user=request.user),
    }
    if attempt.quiz.kind == Quiz.Kind.SELF_ASSESSMENT:
        profile = selectors.self_assessment_profile(attempt=attempt)
        top = max((points for _name, points in profile), default=0) or 1
        context["profile"] = [(name, points, round(100 * points / top)) for name, points in profile]
    elif view.review:
        context["items"] = selectors.review_items(attempt=attempt, view=view)
        if attempt.language in i18n.REVIEW_IN and attempt.language != i18n.current():
            context["review_note"] = i18n.REVIEW_IN[attempt.language]
    return render(request, "quizzes/attempt_result.html", context)


@login_required
def my_results(request: HttpRequest) -> HttpResponse:
    """Previous scores, and the share of marks earned per question category."""
    context = {
        "attempts": selectors.finished_attempts_with_views(user=request.user),
        "categories": selectors.category_success(user=request.user),
    }
    return render(request, "quizzes/my_results.html", context)
