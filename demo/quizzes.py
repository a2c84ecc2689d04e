"""Demo quizzes for ``seed_demo``: a test per module, the final exam, a team-roles
self-assessment, read from ``demo/content/quizzes``.

The graded quizzes' questions are GIFT files imported through the question bank's own
importer; ``quizzes.yaml`` adds what GIFT cannot say (quiz settings, a question's mark,
its feedback for a right or a wrong answer). The self-assessment (rating statements on
named scales, which GIFT has no type for) is ``self-assessment.yaml``. A quiz that
exists already is left as it is, so running the seed again changes nothing.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml
from django.db import transaction

from quizzes.interchange import ParsedQuestion
from quizzes.interchange.importer import (
    GIFT,
    ImportFailed,
    category_for_path,
    import_questions,
    read_file,
)
from quizzes.models import Category, Choice, Question, Quiz, QuizSlot, Scale

CONTENT = Path(__file__).resolve().parent / "content" / "quizzes"

# quizzes.yaml's names for the ParsedQuestion fields it sets.
QUESTION_FIELDS = {
    "mark": "default_mark",
    "feedback_correct": "feedback_correct",
    "feedback_incorrect": "feedback_incorrect",
}
QUIZ_SETTINGS = ("shuffle_questions", "time_limit_minutes", "attempts_allowed", "review_when")
# The suffixes of a text's translations in the yaml files: feedback_correct_kk, title_en...
TRANSLATED = ("_kk", "_en")


def _yaml(name: str) -> dict:
    return yaml.safe_load((CONTENT / name).read_text(encoding="utf-8"))


@cache
def manifest() -> dict:
    """``quizzes.yaml``: the bank's name and the graded quizzes in order, each with its
    title, GIFT file, category, settings and per-question additions."""
    return _yaml("quizzes.yaml")


def quiz_questions(entry: dict) -> list[ParsedQuestion]:
    """The questions of one of ``manifest()["quizzes"]``, with the additions applied."""
    parsed, problems = read_file(CONTENT / entry["file"], GIFT)
    if problems:
        raise ImportFailed(problems)
    additions = entry.get("questions", {})
    for question in parsed:
        for key, value in additions.get(question.name, {}).items():
            if key.endswith(TRANSLATED):
                continue  # the Kazakh and English feedback, for the per-language questions
            if key == "mark":
                value = Decimal(str(value))
            setattr(question, QUESTION_FIELDS[key], value)
    return parsed


def _graded_quiz(entry: dict, bank: Category) -> Quiz:
    quiz = Quiz.objects.filter(title=entry["title"]).first()
    if quiz is not None:
        return quiz
    parsed = quiz_questions(entry)
    import_questions(parsed=parsed, problems=[], root_category=bank)
    category = category_for_path(entry["category"], parent=bank)
    by_name = {
        question.name: question
        for question in Question.objects.filter(category=category).order_by("pk")
    }
    quiz = Quiz.objects.create(
        title=entry["title"],
        published=True,
        **{name: entry[name] for name in QUIZ_SETTINGS if name in entry},
    )
    QuizSlot.objects.bulk_create(
        QuizSlot(quiz=quiz, question=by_name[question.name], sort_order=order)
        for order, question in enumerate(parsed)
    )
    return quiz


def _self_assessment(bank: Category) -> Quiz:
    spec = _yaml("self-assessment.yaml")
    for name in spec["scales"]:
        Scale.objects.get_or_create(name=name)
    quiz = Quiz.objects.filter(title=spec["title"]).first()
    if quiz is not None:
        return quiz
    category, _ = Category.objects.get_or_create(name=spec["category"], parent=bank)
    quiz = Quiz.objects.create(
        title=spec["title"], published=True, kind=spec["kind"], pass_mark=spec["pass_mark"]
    )
    for order, question_spec in enumerate(spec["questions"]):
        question, created = Question.objects.get_or_create(
            category=category,
            name=question_spec["name"],
            defaults={"type": Question.Type.RATING, "text": question_spec["text"]},
        )
        if created:
            Choice.objects.bulk_create(
                Choice(
                    question=question,
                    text=statement["text"],
                    scale=Scale.objects.get(name=statement["scale"]),
                    sort_order=number,
                )
                for number, statement in enumerate(question_spec["statements"])
            )
        QuizSlot.objects.create(quiz=quiz, question=question, sort_order=order)
    return quiz


@transaction.atomic
def seed_quizzes() -> dict:
    """The module tests (in module order), the final exam and the self-assessment."""
    bank, _ = Category.objects.get_or_create(name=manifest()["bank"], parent=None)
    graded = [_graded_quiz(entry, bank) for entry in manifest()["quizzes"]]
    return {
        "module_tests": graded[:-1],
        "final_exam": graded[-1],
        "self_assessment": _self_assessment(bank),
    }
