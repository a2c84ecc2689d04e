"""Asking learners and taking their answers: the invitation on completion, and the
anonymous response, once per enrolment."""

from __future__ import annotations

import html

import bleach
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from courses.models import Enrolment
from evaluations.models import Answer, Response, Survey, SurveyInvitation


class AlreadyAnswered(Exception):
    """The enrolment's survey has been answered (a second tab, a double click)."""


def survey_invite(*, enrolment: Enrolment) -> SurveyInvitation | None:
    """Ask the learner of a completed enrolment to answer the course's open survey;
    nothing when the course has none. Safe to call again."""
    survey = Survey.objects.filter(course_key=enrolment.course_key, is_open=True).first()
    if survey is None:
        return None
    invitation, _ = SurveyInvitation.objects.get_or_create(
        enrolment=enrolment, defaults={"survey": survey}
    )
    return invitation


def survey_invite_completed(*, survey: Survey) -> int:
    """Ask every learner who completed the course before its survey existed (or while
    it was closed) and was not asked yet; returns how many were. Nothing when the
    survey is closed. Safe to call again.

    The invitations are made in the order the learners completed the course, as if
    each had been asked on completing it, so their order tells nothing of who answers
    when.
    """
    if not survey.is_open:
        return 0
    asked = SurveyInvitation.objects.filter(enrolment=OuterRef("pk"))
    enrolments = (
        Enrolment.objects.filter(course_key=survey.course_key, status=Enrolment.Status.COMPLETED)
        .exclude(Exists(asked))
        .order_by("completed_at", "pk")
        .values_list("pk", flat=True)
    )
    invitations = [SurveyInvitation(enrolment_id=pk, survey=survey) for pk in enrolments.iterator()]
    # A learner completing at this very moment is asked by the completion receiver too:
    # the enrolment's unique invitation keeps them to one.
    SurveyInvitation.objects.bulk_create(invitations, batch_size=500, ignore_conflicts=True)
    return len(invitations)


def clean_text(text: str) -> str:
    """Free text as plain text: every tag stripped. bleach returns HTML (``&`` as
    ``&amp;``); unescaped back, "A & B" reads as typed where it is shown, always
    escaped, and in the exports."""
    return html.unescape(bleach.clean(text, tags=[], attributes={}, strip=True)).strip()


@transaction.atomic
def response_submit(
    *, invitation: SurveyInvitation, answers: dict[int, int | str | None], language: str
) -> None:
    """Record the answers (item id → score or text) anonymously and mark the invitation
    answered, exactly once.

    The conditional UPDATE is the guard: of two concurrent submits only one flips the
    flag; the other raises ``AlreadyAnswered`` and nothing of it is kept. The response
    carries the cohort, its trainers now, the language and today's date, not the learner.
    """
    flipped = SurveyInvitation.objects.filter(pk=invitation.pk, answered=False).update(
        answered=True
    )
    if not flipped:
        raise AlreadyAnswered
    invitation.answered = True
    cohort = invitation.enrolment.cohort
    response = Response.objects.create(
        survey_id=invitation.survey_id,
        cohort=cohort,
        language=language[:8],
        submitted_on=timezone.localdate(),
    )
    response.trainers.set(cohort.trainers.all())
    rows = []
    for item in invitation.survey.items.all():
        value = answers.get(item.pk)
        if item.is_likert and value:
            rows.append(Answer(response=response, item=item, score=int(value)))
        elif not item.is_likert and value and (text := clean_text(str(value))):
            rows.append(Answer(response=response, item=item, text=text))
    Answer.objects.bulk_create(rows)
