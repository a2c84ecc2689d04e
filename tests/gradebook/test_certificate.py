"""The certificate records the course total the learner could see at issue."""

from decimal import Decimal

import pytest

from certification.documents import printed_text
from certification.layout import layout_of
from certification.services import certificate_issue
from tests.gradebook.conftest import grade

pytestmark = pytest.mark.django_db


def test_the_certificate_records_the_course_total(cohort, tests, learner):
    user, enrolment = learner
    grade(user, tests[0], 90)
    grade(user, tests[1], 70)
    certificate = certificate_issue(enrolment=enrolment)
    assert certificate.course_total == Decimal("80.00")
    assert certificate.grade is None  # the final exam's grade stays its own field
    assert "Course total: 80%" in printed_text(certificate, layout_of(certificate), "x")


def test_without_grades_nothing_is_recorded_nor_printed(cohort, learner):
    certificate = certificate_issue(enrolment=learner[1])
    assert certificate.course_total is None
    assert "Course total" not in printed_text(certificate, layout_of(certificate), "x")


def test_the_public_verify_page_shows_no_total(client, cohort, tests, learner):
    user, enrolment = learner
    grade(user, tests[0], 91)
    certificate = certificate_issue(enrolment=enrolment)
    body = client.get(f"/v/{certificate.printed_number}", HTTP_ACCEPT="application/json").json()
    assert "91" not in str(body)


@pytest.mark.parametrize("batch", [100, 2])
def test_a_bulk_run_records_each_learners_total_from_one_gradebook_a_batch(
    cohort, tests, learner, trainer, monkeypatch, batch
):
    # Bulk issuance worked the totals out learner by learner (a gradebook each).
    from certification import services
    from certification.models import Certificate
    from courses.models import Enrolment
    from gradebook import selectors
    from tests.gradebook.conftest import enrol

    monkeypatch.setattr(services, "BULK_TOTALS_BATCH", batch)
    books = []
    real = selectors.cohort_gradebook
    monkeypatch.setattr(
        selectors, "cohort_gradebook", lambda **kwargs: books.append(1) or real(**kwargs)
    )
    learners = [learner, enrol(cohort, "b@example.com", "Б"), enrol(cohort, "c@example.com", "В")]
    for (user, _enrolment), percent in zip(learners, (90, 60, None), strict=True):
        if percent is not None:
            grade(user, tests[0], percent)
            grade(user, tests[1], percent - 10)
    Enrolment.objects.filter(cohort=cohort).update(status=Enrolment.Status.COMPLETED)
    run = services.bulk_issuance_start(cohort=cohort, requested_by=trainer)
    services.bulk_issuance_run(run_id=run.pk)
    totals = dict(Certificate.objects.values_list("holder__email", "course_total"))
    assert totals == {
        "akim@example.com": Decimal("85.00"),
        "b@example.com": Decimal("55.00"),
        "c@example.com": None,
    }
    assert len(books) == (1 if batch == 100 else 2)
