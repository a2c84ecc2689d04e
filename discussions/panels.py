"""The Q&A panel under a lesson: the latest questions of the learner's cohort and the
form to ask, or for a trainer the cohorts' threads of the lesson."""

from __future__ import annotations

import re
import uuid

from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import timezone
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

    def render_html(self, parent_context=None) -> SafeString:
        """A learner's panel from the pieces drawn for what it shows (``learner_panel``),
        a trainer's through the template."""
        if self.request.learning_access.enrolment is None:
            return super().render_html(parent_context)
        token = str(form_token(request=self.request, parent_context=parent_context)["csrf_token"])
        if token == "NOTPROVIDED":  # noqa: S105 - {% csrf_token %} would draw no field
            return super().render_html(parent_context)
        thread, latest = self._latest()
        return learner_panel(page=self.page, cohort=thread.cohort, latest=latest, csrf_token=token)

    def get_context_data(self, parent_context=None) -> dict:
        access = self.request.learning_access
        context = {
            "page": self.page,
            "request": self.request,
            **form_token(request=self.request, parent_context=parent_context),
        }
        if access.enrolment is not None:
            thread, latest = self._latest()
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

    def _latest(self) -> tuple[selectors.ThreadAccess, list]:
        """The learner's cohort's thread, and its latest few with how many there are
        (one query)."""
        thread = selectors.ThreadAccess(
            cohort=self.request.learning_access.enrolment.cohort,
            is_trainer=False,
            user=self.request.user,
        )
        latest = selectors.latest_lesson_questions(
            access=thread, item_key=self.page.translation_key, count=LATEST
        )
        return thread, latest


# A learner's panel as the template draws it, by everything it shows: the lesson, the
# cohort, each listed question's line and how many there are, in a language and time
# zone. Never by the learner: two learners who see the same lines share the piece (a
# learner's own pending question is in their key only), an edit, an answer or a new
# question makes a new key, and the least recently used fall out.
_panels = DrawnMemo(size=1024)


def learner_panel(*, page, cohort, latest: list, csrf_token: str) -> SafeString:
    """``discussions/lesson_panel.html`` for a learner, with the page's CSRF token and a
    fresh submit key filled in."""
    lines = tuple(
        (
            question.pk,
            question.title,
            question.language,
            question.status,
            question.created_at,
            question.accepted_answer_id,
            question.author.full_name,
            question.author.email,
            question.answer_count,
        )
        for question in latest
    )
    key = (
        get_language(),
        timezone.get_current_timezone_name(),
        get_script_prefix(),
        page.pk,
        cohort.pk,
        latest[0].total if latest else 0,
        lines,
    )
    pieces = _panels.get(key, lambda: _draw_learner_panel(page=page, cohort=cohort, latest=latest))
    holes = {_TOKEN: csrf_token, _SUBMIT_KEY: str(uuid.uuid4())}
    # the even pieces are drawn HTML, the odd ones the holes' names; the token is
    # letters and digits, the key a UUID's text
    return mark_safe(  # noqa: S308
        "".join([holes[piece] if index % 2 else piece for index, piece in enumerate(pieces)])
    )


_TOKEN, _SUBMIT_KEY = "token", "submit_key"


def _draw_learner_panel(*, page, cohort, latest: list) -> tuple[str, ...]:
    """The panel drawn with a random mark where the token and the submit key go (no
    title can hold a mark made after it was written), cut at the marks."""
    marks = {_TOKEN: uuid.uuid4().hex, _SUBMIT_KEY: uuid.uuid4().hex}
    html = render_to_string(
        LessonQuestionsPanel.template_name,
        {
            "page": page,
            "cohort": cohort,
            "latest": latest,
            "total": latest[0].total if latest else 0,
            "fields_html": mark_safe(  # noqa: S308 - the memo's HTML, a mark for the key
                _blank_fields_with_hole().replace(str(_KEY_HOLE), marks[_SUBMIT_KEY])
            ),
            "csrf_token": marks[_TOKEN],
        },
    )
    names = {mark: name for name, mark in marks.items()}
    pieces = re.split(f"({'|'.join(marks.values())})", html)
    return tuple(names[piece] if index % 2 else piece for index, piece in enumerate(pieces))


# The blank ask form is the same on every lesson but for its submit key, and Django
# draws each widget through templates: drawn once per language in each process.
_blank_fields = DrawnMemo(size=16)
_KEY_HOLE = uuid.UUID(int=0)


def _blank_fields_with_hole() -> str:
    return _blank_fields.get(
        get_language(),
        lambda: render_to_string(
            "discussions/includes/fields.html",
            {"form": QuestionForm(initial={"submit_key": _KEY_HOLE})},
        ),
    )


def blank_question_fields() -> SafeString:
    """The fields of an empty ``QuestionForm``, with a fresh submit key."""
    # the template escaped the labels; the key is a UUID's text
    return mark_safe(  # noqa: S308
        _blank_fields_with_hole().replace(str(_KEY_HOLE), str(uuid.uuid4()))
    )
