"""The dashboard (with its next sessions) and the attendance page make the same number
of queries with 10 and with 1,000 sessions or learners."""

from datetime import timedelta

import pytest
from django.utils import timezone

from courses.models import Enrolment
from lms.models import User
from schedule.models import Attendance, Session

# Part of the contract: a change that adds a query (per row or at all) must be looked at.
# 14, one for the cohorts' release and due dates, one for the evaluation survey's panel,
# two for the gradebook's panel (the learner's courses and their titles, for the links);
# the Site comes from the process (cms.routing); the courses in the page's language are
# one query (tests/courses/test_dashboard.py); the courses' outlines come from the
# process and progress from the learner's completions (tests/courses/test_query_counts.py);
# the courses in the page's language come from the process and the gradebook's panel
# reuses the dashboard's enrolments and titles: 3 fewer; the evaluation survey's panel
# asks nothing of a learner with no completed course: 1 fewer
DASHBOARD_QUERIES = 9
ATTENDANCE_QUERIES = 6


def _sessions(cohort, n: int) -> list[Session]:
    start = timezone.now() + timedelta(hours=1)
    return Session.objects.bulk_create(
        Session(
            cohort=cohort,
            title=f"Занятие {i}",
            starts_at=start + timedelta(hours=4 * i),
            ends_at=start + timedelta(hours=4 * i + 3),
            place="Кокшетау",
        )
        for i in range(n)
    )


def _learners(cohort, n: int) -> list[User]:
    users = User.objects.bulk_create(
        User(email=f"learner{i}@example.com", full_name=f"Аким {i:04}") for i in range(n)
    )
    Enrolment.objects.bulk_create(
        Enrolment(learner=user, cohort=cohort, course_key=cohort.course.translation_key)
        for user in users
    )
    return users


@pytest.mark.parametrize("n", [10, 1000])
def test_dashboard_queries_do_not_grow_with_sessions(
    client, django_assert_num_queries, cohort, learner, trainer, n
):
    _sessions(cohort, n)
    client.force_login(learner)
    client.get("/ru/dashboard/")  # warm the site and session caches
    with django_assert_num_queries(DASHBOARD_QUERIES):
        html = client.get("/ru/dashboard/").content.decode()
    assert html.count("Кокшетау") == 5  # the next five


@pytest.mark.parametrize("n", [10, 1000])
def test_attendance_page_queries_do_not_grow_with_learners(
    client, django_assert_num_queries, cohort, trainer, n
):
    (session,) = _sessions(cohort, 1)
    users = _learners(cohort, n)
    Attendance.objects.bulk_create(
        Attendance(session=session, learner=user, status="present") for user in users[::2]
    )
    client.force_login(trainer)
    url = f"/ru/schedule/sessions/{session.pk}/attendance/"
    client.get(url)
    with django_assert_num_queries(ATTENDANCE_QUERIES):
        html = client.get(url).content.decode()
    assert html.count('value="present" checked') == len(users[::2])
