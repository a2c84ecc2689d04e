"""The marking queue and screen: scoped to the trainer's cohorts, points from the
server, query counts flat."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assignments import services
from assignments.models import Submission
from courses.models import ItemCompletion
from tests.factories.assignments import pdf_bytes, upload


def hand_in(learner, page):
    services.draft_save(learner=learner, page=page, text="План")
    return services.submission_submit(learner=learner, page=page)


@pytest.fixture
def submission(assignment, enrolment, learner):
    hand_in(learner, assignment)
    return Submission.objects.get()


def test_the_queue_lists_the_trainers_cohorts_only(client, submission, trainer, other_trainer):
    client.force_login(trainer)
    response = client.get(reverse("assignments_queue"))
    assert response.status_code == 200
    assert "akim@example.com" in response.content.decode()
    client.force_login(other_trainer)
    response = client.get(reverse("assignments_queue"))
    assert "akim@example.com" not in response.content.decode()


def test_another_cohorts_trainer_gets_404_on_the_marking_screen(client, submission, other_trainer):
    client.force_login(other_trainer)
    assert client.get(reverse("assignments_mark", args=[submission.pk])).status_code == 404
    response = client.post(reverse("assignments_mark", args=[submission.pk]), {"action": "mark"})
    assert response.status_code == 404
    assert Submission.objects.get().state == Submission.State.SUBMITTED


def test_a_learner_may_not_open_the_queue(client, submission, learner):
    client.force_login(learner)
    assert client.get(reverse("assignments_queue")).status_code in (302, 403)


def test_marking_with_the_rubric(client, submission, assignment, trainer, enrolment):
    client.force_login(trainer)
    url = reverse("assignments_mark", args=[submission.pk])
    assert client.get(url).status_code == 200
    data = {f"criterion-{c.id}": "2" for c in assignment.criteria}
    data |= {"action": "mark", "comment": "Отлично", "points": "0", "total": "1"}
    response = client.post(url, data)
    assert response.status_code == 302
    version = Submission.objects.get().versions.get()
    assert version.points == Decimal("10")  # the levels' points, not the forged fields
    assert ItemCompletion.objects.filter(enrolment=enrolment).exists()


def test_return_for_revision_with_an_annotated_file(client, submission, trainer):
    client.force_login(trainer)
    response = client.post(
        reverse("assignments_mark", args=[submission.pk]),
        {
            "action": "return",
            "comment": "Добавьте смету",
            "feedback_file": upload("n.pdf", pdf_bytes()),
        },
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == Submission.State.RETURNED
    version = submission.versions.get()
    assert version.files.filter(feedback=True).count() == 1


def test_a_bad_annotated_file_is_refused_and_nothing_changes(client, submission, trainer):
    client.force_login(trainer)
    response = client.post(
        reverse("assignments_mark", args=[submission.pk]),
        {"action": "return", "comment": "x", "feedback_file": upload("n.pdf", b"<html>")},
    )
    assert response.status_code == 400
    assert Submission.objects.get().state == Submission.State.SUBMITTED


# 4 fewer since the course, its module and neighbours are kept in the process, "done?"
# comes with the enrolment and a page opened again writes nothing (courses.selectors)
PAGE_QUERIES = 11


def _queue_queries(client, user) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("assignments_queue"))
    assert response.status_code == 200
    return len(queries)


def test_queue_queries_do_not_grow_with_submissions(client, assignment, cohort, trainer):
    from django.utils import timezone

    from courses.models import Enrolment
    from lms.models import User

    def add(count, start):
        users = User.objects.bulk_create(
            User(email=f"l{start + n}@example.com", full_name=f"Аким {n}") for n in range(count)
        )
        enrolments = Enrolment.objects.bulk_create(
            Enrolment(learner=user, cohort=cohort, course_key=cohort.course.translation_key)
            for user in users
        )
        Submission.objects.bulk_create(
            Submission(
                enrolment=enrolment,
                assignment_key=assignment.translation_key,
                state=Submission.State.SUBMITTED,
                submitted_at=timezone.now(),
            )
            for enrolment in enrolments
        )

    add(10, 0)
    client.force_login(trainer)
    _queue_queries(client, trainer)  # the first request fills caches
    small = _queue_queries(client, trainer)
    add(190, 10)  # 200 waiting: the queue shows 50 a page
    assert _queue_queries(client, trainer) == small


def test_assignment_page_queries_do_not_grow_with_versions(
    client, assignment, enrolment, learner, trainer
):
    client.force_login(learner)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(assignment.url).status_code == 200
        return len(queries)

    for _n in range(2):
        hand_in(learner, assignment)
        services.submission_return(
            submission=Submission.objects.get(), page=assignment, marker=trainer, comment="x"
        )
    count()  # the first request fills caches (the site's root paths)
    small = count()
    # the course page's reads (access, dates, neighbours) and the learner's work in
    # four: the submission, its versions, their files, the draft's files
    assert small == PAGE_QUERIES
    for _n in range(6):
        hand_in(learner, assignment)
        services.submission_return(
            submission=Submission.objects.get(), page=assignment, marker=trainer, comment="x"
        )
    assert count() == small
