"""The Q&A panel under a lesson: the latest questions of the learner's cohort and the
form to ask, or for a trainer the cohorts' threads of the lesson."""

from __future__ import annotations

from django.db.models import Count, Window
from django.template.context_processors import csrf
from laces.components import Component

from discussions import selectors
from discussions.forms import QuestionForm

LATEST = 5


class LessonQuestionsPanel(Component):
    """Light on purpose: one query for a learner, whatever the thread's length."""

    order = 100
    template_name = "discussions/lesson_panel.html"

    def __init__(self, *, request, page) -> None:
        self.request, self.page = request, page

    def get_context_data(self, parent_context=None) -> dict:
        access = self.request.learning_access
        # A component renders with its own context: the form's token is put in by hand.
        context = {"page": self.page, "request": self.request, **csrf(self.request)}
        if access.enrolment is not None:
            thread = selectors.ThreadAccess(
                cohort=access.enrolment.cohort, is_trainer=False, user=self.request.user
            )
            questions = selectors.lesson_questions(
                access=thread, item_key=self.page.translation_key
            )
            # the latest few and how many there are, in one query
            latest = list(questions.annotate(total=Window(Count("pk")))[:LATEST])
            context.update(
                cohort=thread.cohort,
                latest=latest,
                total=latest[0].total if latest else 0,
                form=QuestionForm(),
            )
        else:
            context["cohorts"] = selectors.trainer_cohorts_of(
                user=self.request.user,
                course=access.course,
                item_key=self.page.translation_key,
            )
        return context
