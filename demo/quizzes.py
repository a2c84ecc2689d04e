"""Demo quizzes for ``seed_demo``: a test per module, the final exam, a team-roles
self-assessment. Built from ``quizzes.demo_content``; running it again changes nothing."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from quizzes.models import AcceptedAnswer, Category, Choice, Question, Quiz, QuizSlot, Scale

BANK = "Программа для избранных акимов"


def _question(category: Category, spec: dict) -> Question:
    kind = spec.get("type", "rating")
    question, created = Question.objects.get_or_create(
        category=category,
        name=spec["name"],
        defaults={
            "type": kind,
            "text": spec["text"],
            "default_mark": Decimal(str(spec.get("mark", 1))),
            "feedback_correct": spec.get("feedback_correct", ""),
            "feedback_incorrect": spec.get("feedback_incorrect", ""),
            "explanation": spec.get("explanation", ""),
            "correct_bool": spec.get("correct"),
        },
    )
    if not created:
        return question
    for order, (text, fraction) in enumerate(spec.get("choices", [])):
        Choice.objects.create(
            question=question, text=text, fraction=Decimal(str(fraction)), sort_order=order
        )
    for answer in spec.get("answers", []):
        if kind == Question.Type.NUMERIC:
            value, tolerance, fraction = answer
        else:
            (value, fraction), tolerance = answer, 0
        AcceptedAnswer.objects.create(
            question=question,
            text=str(value),
            tolerance=Decimal(str(tolerance)),
            fraction=Decimal(str(fraction)),
        )
    for order, (text, scale_name) in enumerate(spec.get("statements", [])):
        Choice.objects.create(
            question=question,
            text=text,
            scale=Scale.objects.get(name=scale_name),
            sort_order=order,
        )
    return question


def _quiz(spec: dict, category: Category, **options) -> Quiz:
    quiz, created = Quiz.objects.get_or_create(
        title=spec["title"], defaults={"published": True, **options}
    )
    if created:
        for order, question_spec in enumerate(spec["questions"]):
            QuizSlot.objects.create(
                quiz=quiz, question=_question(category, question_spec), sort_order=order
            )
    return quiz


@transaction.atomic
def seed_quizzes() -> dict:
    """The module tests (in module order), the final exam and the self-assessment."""
    from demo.quizzes_tmp import FINAL_EXAM, MODULE_TESTS, SELF_ASSESSMENT

    bank, _ = Category.objects.get_or_create(name=BANK, parent=None)
    module_tests = []
    for number, spec in enumerate(MODULE_TESTS, start=1):
        category, _ = Category.objects.get_or_create(name=f"Модуль {number}", parent=bank)
        module_tests.append(_quiz(spec, category, shuffle_questions=True))
    exam_category, _ = Category.objects.get_or_create(name="Итоговый экзамен", parent=bank)
    final_exam = _quiz(
        FINAL_EXAM,
        exam_category,
        time_limit_minutes=45,
        attempts_allowed=2,
        review_when=Quiz.ReviewWhen.IMMEDIATELY,
    )
    for name in SELF_ASSESSMENT["scales"]:
        Scale.objects.get_or_create(name=name)
    roles_category, _ = Category.objects.get_or_create(name="Самооценка", parent=bank)
    self_assessment = _quiz(
        SELF_ASSESSMENT, roles_category, kind=Quiz.Kind.SELF_ASSESSMENT, pass_mark=0
    )
    return {
        "module_tests": module_tests,
        "final_exam": final_exam,
        "self_assessment": self_assessment,
    }
