"""The demo Q&A for ``seed_demo`` (``demo/content/course/questions.yaml``): a few
questions of the current demo cohort under the course's first lesson, one answered
and marked as the answer, one unanswered, one awaiting approval. Written through the
services, with a fixed form key per post, so seeding again adds nothing."""

from __future__ import annotations

import uuid

import yaml
from django.db import transaction

from courses.models import Cohort, LessonPage
from demo.course import CONTENT
from discussions import selectors, services
from discussions.models import CourseQuestionRule, Status
from lms.models import User

KEYS = uuid.UUID("6f1d2c3e-8a4b-4c5d-9e6f-7a8b9c0d1e2f")  # the namespace of the form keys


def _access(email: str, cohort: Cohort) -> selectors.ThreadAccess:
    return selectors.thread_access(user=User.objects.get(email=email), cohort=cohort)


@transaction.atomic
def seed_discussions(*, cohort: Cohort) -> None:
    data = yaml.safe_load((CONTENT / "questions.yaml").read_text(encoding="utf-8"))
    CourseQuestionRule.objects.update_or_create(
        course=cohort.course, defaults={"premoderation": data["premoderation"]}
    )
    lesson = LessonPage.objects.descendant_of(cohort.course).live().order_by("path").first()
    trainer = _access(cohort.trainers.order_by("pk").first().email, cohort)
    for item in data["questions"]:
        question = services.question_ask(
            access=_access(item["author"], cohort),
            lesson=lesson,
            title=item["title"],
            body=item["body"],
            submit_key=uuid.uuid5(KEYS, item["key"]),
        )
        if item["approved"] and question.status == Status.PENDING:
            services.post_moderate(access=trainer, post=question, status=Status.VISIBLE)
        for reply in item["answers"]:
            answer = services.answer_post(
                access=_access(reply["author"], cohort),
                question=question,
                body=reply["body"],
                submit_key=uuid.uuid5(KEYS, reply["key"]),
            )
            if reply.get("accepted"):
                services.answer_accept(access=trainer, answer=answer)
