"""Learner views: a quiz's page, one question per page, the summary, the result."""

from __future__ import annotations

import json
import re
from datetime import datetime
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.page_generation import request_generation
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
    quiz = selectors.quiz_to_take(
        quiz_id=quiz_id, user=request.user, generation=request_generation(request)
    )
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
        attempt = services.attempt_start(
            quiz=quiz,
            user=request.user,
            language=i18n.current(),
            generation=request_generation(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("quiz_detail", quiz_id=quiz.pk)
    return redirect("attempt_question", attempt_id=attempt.pk, position=attempt.current_position)


@login_required
@_quiz_errors_as_404
def attempt_question(request: HttpRequest, attempt_id: int, position: int) -> HttpResponse:
    """One question of the attempt. Saving it is a plain form post: nothing is lost
    when the connection drops, and reopening the attempt comes back here."""
    form = None
    if request.method == "POST":
        try:
            posted = services.answer_post(
                attempt_id=attempt_id,
                user=request.user,
                position=position,
                data=request.POST,
                go=request.POST.get("go"),
                generation=request_generation(request),
            )
        except services.AttemptClosed:
            messages.warning(request, _("Time is up: your attempt has been submitted."))
            return redirect("attempt_result", attempt_id=attempt_id)
        if posted.finished:
            return redirect("attempt_result", attempt_id=attempt_id)
        step = posted.step
        if step is not None:
            if step.already_checked:
                messages.warning(request, _("You checked this answer: it can no longer change."))
            if step.position is None:
                return redirect("attempt_summary", attempt_id=attempt_id)
            return redirect("attempt_question", attempt_id=attempt_id, position=step.position)
        form = posted.form  # refused: the page again, with what was wrong
    attempt = services.own_attempt(attempt_id=attempt_id, user=request.user)
    if attempt.state == Attempt.State.FINISHED:
        return redirect("attempt_result", attempt_id=attempt.pk)
    shown = selectors.question_in_attempt(
        attempt=attempt, position=position, read_saved=form is None
    )
    if shown is None:
        raise Http404
    question, choices = shown.question, shown.entry["choices"]
    if form is None:
        services.attempt_open_question(attempt=attempt, position=position)
        saved = shown.saved
        form = answer_form_class(question, choices, locked=shown.locked)(
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


def _offline_forms(attempt: Attempt, data=None) -> list[dict]:
    """One form per question of the attempt, each under its own prefix ("q0-", "q1-"…)."""
    rows, choices = selectors.offline_questions(attempt=attempt)
    forms = []
    for row in rows:
        order = row.entry["choices"]
        form_class = answer_form_class(
            row.question,
            order,
            locked=bool(row.saved and row.saved.checked_at),
            choices=choices,
        )
        initial = (
            initial_from_response(row.question, row.saved.response, order) if row.saved else None
        )
        forms.append(
            {
                "row": row,
                "form": form_class(data=data, initial=initial, prefix=f"q{row.position}"),
                "saved_at": row.saved.saved_at.isoformat() if row.saved else "",
            }
        )
    return forms


@login_required
@_quiz_errors_as_404
def attempt_offline(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """Every question of the attempt on one page, to answer with no signal.

    Without JavaScript it is a plain form: posting it saves the answers that changed.
    With JavaScript each answer is kept on the phone as it is given and sent to
    ``attempt_sync`` when there is a connection (quizzes/static/quizzes/offline-attempt.js).
    """
    attempt = services.own_attempt(attempt_id=attempt_id, user=request.user)
    if attempt.state == Attempt.State.FINISHED:
        return redirect("attempt_result", attempt_id=attempt.pk)
    if not attempt.quiz.allow_offline_attempts:
        raise Http404
    items = _offline_forms(attempt, request.POST if request.method == "POST" else None)
    # Every form validated (not all() stopping at the first error): each shows its own.
    valid = [item["form"].is_valid() for item in items]
    if request.method == "POST" and all(valid):
        try:
            for item in items:
                form, row = item["form"], item["row"]
                if form.has_changed():  # the others are as saved (or still unanswered)
                    services.answer_save(
                        attempt=attempt,
                        user=request.user,
                        question_id=row.question.pk,
                        response=response_from_form(
                            row.question, form.cleaned_data, row.entry["choices"]
                        ),
                        question=row.question,
                        language=i18n.current(),
                    )
        except services.AttemptClosed:
            messages.warning(request, _("Time is up: your attempt has been submitted."))
            return redirect("attempt_result", attempt_id=attempt.pk)
        except (ValidationError, services.AnswerLocked) as error:
            messages.error(request, " ".join(getattr(error, "messages", [])) or _("Not saved."))
            return redirect("attempt_offline", attempt_id=attempt.pk)
        if request.POST.get("go") == "summary":
            return redirect("attempt_summary", attempt_id=attempt.pk)
        messages.success(request, _("Your answers are saved."))
        return redirect("attempt_offline", attempt_id=attempt.pk)
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "items": items,
        "host_links": selectors.host_links(quiz=attempt.quiz, user=request.user),
    }
    return render(request, "quizzes/attempt_offline.html", context)


SYNC_MAX_ANSWERS = 500
DEVICE = re.compile(r"[A-Za-z0-9_-]{8,64}")


class BadSync(ValueError):
    """A sync request that is not what the page sends."""


def _when(value) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise BadSync("time")
    try:
        parsed = parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise BadSync("time")
    return parsed


def _fields(answer) -> dict[str, list[str]]:
    """A question's form data as sent ({"choice": "1"}, {"choices": ["0", "2"]}…)."""
    if not isinstance(answer, dict) or len(answer) > 100:
        raise BadSync("answer")
    fields = {}
    for name, value in answer.items():
        values = value if isinstance(value, list) else [value]
        if not isinstance(name, str) or not all(
            isinstance(v, str | int) and not isinstance(v, bool) for v in values
        ):
            raise BadSync("answer")
        fields[name] = [str(v) for v in values]
    return fields


def _sync_items(body: bytes) -> tuple[str, list[services.SyncItem]]:
    try:
        payload = json.loads(body)
    except ValueError:
        raise BadSync("json") from None
    if not isinstance(payload, dict):
        raise BadSync("json")
    device, answers = payload.get("device"), payload.get("answers")
    if not isinstance(device, str) or not DEVICE.fullmatch(device):
        raise BadSync("device")
    if not isinstance(answers, list) or len(answers) > SYNC_MAX_ANSWERS:
        raise BadSync("answers")
    items = []
    for answer in answers:
        if not isinstance(answer, dict):
            raise BadSync("answers")
        question, revision = answer.get("question"), answer.get("revision")
        if not all(type(n) is int and 0 < n < 2**31 for n in (question, revision)):
            raise BadSync("question")
        items.append(
            services.SyncItem(
                question_id=question,
                revision=revision,
                fields=_fields(answer.get("answer")),
                answered_at_client=_when(answer.get("answered_at_client")),
                based_on=_when(answer.get("based_on")),
            )
        )
    return device, items


def _sync_message(result: services.SyncResult, number: int | None) -> str:
    values = {"n": number}
    if result.status == "unknown":
        return _("An answer to a question that is not in this attempt was ignored.")
    if result.status == "stale":
        return (
            _(
                "Question %(n)s: a newer answer from this phone had already arrived; "
                "this older one was ignored."
            )
            % values
        )
    outcome = result.outcome or result.status
    if outcome == "refused":
        return _("Question %(n)s: not accepted, the attempt was already over.") % values
    if outcome == "locked":
        return _("Question %(n)s: not accepted, this answer was checked before.") % values
    if outcome == "invalid":
        return _("Question %(n)s: not accepted: %(reason)s") % {
            **values,
            "reason": " ".join(result.errors) or _("the answer could not be taken."),
        }
    if result.replaced_other:
        return (
            _(
                "Question %(n)s: the answer from this phone replaced a different one "
                "given on another device."
            )
            % values
        )
    return ""


@require_POST
@login_required
@_quiz_errors_as_404
def attempt_sync(request: HttpRequest, attempt_id: int) -> JsonResponse:
    """Receive answers given offline (JSON), apply each once, say what became of each.

    CSRF-protected like every post (the page sends the token in ``X-CSRFToken``).
    """
    attempt = services.own_attempt(attempt_id=attempt_id, user=request.user)
    try:
        device, items = _sync_items(request.body)
    except BadSync as error:
        return JsonResponse({"error": str(error)}, status=400)
    results = services.answers_sync(
        attempt=attempt, user=request.user, device=device, items=items, language=i18n.current()
    )
    numbers = {entry["question"]: n for n, entry in enumerate(attempt.layout, start=1)}
    attempt.refresh_from_db(fields=["state"])
    return JsonResponse(
        {
            "open": attempt.state == Attempt.State.IN_PROGRESS,
            "results": [
                {
                    "question": result.question_id,
                    "revision": result.revision,
                    "status": result.status,
                    "outcome": result.outcome or result.status,
                    "replaced_other": result.replaced_other,
                    "saved_at": result.saved_at.isoformat() if result.saved_at else None,
                    "message": _sync_message(result, numbers.get(result.question_id)),
                }
                for result in results
            ],
        }
    )


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
