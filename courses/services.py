"""Writes: enrolment, completing lessons and tests, and recording course completion.

Every entry point (views, admin, import, commands, tasks) calls these functions; none
re-implements them. They are safe to call twice: a lesson marked done again, or a
completion event that arrives twice, changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable
from datetime import datetime
from uuid import UUID

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation, TranslationSource

from base.text import strip_markup
from courses import selectors
from courses.models import (
    Announcement,
    Cohort,
    CohortItemDates,
    CoursePage,
    Enrolment,
    ItemCompletion,
    LessonPage,
    QuizPage,
    learning_item_q,
    learning_item_types,
    translated_page_types,
)
from courses.signals import course_completed
from lms.security import log_event
from notifications.services import Message, notify

# The notification event of an enrolment (registered in wagtail_hooks.py).
ENROLLED = "enrolled"

logger = logging.getLogger(__name__)


class NotEnrolled(Exception):
    """The learner has no active enrolment in the course of this page."""


class NotReleased(Exception):
    """The learner's cohort has not opened this item yet (see ``selectors.item_release``)."""


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
    changed = []
    if not created:
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
    if created or "cohort" in changed:
        # Once per cohort: moved to another cohort, the learner hears of it again.
        transaction.on_commit(lambda: enrolment_notify(learner=learner, cohort=cohort))
    return enrolment


def enrolment_notify(*, learner, cohort: Cohort) -> int:
    """Tell the learner they are enrolled in the cohort (once per cohort; the course's
    title and the cohort's name in the learner's language)."""

    def message(user) -> Message:
        course = cohort.course.localized
        values = {
            "course": course.title,
            "cohort": cohort.local_name,
            "date": date_format(cohort.starts_on, "DATE_FORMAT"),
        }
        return Message(
            subject=_("You are enrolled in %(course)s") % values,
            body=_("You are enrolled in %(course)s, cohort %(cohort)s, from %(date)s.") % values,
            url=course.url or "",
        )

    return notify(
        event=ENROLLED,
        recipients=[learner],
        target=f"cohort:{cohort.pk}",
        message=message,
    )


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

    A write only when the place changes; no query when the enrolment in hand (just
    read by the page) already names it.
    """
    if enrolment.last_item_key == item_key:
        return
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
        # assessed coursework other apps add (assignments) counts with the module tests
        others = [t for t in learning_item_types() if t not in (LessonPage, QuizPage)]
        if others:
            parts.append(learning_item_q(types=others, required=True))
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


def item_complete(
    *,
    enrolment: Enrolment,
    course: CoursePage,
    item_key: UUID,
    source: str,
    late: bool = False,
    at: datetime | None = None,
) -> None:
    """Mark one lesson or test done, then record the course if that completes it.

    ``late``: done after it was due for the learner's cohort; kept as it was then, so a
    due date moved afterwards does not rewrite what happened. ``at``: when (now if not
    given).
    """
    completion = ItemCompletion(
        enrolment=enrolment,
        item_key=item_key,
        source=source,
        late=late,
        completed_at=at or timezone.now(),
    )
    ItemCompletion.objects.bulk_create(
        [completion],
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


def lesson_complete(*, learner, lesson: Page, now: datetime | None = None) -> Enrolment:
    """The learner marks a lesson done (at most seven queries, however big the course).

    Refused (``NotReleased``) before the learner's cohort opens its module; after the
    due date it is accepted and marked late.
    """
    now = now or timezone.now()
    enrolment, course = _enrolment_in_course_of(learner=learner, page=lesson)
    release, _dates = selectors.item_release(enrolment=enrolment, page=lesson, now=now)
    if release.locked:
        raise NotReleased
    item_complete(
        enrolment=enrolment,
        course=course,
        item_key=lesson.translation_key,
        source=ItemCompletion.Source.LEARNER,
        late=release.is_late(now),
        at=now,
    )
    return enrolment


def quiz_page_passed(
    *, learner, quiz_page: QuizPage, submitted_at: datetime | None = None
) -> Enrolment:
    """The quizzes app calls this when a learner passes the quiz a QuizPage hosts.

    ``submitted_at``: when the learner handed the attempt in; it, not the moment the
    result was released, decides whether the test was late for the cohort's due date.
    """
    enrolment, course = _enrolment_in_course_of(learner=learner, page=quiz_page)
    release, _dates = selectors.item_release(enrolment=enrolment, page=quiz_page)
    item_complete(
        enrolment=enrolment,
        course=course,
        item_key=quiz_page.translation_key,
        source=ItemCompletion.Source.QUIZ,
        late=release.is_late(submitted_at or timezone.now()),
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


def item_place_in_course_order(*, page: Page) -> None:
    """Put a newly created lesson before its module's tests, a module test before the
    final exam: Wagtail adds a page after its last sibling, which would put a lesson a
    trainer adds after the test that examines it."""
    page = page.specific
    if isinstance(page, LessonPage):
        later = QuizPage.objects.sibling_of(page)
    elif isinstance(page, QuizPage) and page.kind == QuizPage.Kind.MODULE_TEST:
        later = QuizPage.objects.sibling_of(page).filter(kind=QuizPage.Kind.FINAL_EXAM)
    else:
        return
    first_later = later.filter(path__lt=page.path).order_by("path").first()
    if first_later is not None:
        # no user: this is the site keeping its order, not a move the creator asked for
        page.move(first_later, pos="left")


def is_translation_source(page: Page) -> bool:
    """Is this copy of a page the one the other languages translate from?

    Not if wagtail-localize made it as a translation; yes if wagtail-localize took it as
    a source; otherwise (copies made by hand, or a page in one language only) the copy
    made first is the original.
    """
    key = page.translation_key
    if Translation.objects.filter(source__object_id=key, target_locale=page.locale_id).exists():
        return False
    if TranslationSource.objects.filter(object_id=key, locale=page.locale_id).exists():
        return True
    first = Page.objects.filter(translation_key=key).order_by("pk").values("locale_id")[:1]
    return first[0]["locale_id"] == page.locale_id


@transaction.atomic
def translation_drafts_sync(*, page: Page, user=None) -> list[Page]:
    """Offer a course page created or changed in its own language to the other ones.

    Every language whose tree has the page's parent but not the page gets a draft
    translation of it (wagtail-localize's synced translation, not live, its text still
    the source's) for a translator to finish and publish. Translations that exist are
    left as they are: their source is refreshed, so the translation editor shows the
    new text and the translations report counts them out of date until republished.
    Returns the drafts made.
    """
    page = page.specific
    if not isinstance(page, translated_page_types()) or page.alias_of_id:
        return []
    if not is_translation_source(page):
        return []
    copies = Page.objects.filter(translation_key=page.translation_key).values("locale_id")
    parent_key = Page.objects.filter(path=page.path[: -Page.steplen]).values("translation_key")
    missing = Locale.objects.filter(
        pk__in=Page.objects.filter(translation_key__in=parent_key).values("locale_id")
    ).exclude(pk__in=copies)
    has_source = TranslationSource.objects.filter(
        object_id=page.translation_key, locale=page.locale_id
    ).exists()
    missing = list(missing)
    if not missing and not has_source:
        return []  # nothing to offer, nothing to refresh: leave wagtail-localize out of it
    source, _created = TranslationSource.update_or_create_from_instance(page)
    drafts = []
    for locale in missing:
        translation, _created = Translation.objects.update_or_create(
            source=source, target_locale=locale, defaults={"enabled": True}
        )
        translation.save_target(user=user, publish=False)
        draft = page.get_translation(locale)
        item_place_in_course_order(page=draft)  # added last by wagtail-localize
        drafts.append(draft)
    return drafts


@transaction.atomic
def cohort_dates_set(
    *, cohort: Cohort, dates: dict[UUID, tuple[datetime | None, datetime | None]], actor: str
) -> int:
    """Set the cohort's opening and due dates of its course's modules and tests.

    ``dates`` maps an item's translation key to (opens_at, due_at); an item given
    neither loses its dates, an item left out keeps them. A changed row's ``sequence``
    grows, so calendars holding the deadline replace it. Returns how many items changed.
    """
    allowed = {item.key for item in selectors.dated_items(course=cohort.course)}
    if set(dates) - allowed:
        raise ValidationError(_("Only the modules and tests of this course have dates."))
    existing = {row.item_key: row for row in CohortItemDates.objects.filter(cohort=cohort)}
    changed = 0
    for key, (opens_at, due_at) in dates.items():
        if opens_at and due_at and due_at <= opens_at:
            raise ValidationError(_("The due date must come after the opening."))
        row = existing.get(key)
        if row is None:
            if opens_at or due_at:
                CohortItemDates.objects.create(
                    cohort=cohort, item_key=key, opens_at=opens_at, due_at=due_at
                )
                changed += 1
        elif not (opens_at or due_at):
            row.delete()
            changed += 1
        elif (row.opens_at, row.due_at) != (opens_at, due_at):
            row.opens_at, row.due_at, row.sequence = opens_at, due_at, row.sequence + 1
            row.save(update_fields=["opens_at", "due_at", "sequence", "updated_at"])
            changed += 1
    if changed:
        log_event("cohort_dates", actor=actor, cohort=cohort.pk, changed=changed)
    return changed


def announcement_post(
    *,
    cohort: Cohort,
    author,
    subject: str,
    body: str,
    channels: Collection[str] = (),
    enrolments: Iterable[Enrolment] | None = None,
) -> Announcement:
    """A trainer's announcement to ``cohort``: to its active learners, or to those of
    ``enrolments`` (learners falling behind, chosen in the progress report) who are
    active in it. Subject and body are kept as plain text (any markup stripped); each
    learner finds it in their inbox and, where they allow it, on the ``channels`` chosen.
    """
    subject, body = strip_markup(subject)[:150], strip_markup(body)[:5000]
    if not subject or not body:
        raise ValidationError(_("Write a subject and a message."), code="empty")
    learners = Enrolment.objects.filter(
        cohort=cohort, status=Enrolment.Status.ACTIVE, learner__is_active=True
    )
    if enrolments is not None:
        learners = learners.filter(pk__in=[enrolment.pk for enrolment in enrolments])
    recipients = [enrolment.learner for enrolment in learners.select_related("learner")]
    announcement = Announcement.objects.create(
        cohort=cohort,
        author=author,
        subject=subject,
        body=body,
        channels=sorted(channels),
        to_whole_cohort=enrolments is None,
        recipients_count=len(recipients),
    )

    def message(learner) -> Message:
        # The learner's own words stay as the trainer wrote them; only the frame is
        # in the learner's language.
        return Message(
            subject=subject,
            body=_("%(cohort)s, from %(author)s:")
            % {
                "cohort": cohort.local_name,
                "author": author.full_name if author else "",
            }
            + "\n\n"
            + body,
            url=reverse("dashboard"),
        )

    notify(
        event="announcement",
        recipients=recipients,
        target=f"announcement:{announcement.pk}",
        message=message,
        channels=set(channels),
    )
    log_event("announce", actor=author.email if author else "system", cohort=cohort.pk)
    return announcement
