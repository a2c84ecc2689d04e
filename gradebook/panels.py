"""The gradebook's panel on the learner's dashboard: a link to their grades in each
course they are in."""

from __future__ import annotations

from laces.components import Component

from courses.models import Enrolment
from courses.selectors import VISIBLE_STATUSES, course_titles, title_in


class MyGradesPanel(Component):
    name = "gradebook"
    order = 300
    template_name = "gradebook/dashboard_panel.html"

    def __init__(self, *, user) -> None:
        self.user = user

    def get_context_data(self, parent_context=None) -> dict:
        # The dashboard has already loaded this learner's visible enrolments (newest
        # first) with each course in the page's language: reuse them, not two queries.
        entries = parent_context.get("courses") if parent_context is not None else None
        if entries is not None:
            enrolments = []
            for entry in entries:
                enrolment = entry["enrolment"]
                enrolment.course_title = entry["course"].title
                enrolments.append(enrolment)
            return {"enrolments": enrolments}
        enrolments = (
            Enrolment.objects.filter(learner=self.user, status__in=VISIBLE_STATUSES)
            .select_related("cohort__course")
            .order_by("-enrolled_at")
        )
        enrolments = list(enrolments)
        # each course named in the dashboard's language, as the course cards name it
        titles = course_titles({e.course_key for e in enrolments}) if enrolments else {}
        for enrolment in enrolments:
            enrolment.course_title = title_in(titles, enrolment.cohort.course)
        return {"enrolments": enrolments}
