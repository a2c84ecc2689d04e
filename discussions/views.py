"""The lesson Q&A pages: a lesson's thread, a question with its answers, and the
trainer's lists (unanswered questions, posts awaiting approval). Plain forms, no
JavaScript; anyone outside the cohort gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.reports import cohorts_visible_to
from discussions import selectors, services
from discussions.forms import AnswerForm, QuestionForm
from discussions.models import Answer, Question, Status
from lms.pagination import paginate

QUESTIONS_PER_PAGE = 20


def _posted_message(request: HttpRequest, post) -> None:
    if post.status == Status.PENDING:
        messages.info(request, _("Thank you. A trainer will look at it before the cohort sees it."))
    else:
        messages.success(request, _("Published."))


def _post(request: HttpRequest, form, save):
    """Validate ``form`` and call ``save(form.cleaned_data)``; the post, or None with
    the error added to the form (and the status to answer with)."""
    if not form.is_valid():
        return None, 400
    try:
        return save(form.cleaned_data), 200
    except services.PostRateLimited:
        form.add_error(None, _("You have written a lot in a short time. Please wait a little."))
        return None, 429
    except ValidationError as error:
        form.add_error(None, error.messages[0])
        return None, 400


@login_required
def lesson_questions(request: HttpRequest, cohort_id: int, lesson_id: int) -> HttpResponse:
    """A lesson's questions in one cohort, newest first, and the form to ask one."""
    access = selectors.cohort_access(user=request.user, cohort_id=cohort_id)
    if access is None:
        raise Http404
    lesson = selectors.lesson_of_course(lesson_id=lesson_id, course=access.cohort.course)
    if lesson is None:
        raise Http404
    form, status = QuestionForm(), 200
    if request.method == "POST":
        form = QuestionForm(request.POST)
        question, status = _post(
            request,
            form,
            lambda data: services.question_ask(
                access=access,
                lesson=lesson,
                title=data["title"],
                body=data["body"],
                submit_key=data["submit_key"],
                language=request.LANGUAGE_CODE,
            ),
        )
        if question is not None:
            _posted_message(request, question)
            return redirect("discussions_question", question_id=question.pk)
    questions = paginate(
        request,
        selectors.lesson_questions(access=access, item_key=lesson.translation_key),
        per_page=QUESTIONS_PER_PAGE,
    )
    context = {
        "access": access,
        "cohort": access.cohort,
        "lesson": lesson,
        "questions": questions,
        "form": form,
    }
    return render(request, "discussions/lesson_questions.html", context, status=status)


@login_required
def question_detail(request: HttpRequest, question_id: int) -> HttpResponse:
    """A question, its answers, and the form to answer it."""
    found = selectors.question_access(user=request.user, question_id=question_id)
    if found is None:
        raise Http404
    question, access = found
    form, status = AnswerForm(), 200
    if request.method == "POST":
        form = AnswerForm(request.POST)
        answer, status = _post(
            request,
            form,
            lambda data: services.answer_post(
                access=access,
                question=question,
                body=data["body"],
                submit_key=data["submit_key"],
                language=request.LANGUAGE_CODE,
            ),
        )
        if answer is not None:
            _posted_message(request, answer)
            return redirect(reverse("discussions_question", args=[question.pk]) + "#answers")
    context = {
        "access": access,
        "question": question,
        "answers": list(access.answers(question)),
        "lesson": selectors.lessons_by_key([question.item_key]).get(question.item_key),
        "form": form,
    }
    return render(request, "discussions/question.html", context, status=status)


@require_POST
@login_required
def answer_accept(request: HttpRequest, answer_id: int) -> HttpResponse:
    """Mark an answer as the answer (``accepted=0`` takes the mark back): trainers."""
    answer = Answer.objects.select_related("question__cohort").filter(pk=answer_id).first()
    access = answer and selectors.thread_access(user=request.user, cohort=answer.question.cohort)
    if access is None or not access.is_trainer:
        raise Http404
    try:
        services.answer_accept(
            access=access, answer=answer, accepted=request.POST.get("accepted") != "0"
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect(reverse("discussions_question", args=[answer.question_id]) + "#answers")


MODERATED = {"question": Question, "answer": Answer}
DECISIONS = {"approve": Status.VISIBLE, "hide": Status.HIDDEN}


@require_POST
@login_required
def moderate(request: HttpRequest, kind: str, post_id: int) -> HttpResponse:
    """Approve or hide a question or an answer: the trainers of its cohort."""
    model, status = MODERATED.get(kind), DECISIONS.get(request.POST.get("decision", ""))
    if model is None or status is None:
        raise Http404
    related = "cohort" if model is Question else "question__cohort"
    post = model.objects.select_related(related).filter(pk=post_id).first()
    cohort = post and (post.cohort if model is Question else post.question.cohort)
    access = cohort and selectors.thread_access(user=request.user, cohort=cohort)
    if access is None or not access.is_trainer:
        raise Http404
    services.post_moderate(access=access, post=post, status=status)
    messages.success(
        request, _("Approved.") if status == Status.VISIBLE else _("Hidden from the cohort.")
    )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("discussions_moderation")
    return redirect(back)


def _require_trainer(request: HttpRequest) -> None:
    if not cohorts_visible_to(request.user).exists():
        raise Http404


@login_required
def unanswered(request: HttpRequest) -> HttpResponse:
    """Questions across the trainer's cohorts with no trainer's answer and none marked
    as the answer, oldest first."""
    _require_trainer(request)
    questions = paginate(
        request, selectors.unanswered_questions(user=request.user), per_page=QUESTIONS_PER_PAGE
    )
    lessons = selectors.lessons_by_key(question.item_key for question in questions)
    for question in questions:
        question.lesson = lessons.get(question.item_key)
    return render(request, "discussions/unanswered.html", {"questions": questions})


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    """Questions and answers awaiting approval in the trainer's cohorts."""
    _require_trainer(request)
    questions, answers = selectors.pending_posts(user=request.user)
    context = {"pending_questions": list(questions[:100]), "pending_answers": list(answers[:100])}
    return render(request, "discussions/moderation.html", context)
