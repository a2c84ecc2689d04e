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
