"""The learner's own column of the gradebook: their items, the grades released to
them, their total and band."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from courses.selectors import course_titles, title_in
from gradebook import selectors


@login_required
def my_grades(request: HttpRequest, course_key: UUID) -> HttpResponse:
    """The learner's grades in a course they are enrolled in; 404 for anyone else
    (another learner's course, a course they are not in)."""
    enrolment = selectors.learner_enrolment(user=request.user, course_key=course_key)
    if enrolment is None:
        raise Http404
    book = selectors.cohort_gradebook(
        cohort=enrolment.cohort, enrolment=enrolment, learner_view=True
    )
    course = enrolment.cohort.course
    return render(
        request,
        "gradebook/my_grades.html",
        {
            "book": book,
            "row": book.rows[0],
            "course": course,
            "course_title": title_in(course_titles([course_key]), course),
        },
    )
