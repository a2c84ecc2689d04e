"""Asking learners and taking their answers: the invitation on completion, and the
anonymous response, once per enrolment."""

from __future__ import annotations

import html

import bleach
from django.db import transaction
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
