"""The demo course's grading scheme: the final exam counts twice, letter bands."""

from __future__ import annotations

from decimal import Decimal

from courses.models import CoursePage
from gradebook.models import CourseGradingScheme, GradingBand, GradingWeight, ItemKind

BANDS = (("F", 0), ("D", 50), ("C", 60), ("B", 75), ("A", 90))


def seed_grading_scheme(*, course: CoursePage) -> CourseGradingScheme:
    """The scheme once (idempotent: a scheme the methodologist changed stays as it is)."""
    scheme, created = CourseGradingScheme.objects.get_or_create(
        course_key=course.translation_key, defaults={"course": course}
    )
    if created:
        GradingWeight.objects.create(scheme=scheme, kind=ItemKind.FINAL_EXAM, weight=Decimal(2))
        for order, (label, bound) in enumerate(BANDS):
            GradingBand.objects.create(
                scheme=scheme, sort_order=order, label=label, lower_bound=Decimal(bound)
            )
    return scheme
