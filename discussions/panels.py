"""The Q&A panel under a lesson: the latest questions of the learner's cohort and the
form to ask, or for a trainer the cohorts' threads of the lesson."""

from __future__ import annotations

import uuid

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from laces.components import Component

from discussions import selectors
from discussions.forms import QuestionForm
from lms.components import form_token
from lms.page_generation import DrawnMemo

LATEST = 5


class LessonQuestionsPanel(Component):
    """Light on purpose: one query for a learner, whatever the thread's length."""

    order = 100
    template_name = "discussions/lesson_panel.html"

    def __init__(self, *, request, page) -> None:
        self.request, self.page = request, page

    def get_context_data(self, parent_context=None) -> dict:
        access = self.request.learning_access
        context = {
            "page": self.page,
            "request": self.request,
            **form_token(request=self.request, parent_context=parent_context),
        }
        if access.enrolment is not None:
            thread = selectors.ThreadAccess(
                cohort=access.enrolment.cohort, is_trainer=False, user=self.request.user
            )
            # the latest few and how many there are, in one query
            latest = selectors.latest_lesson_questions(
                access=thread, item_key=self.page.translation_key, count=LATEST
            )
            context.update(
                cohort=thread.cohort,
                latest=latest,
                total=latest[0].total if latest else 0,
                fields_html=blank_question_fields(),
            )
        else:
            context["cohorts"] = selectors.trainer_cohorts_of(
                user=self.request.user,
                course=access.course,
                item_key=self.page.translation_key,
            )
        return context


# The blank ask form is the same on every lesson but for its submit key, and Django
# draws each widget through templates: drawn once per language in each process.
_blank_fields = DrawnMemo(size=16)
_KEY_HOLE = uuid.UUID(int=0)


def blank_question_fields() -> SafeString:
    """The fields of an empty ``QuestionForm``, with a fresh submit key."""
    html = _blank_fields.get(
        get_language(),
        lambda: render_to_string(
            "discussions/includes/fields.html",
            {"form": QuestionForm(initial={"submit_key": _KEY_HOLE})},
        ),
    )
    # the template escaped the labels; the key is a UUID's text
    return mark_safe(html.replace(str(_KEY_HOLE), str(uuid.uuid4())))  # noqa: S308
