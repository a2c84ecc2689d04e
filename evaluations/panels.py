"""The survey's panel on the learner's dashboard: "Tell us about the course"."""

from __future__ import annotations

from laces.components import Component

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
        return {"pending": selectors.pending_surveys(user=self.user)}
