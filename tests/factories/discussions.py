"""Questions and answers for tests, written straight to the database."""

from __future__ import annotations

from discussions.models import Answer, Question, Status


def build_question(cohort, lesson, author, *, title="Как утвердить бюджет?", **fields) -> Question:
    return Question.objects.create(
        cohort=cohort,
        item_key=lesson.translation_key,
        author=author,
        title=title,
        body=fields.pop("body", "Кто подписывает решение?"),
        status=fields.pop("status", Status.VISIBLE),
        **fields,
    )


def build_answer(question, author, *, body="Маслихат утверждает.", **fields) -> Answer:
    return Answer.objects.create(
        question=question,
        author=author,
        body=body,
        status=fields.pop("status", Status.VISIBLE),
        **fields,
    )
