"""Learner views: a quiz's page, one question per page, the summary, the result."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quizzes import access, grading, services
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
        "grade": services.quiz_grade(quiz=quiz, user=request.user),
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
    form_class = answer_form_class(question, entry["choices"])
    feedback = None
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            response = response_from_form(question, form.cleaned_data)
            try:
                services.answer_save(
                    attempt=attempt,
                    user=request.user,
                    question_id=question.pk,
                    response=response,
                    question=question,
                )
            except services.AttemptClosed:
                messages.warning(request, _("Time is up: your attempt has been submitted."))
                return redirect("attempt_result", attempt_id=attempt.pk)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                target = _target_position(request.POST.get("go"), position, len(attempt.layout))
                Attempt.objects.filter(pk=attempt.pk).update(current_position=target)
                if (
                    services.question_feedback_now(attempt=attempt)
                    and request.POST.get("go") == "check"
                ):
                    question = Question.objects.prefetch_related("choices", "accepted_answers").get(
                        pk=question.pk
                    )
                    saved = Answer.objects.get(attempt=attempt, question=question)
                    fraction = grading.grade(question, saved.response)
                    feedback = {
                        "fraction": fraction,
                        "texts": grading.feedback_for(question, saved.response, fraction),
                        "explanation": question.explanation,
                        "right": _right_answer_text(question),
                    }
                elif request.POST.get("go") == "summary":
                    return redirect("attempt_summary", attempt_id=attempt.pk)
                else:
                    return redirect("attempt_question", attempt_id=attempt.pk, position=target)
    else:
        Attempt.objects.filter(pk=attempt.pk).exclude(current_position=position).update(
            current_position=position
        )
        saved = Answer.objects.filter(attempt=attempt, question=question).first()
        form = form_class(
            initial=initial_from_response(question, saved.response) if saved else None
        )
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "question": question,
        "form": form,
        "position": position,
        "count": len(attempt.layout),
        "feedback": feedback,
        "check_allowed": services.question_feedback_now(attempt=attempt),
    }
    return render(request, "quizzes/attempt_question.html", context)


def _target_position(go: str | None, position: int, count: int) -> int:
    if go == "previous":
        return max(0, position - 1)
    if go == "next":
        return min(count - 1, position + 1)
    return position


def _right_answer_text(question: Question) -> str:
    if question.type == Question.Type.TRUE_FALSE:
        return _("True") if question.correct_bool else _("False")
    if question.type in {Question.Type.SINGLE, Question.Type.MULTIPLE}:
        return "; ".join(c.text for c in question.choices.all() if c.fraction > 0)
    if question.type in {Question.Type.SHORT, Question.Type.NUMERIC}:
        # A pattern with wildcards is a marking rule, not an answer to show.
        answers = [a for a in question.accepted_answers.all() if "*" not in a.text]
        best = max(answers, key=lambda a: a.fraction, default=None)
        return best.text if best else ""
    return ""


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
    review = services.review_options(attempt=attempt)
    context = {"attempt": attempt, "quiz": attempt.quiz, "review": review, "items": []}
    if attempt.quiz.kind == Quiz.Kind.SELF_ASSESSMENT:
        profile = services.self_assessment_profile(attempt=attempt)
        top = max((points for _name, points in profile), default=0) or 1
        context["profile"] = [(name, points, round(100 * points / top)) for name, points in profile]
    elif review.anything:
        context["items"] = _review_items(attempt, review)
    return render(request, "quizzes/attempt_result.html", context)


def _review_items(attempt: Attempt, review) -> list[dict]:
    questions = Question.objects.prefetch_related("choices", "accepted_answers").in_bulk(
        attempt.question_ids
    )
    answers = {a.question_id: a for a in attempt.answers.all()}
    items = []
    for entry in attempt.layout:
        question = questions[entry["question"]]
        answer = answers.get(question.pk)
        response = answer.response if answer else {}
        items.append(
            {
                "question": question,
                "given": _given_text(question, response) if review.answers else None,
                "right": _right_answer_text(question) if review.correct else None,
                "mark": answer.mark if (review.marks and answer) else None,
                "max_mark": entry["mark"],
                "feedback": grading.feedback_for(
                    question, response, answer.fraction if answer else None
                )
                if review.feedback
                else [],
                "comment": answer.comment if (review.feedback and answer) else "",
                "explanation": question.explanation if review.feedback else "",
            }
        )
    return items


def _given_text(question: Question, response: dict) -> str:
    choices = {c.pk: c.text for c in question.choices.all()}
    if question.type == Question.Type.SINGLE:
        return choices.get(response.get("choice"), "")
    if question.type == Question.Type.MULTIPLE:
        return "; ".join(choices.get(pk, "") for pk in response.get("choices") or [])
    if question.type == Question.Type.TRUE_FALSE:
        if "value" not in response:
            return ""
        return _("True") if response["value"] else _("False")
    return response.get("text", "")


@login_required
def my_results(request: HttpRequest) -> HttpResponse:
    """Previous scores, and the share of marks earned per question category."""
    attempts = (
        Attempt.objects.filter(user=request.user, state=Attempt.State.FINISHED)
        .select_related("quiz")
        .order_by("-finished_at")
    )
    context = {
        "attempts": [(a, services.review_options(attempt=a)) for a in attempts],
        "categories": services.category_success(user=request.user),
    }
    return render(request, "quizzes/my_results.html", context)
