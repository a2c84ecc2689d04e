"""The survey's panel on the learner's dashboard: "Tell us about the course"."""

from __future__ import annotations

from laces.components import Component

from courses.models import Enrolment
from evaluations import selectors


class PendingSurveysPanel(Component):
    """A link to each completed course's survey the learner has not answered yet;
    nothing otherwise."""

    name = "evaluations"
    order = 50  # first: it is the one thing the learner is asked to do now
    template_name = "evaluations/dashboard_panel.html"

    def __init__(self, *, user) -> None:
        self.user = user

    def get_context_data(self, parent_context=None) -> dict:
        # The dashboard has loaded the learner's visible enrolments: a survey waits only
        # on a completed course, so with none completed there is nothing to ask (and
        # no query to make).
        entries = parent_context.get("courses") if parent_context is not None else None
        if entries is not None and not any(
            entry["enrolment"].status == Enrolment.Status.COMPLETED for entry in entries
        ):
            return {"pending": []}
        return {"pending": selectors.pending_surveys(user=self.user)}
