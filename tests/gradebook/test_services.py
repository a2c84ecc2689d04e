"""Overrides (idempotent, reasoned, logged) and the bands' checks."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gradebook.models import GradeChange, GradeOverride
from gradebook.services import bands_check, override_remove, override_set

pytestmark = pytest.mark.django_db


def test_setting_the_same_override_twice_records_it_once(cohort, tests, learner, trainer):
    _user, enrolment = learner
    item = f"test:{tests[0].translation_key}"
    for _ in range(2):
        override_set(
            enrolment=enrolment, item_key=item, grade=Decimal(70), reason="Устно", actor=trainer
        )
    assert GradeOverride.objects.count() == 1
    assert GradeChange.objects.count() == 1
    override_set(
        enrolment=enrolment, item_key=item, grade=Decimal(80), reason="Устно", actor=trainer
    )
    change = GradeChange.objects.order_by("-pk").first()
    assert (change.old_grade, change.new_grade) == (Decimal(70), Decimal(80))
    assert override_remove(enrolment=enrolment, item_key=item, reason="Ошибка", actor=trainer)
    assert not override_remove(enrolment=enrolment, item_key=item, reason="Ошибка", actor=trainer)
    assert GradeChange.objects.count() == 3


@pytest.mark.parametrize("reason", ["", "   ", "<script></script>"])
def test_a_reason_is_required(cohort, tests, learner, trainer, reason):
    with pytest.raises(ValidationError):
        override_set(
            enrolment=learner[1],
            item_key="attendance",
            grade=Decimal(1),
            reason=reason,
            actor=trainer,
        )
    assert not GradeChange.objects.exists()


@pytest.mark.parametrize("value", [Decimal("-0.01"), Decimal("100.01")])
def test_a_grade_is_a_percentage(cohort, tests, learner, trainer, value):
    with pytest.raises(ValidationError):
        override_set(
            enrolment=learner[1], item_key="attendance", grade=value, reason="x", actor=trainer
        )


def test_bands_check():
    bands_check([("F", Decimal(0)), ("C", Decimal(50)), ("A", Decimal(85))])
    bands_check([])
    for bad in (
        [("A", Decimal(85)), ("B", Decimal(70))],
        [("A", Decimal(50)), ("B", Decimal(50))],
        [("A", Decimal(10)), ("A", Decimal(50))],
        [("A", Decimal(-1))],
        [("A", Decimal(101))],
    ):
        with pytest.raises(ValidationError):
            bands_check(bad)
