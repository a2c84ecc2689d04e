"""The demo course's grading scheme, and the demo cohort's gradebook built from it;
seeding twice changes nothing."""

from django.core.management import call_command

from courses.models import Cohort
from gradebook.models import CourseGradingScheme, GradingBand
from gradebook.selectors import cohort_gradebook


def test_the_demo_grading_scheme_and_gradebook(db):
    call_command("seed_demo", verbosity=0)
    scheme = CourseGradingScheme.objects.get()
    assert [band.label for band in scheme.bands.all()] == ["F", "D", "C", "B", "A"]
    cohort = Cohort.objects.get(invite_code="AKMOLA21")
    book = cohort_gradebook(cohort=cohort)
    assert book.items and book.rows
    assert any(row.total is not None and row.band for row in book.rows)
    call_command("seed_demo", verbosity=0)
    assert CourseGradingScheme.objects.count() == 1
    assert GradingBand.objects.count() == 5
