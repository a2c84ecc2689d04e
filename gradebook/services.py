"""Writes: a trainer's override of one learner's grade, its removal, each kept in the
cell's history; and the checks of a grading scheme's bands."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from base.text import strip_markup
from courses.models import Enrolment
from gradebook.models import GradeChange, GradeOverride
from lms.security import log_event


def bands_check(bands: list[tuple[str, Decimal]]) -> None:
    """Bands as listed, lowest first: each bound between 0 and 100, each higher than
    the one before, each label given once. Raises ValidationError otherwise."""
    labels = [label.strip() for label, _bound in bands]
    if len(set(labels)) != len(labels):
        raise ValidationError(_("Each band needs its own name."))
    bounds = [bound for _label, bound in bands]
    if any(bound < 0 or bound > 100 for bound in bounds):
        raise ValidationError(_("A band's lower bound is between 0 and 100."))
    if any(later <= earlier for earlier, later in zip(bounds, bounds[1:], strict=False)):
        raise ValidationError(
            _("List the bands from the lowest up: each starts above the one before.")
        )


def _clean_reason(reason: str) -> str:
    reason = strip_markup(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the grade is changed.")})
    return reason[:500]


@transaction.atomic
def override_set(
    *, enrolment: Enrolment, item_key: str, grade: Decimal, reason: str, actor
) -> GradeOverride:
    """Put the trainer's grade in the cell in place of its source's, with the reason;
    the change goes into the cell's history. Setting the same grade again records
    nothing new."""
    if grade < 0 or grade > 100:
        raise ValidationError({"grade": _("A grade is between 0 and 100.")})
    reason = _clean_reason(reason)
    current = (
        GradeOverride.objects.select_for_update()
        .filter(enrolment=enrolment, item_key=item_key)
        .first()
    )
    if current is not None and current.grade == grade and current.reason == reason:
        return current
    old = current.grade if current else None
    override, _created = GradeOverride.objects.update_or_create(
        enrolment=enrolment,
        item_key=item_key,
        defaults={"grade": grade, "reason": reason, "set_by": actor, "set_at": timezone.now()},
    )
    GradeChange.objects.create(
        enrolment=enrolment,
        item_key=item_key,
        old_grade=old,
        new_grade=grade,
        reason=reason,
        actor=actor,
    )
    log_event(
        "grade_override", actor=actor.email, enrolment=enrolment.pk, item=item_key, grade=str(grade)
    )
    return override


@transaction.atomic
def override_remove(*, enrolment: Enrolment, item_key: str, reason: str, actor) -> bool:
    """Take the trainer's grade out of the cell (the source's counts again), logged
    with the reason. False when there was none (a repeated request)."""
    reason = _clean_reason(reason)
    current = (
        GradeOverride.objects.select_for_update()
        .filter(enrolment=enrolment, item_key=item_key)
        .first()
    )
    if current is None:
        return False
    GradeChange.objects.create(
        enrolment=enrolment,
        item_key=item_key,
        old_grade=current.grade,
        new_grade=None,
        reason=reason,
        actor=actor,
    )
    current.delete()
    log_event("grade_override_remove", actor=actor.email, enrolment=enrolment.pk, item=item_key)
    return True
