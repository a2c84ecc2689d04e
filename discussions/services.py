"""Writes of the lesson Q&A: asking, answering, marking the answer, moderating."""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from base.text import strip_markup
from courses.models import LessonPage
from discussions import selectors
from discussions.models import Answer, Post, Question, Status
from discussions.selectors import ThreadAccess
from lms.security import log_event, rate_limited


class PostRateLimited(Exception):
    """Too many posts from one person in a short time."""


def _status_for(access: ThreadAccess) -> str:
    if access.is_trainer or not selectors.premoderated(cohort=access.cohort):
        return Status.VISIBLE
    return Status.PENDING


def _rate_check(access: ThreadAccess) -> None:
    # Counted per person, not per address: a whole district office may share one.
    if rate_limited(
        "qna",
        address=f"user-{access.user.pk}",
        limit=settings.QNA_POST_RATE,
        seconds=settings.QNA_POST_RATE_SECONDS,
    ):
        raise PostRateLimited


def post_language(language: str) -> str:
    """``language`` if it is one of the site's languages, else "" (unknown): whatever
    reaches the ``lang`` attribute is a code we chose."""
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else ""


def _sent_before(model: type[Post], *, submit_key: UUID, author) -> Post | None:
    """The post an earlier submit of the same form made, if any."""
    earlier = model.objects.filter(submit_key=submit_key).first()
    if earlier is not None and earlier.author_id != author.pk:
        raise ValidationError(_("This form has expired. Please write again."))
    return earlier


def _save_once(post: Post, model: type[Post], submit_key: UUID) -> tuple[Post, bool]:
    """Save ``post`` unless a twin request saved it first; (the post, created?)."""
    post.submit_key = submit_key
    post.full_clean()
    try:
        with transaction.atomic():
            post.save()
    except IntegrityError:  # the twin request got there first
        earlier = model.objects.filter(submit_key=submit_key, author=post.author).first()
        if earlier is None:
            raise
        return earlier, False
    return post, True


def question_ask(
    *,
    access: ThreadAccess,
    lesson: LessonPage,
    title: str,
    body: str,
    submit_key: UUID,
    language: str = "",
) -> Question:
    """Ask a question in the cohort's thread of ``lesson``.

    A learner's question waits for a trainer when the course is premoderated. Sending
    the same form twice (``submit_key``) returns the first question. ``language`` is
    the one the learner wrote in (the page's; kept only if it is a site language). Raises
    :class:`PostRateLimited` past QNA_POST_RATE posts in QNA_POST_RATE_SECONDS, or
    ``ValidationError`` for an empty or overlong text.
    """
    earlier = _sent_before(Question, submit_key=submit_key, author=access.user)
    if earlier is not None:
        return earlier
    _rate_check(access)
    question = Question(
        cohort=access.cohort,
        item_key=lesson.translation_key,
        author=access.user,
        title=strip_markup(title),
        body=strip_markup(body),
        status=_status_for(access),
        language=post_language(language),
    )
    question, created = _save_once(question, Question, submit_key)
    if created:
        log_event("qna_question", actor=access.user.email, question=question.pk)
    return question


def answer_post(
    *,
    access: ThreadAccess,
    question: Question,
    body: str,
    submit_key: UUID,
    language: str = "",
) -> Answer:
    """Answer a question; the rules of :func:`question_ask` apply. A question that is
    not visible takes no answers."""
    if question.cohort_id != access.cohort.pk:
        raise PermissionDenied
    if question.status != Status.VISIBLE:
        raise ValidationError(_("This question takes no answers yet."))
    earlier = _sent_before(Answer, submit_key=submit_key, author=access.user)
    if earlier is not None:
        return earlier
    _rate_check(access)
    answer = Answer(
        question=question,
        author=access.user,
        body=strip_markup(body),
        status=_status_for(access),
        by_trainer=access.is_trainer,
        language=post_language(language),
    )
    answer, created = _save_once(answer, Answer, submit_key)
    if created:
        log_event("qna_answer", actor=access.user.email, answer=answer.pk)
    return answer


def answer_accept(*, access: ThreadAccess, answer: Answer, accepted: bool = True) -> None:
    """Mark a visible answer as the answer to its question (or take the mark back).
    Trainers only: the mark tells the cohort the answer is right."""
    if not access.is_trainer or answer.question.cohort_id != access.cohort.pk:
        raise PermissionDenied
    if accepted and answer.status != Status.VISIBLE:
        raise ValidationError(_("Only a visible answer can be marked as the answer."))
    question = answer.question
    if accepted:
        question.accepted_answer = answer
    elif question.accepted_answer_id == answer.pk:
        question.accepted_answer = None
    else:
        return
    question.save(update_fields=["accepted_answer"])
    log_event("qna_accept", actor=access.user.email, answer=answer.pk, accepted=accepted)


def post_moderate(*, access: ThreadAccess, post: Question | Answer, status: str) -> None:
    """Approve (make visible) or hide a question or answer of the trainer's cohort.
    A hidden answer stops being the answer."""
    if not access.is_trainer:
        raise PermissionDenied
    if status not in (Status.VISIBLE, Status.HIDDEN):
        raise ValueError(f"Not a moderation decision: {status!r}")
    with transaction.atomic():
        post.status = status
        post.save(update_fields=["status"])
        if isinstance(post, Answer) and status == Status.HIDDEN:
            Question.objects.filter(pk=post.question_id, accepted_answer=post).update(
                accepted_answer=None
            )
    log_event(
        "qna_moderate",
        actor=access.user.email,
        kind=post._meta.model_name,
        post=post.pk,
        status=status,
    )
