"""The gradebook's panel on the learner's dashboard: a link to their grades in each
course they are in."""

from __future__ import annotations

from laces.components import Component

from courses.models import Enrolment
from courses.selectors import VISIBLE_STATUSES


class MyGradesPanel(Component):
    name = "gradebook"
    order = 300
    template_name = "gradebook/dashboard_panel.html"

    def __init__(self, *, user) -> None:
        self.user = user

    def get_context_data(self, parent_context=None) -> dict:
        enrolments = (
            Enrolment.objects.filter(learner=self.user, status__in=VISIBLE_STATUSES)
            .select_related("cohort__course")
            .order_by("-enrolled_at")
        )
        return {"enrolments": list(enrolments)}
