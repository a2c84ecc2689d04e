"""Writes: enrolment, completing lessons and tests, and recording course completion.

Every entry point (views, admin, import, commands, tasks) calls these functions; none
re-implements them. They are safe to call twice: a lesson marked done again, or a
completion event that arrives twice, changes nothing.
"""

from __future__ import annotations

import logging
from uuid import UUID

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.models import Page

from courses import selectors
from courses.models import Cohort, CoursePage, Enrolment, ItemCompletion, QuizPage
from courses.signals import course_completed
from lms.security import log_event

logger = logging.getLogger(__name__)


class NotEnrolled(Exception):
    """The learner has no active enrolment in the course of this page."""


@transaction.atomic
def enrolment_create(*, learner, cohort: Cohort, actor: str = "system") -> Enrolment:
    """Enrol a learner in a cohort (and so its course); idempotent.

    A learner has one enrolment per course: enrolling them in another cohort of the
    same course moves them there, and re-enrolling a withdrawn learner brings them back
    with their progress intact.
    """
    course_key = cohort.course.translation_key
    enrolment, created = Enrolment.objects.select_for_update().get_or_create(
        learner=learner, course_key=course_key, defaults={"cohort": cohort}
    )
    if not created:
        changed = []
        if enrolment.cohort_id != cohort.pk:
            enrolment.cohort = cohort
            changed.append("cohort")
        if enrolment.status == Enrolment.Status.WITHDRAWN:
            enrolment.status = (
                Enrolment.Status.COMPLETED if enrolment.completed_at else Enrolment.Status.ACTIVE
            )
            changed.append("status")
        if changed:
            enrolment.save(update_fields=changed)
    learner.groups.add(Group.objects.get(name="Learners"))
    if created:
        log_event("enrol", actor=actor, learner=learner.email, cohort=cohort.pk)
    return enrolment


def normalise_invite_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def enrolment_join(*, learner, code: str) -> Enrolment:
    """A signed-in learner joins a cohort with the code their trainer gave them."""
    cohort = (
        Cohort.objects.filter(invite_code=normalise_invite_code(code), invite_open=True)
        .select_related("course")
        .first()
    )
    if cohort is None:
        raise ValidationError(
            _("No open cohort has this code. Check the code with your trainer."),
            code="unknown_code",
        )
    if cohort.ends_on < timezone.localdate():
        raise ValidationError(_("This cohort has already finished."), code="cohort_ended")
    return enrolment_create(learner=learner, cohort=cohort, actor=learner.email)


def enrolment_withdraw(*, enrolment: Enrolment, actor: str) -> Enrolment:
    """Withdraw a learner; their completed items are kept should they come back."""
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.WITHDRAWN)
    enrolment.status = Enrolment.Status.WITHDRAWN
    log_event("withdraw", actor=actor, learner=enrolment.learner.email, cohort=enrolment.cohort_id)
    return enrolment


def enrolment_visit(*, enrolment: Enrolment, item_key: UUID) -> None:
    """Remember the item a learner opened, for "continue where you left off".

    A write only when the place changes (one query either way).
    """
    Enrolment.objects.filter(pk=enrolment.pk).exclude(last_item_key=item_key).update(
        last_item_key=item_key, last_activity_at=timezone.now()
    )


def _completion_rule(course: CoursePage) -> Q | None:
    """Which pages must be done for the course to be complete (None: nothing required)."""
    parts = []
    if course.requires_lessons:
        parts.append(Q(lessonpage__required=True))
    if course.requires_module_tests:
        parts.append(Q(quizpage__required=True, quizpage__kind=QuizPage.Kind.MODULE_TEST))
    if course.requires_final_exam:
        parts.append(Q(quizpage__required=True, quizpage__kind=QuizPage.Kind.FINAL_EXAM))
    if not parts:
        return None
    rule = parts[0]
    for part in parts[1:]:
        rule |= part
    return rule


def completion_met(*, enrolment: Enrolment, course: CoursePage) -> bool:
    """Is every item the course's completion rule asks for done, and every check other
    apps add met? (one query, and the checks' when the items are done)"""
    rule = _completion_rule(course)
    if rule is None:
        return False  # a course that requires nothing is never completed automatically
    remaining = (
        Page.objects.descendant_of(course)
        .live()
        .filter(rule)
        .exclude(translation_key__in=enrolment.completions.values("item_key"))
    )
    if remaining.exists():
        return False
    # Conditions higher apps add to the rule (the schedule's attendance share), each a
    # ``course_completion_checks`` hook: ``fn(*, enrolment, course) -> bool``.
    return all(
        fn(enrolment=enrolment, course=course) for fn in hooks.get_hooks("course_completion_checks")
    )


def completion_record(*, enrolment: Enrolment) -> bool:
    """Record the course as completed, exactly once; True if this call recorded it.

    The conditional UPDATE is the guard: of two concurrent calls only one matches a
    row with no completion time, so ``course_completed`` is sent once.
    """
    now = timezone.now()
    recorded = Enrolment.objects.filter(pk=enrolment.pk, completed_at__isnull=True).update(
        completed_at=now, status=Enrolment.Status.COMPLETED
    )
    if recorded:
        enrolment.completed_at, enrolment.status = now, Enrolment.Status.COMPLETED
        log_event(
            "course_complete",
            actor="system",
            learner_id=enrolment.learner_id,
            course=str(enrolment.course_key),
        )
        course_completed.send(sender=Enrolment, enrolment=enrolment)
    return bool(recorded)


def item_complete(*, enrolment: Enrolment, course: CoursePage, item_key: UUID, source: str) -> None:
    """Mark one lesson or test done, then record the course if that completes it."""
    ItemCompletion.objects.bulk_create(
        [ItemCompletion(enrolment=enrolment, item_key=item_key, source=source)],
        ignore_conflicts=True,  # done already: nothing to do, and no error
    )
    if enrolment.completed_at is None and completion_met(enrolment=enrolment, course=course):
        completion_record(enrolment=enrolment)


def _enrolment_in_course_of(*, learner, page: Page) -> tuple[Enrolment, CoursePage]:
    course = selectors.course_of(page)
    enrolment = course and selectors.enrolment_for(user=learner, course=course)
    if not enrolment:
        raise NotEnrolled

    return enrolment, course


def lesson_complete(*, learner, lesson: Page) -> Enrolment:
    """The learner marks a lesson done (at most six queries, however big the course)."""
    enrolment, course = _enrolment_in_course_of(learner=learner, page=lesson)
    item_complete(
        enrolment=enrolment,
        course=course,
        item_key=lesson.translation_key,
        source=ItemCompletion.Source.LEARNER,
    )
    return enrolment


def quiz_page_passed(*, learner, quiz_page: QuizPage) -> Enrolment:
    """The quizzes app calls this when a learner passes the quiz a QuizPage hosts."""
    enrolment, course = _enrolment_in_course_of(learner=learner, page=quiz_page)
    item_complete(
        enrolment=enrolment,
        course=course,
        item_key=quiz_page.translation_key,
        source=ItemCompletion.Source.QUIZ,
    )
    return enrolment


def completions_recheck(*, course: CoursePage) -> int:
    """Record completion for every learner the course's rule is now met for.

    Run when a course changes shape (a required lesson removed, a rule relaxed):
    learners who had done everything else are completed. Completions already
    recorded are never undone.
    """
    recorded = 0
    enrolments = Enrolment.objects.filter(
        course_key=course.translation_key,
        status=Enrolment.Status.ACTIVE,
        completed_at__isnull=True,
    )
    for enrolment in enrolments.iterator():
        if completion_met(enrolment=enrolment, course=course):
            recorded += completion_record(enrolment=enrolment)
    return recorded
