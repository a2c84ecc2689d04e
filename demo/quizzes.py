"""Demo quizzes for ``seed_demo``: a test per module, the final exam, a team-roles
self-assessment, read from ``demo/content/quizzes``.

The graded quizzes' questions are GIFT files imported through the question bank's own
importer; ``quizzes.yaml`` adds what GIFT cannot say (quiz settings, a question's mark,
its feedback for a right or a wrong answer). The self-assessment (rating statements on
named scales, which GIFT has no type for) is ``self-assessment.yaml``. A quiz that
exists already is left as it is, so running the seed again changes nothing.

Translations: ``NAME.kk.gift`` and ``NAME.en.gift`` beside ``NAME.gift`` hold the same
questions (the same ``::name::``, the answers in the same order) in Kazakh and English;
keys ending in ``_kk`` or ``_en`` beside a key of the YAML files (``title_kk``,
``feedback_correct_en``, ``scales_kk``…) translate it. Whatever of them exists is
applied; the GIFT files through the importer's translation mode (questions matched by
name in the quiz's category, choices and accepted answers by order). A text already
written in a language is left as it is, so the seed stays idempotent and keeps a
trainer's own wording.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from django.utils import translation

from quizzes.interchange import ParsedQuestion, join_category_path, split_category_path
from quizzes.interchange.importer import (
    GIFT,
    ImportFailed,
    category_for_path,
    import_questions,
    read_file,
    read_file_versions,
    translate_questions_into,
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
TRANSLATIONS = ("kk", "en")  # the content is written in Russian, settings.LANGUAGE_CODE
QUIZ_TEXTS = ("title", "description", "success_text", "fail_text")


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
            if key.endswith(tuple(f"_{language}" for language in TRANSLATIONS)):
                continue  # a translation, applied once the question is saved
            if key == "mark":
                value = Decimal(str(value))
            setattr(question, QUESTION_FIELDS[key], value)
    return parsed


def _fill(obj, texts: dict[str, str | None]) -> None:
    """Write the texts (``{"text_kk": …}``) that are given and not written yet."""
    missing = {name: text for name, text in texts.items() if text and not getattr(obj, name)}
    for name, text in missing.items():
        setattr(obj, name, text)
    if missing:
        obj.save(update_fields=list(missing))


def _suffixed(spec: dict, names: tuple[str, ...], language: str) -> dict[str, str | None]:
    """``spec``'s ``title_kk``-style keys for ``names``, as the columns they fill."""
    return {f"{name}_{language}": spec.get(f"{name}_{language}") for name in names}


def _translation_file(entry: dict, language: str) -> Path | None:
    """``NAME.<language>.gift`` beside a quiz's file of ``quizzes.yaml``, if there is one."""
    path = CONTENT / entry["file"].replace(".gift", f".{language}.gift")
    return path if path.exists() else None


def _import_translation(entry: dict, language: str, path: Path) -> None:
    """The file's questions as ``language``'s texts of the quiz's questions, through the
    importer's translation mode; only texts still empty are written (a trainer's own
    wording stays, a second seed changes nothing). A question of the file that is not in
    the quiz's category, or that has other answers, stops the seed."""
    where = path.name
    category_path = join_category_path(
        [manifest()["bank"], *split_category_path(entry["category"])]
    )
    versions = read_file_versions(path, GIFT, language=language)
    try:
        report = translate_questions_into(
            questions=versions.questions,
            problems=versions.problems,
            category_path=category_path,
            keep_written=True,
        )
    except ImportFailed as failed:
        raise ValueError(f"{where}: {failed}") from None
    if report.problems:
        raise ValueError(f"{where}: " + "; ".join(str(p) for p in report.problems))


def _translate_graded(entry: dict, quiz: Quiz, bank: Category) -> None:
    category = category_for_path(entry["category"], parent=bank)
    for language in TRANSLATIONS:
        _fill(quiz, _suffixed(entry, QUIZ_TEXTS, language))
        _fill(category, {f"name_{language}": entry.get(f"category_{language}")})
        if path := _translation_file(entry, language):
            _import_translation(entry, language, path)
        # Read after the file's texts are in: the YAML's fill only what it left empty.
        questions = {
            question.name: question for question in Question.objects.filter(quizslot__quiz=quiz)
        }
        for name, additions in entry.get("questions", {}).items():
            _fill(
                questions[name],
                {
                    f"{key}_{language}": additions.get(f"{key}_{language}")
                    for key in ("feedback_correct", "feedback_incorrect")
                },
            )


def _graded_quiz(entry: dict, bank: Category) -> Quiz:
    quiz = Quiz.objects.filter(title=entry["title"]).first()
    if quiz is not None:
        _translate_graded(entry, quiz, bank)
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
    _translate_graded(entry, quiz, bank)
    return quiz


def _translate_self_assessment(spec: dict, quiz: Quiz, category: Category) -> None:
    questions = {
        question.name: question
        for question in Question.objects.filter(quizslot__quiz=quiz).prefetch_related("choices")
    }
    for language in TRANSLATIONS:
        _fill(quiz, _suffixed(spec, QUIZ_TEXTS, language))
        _fill(category, {f"name_{language}": spec.get(f"category_{language}")})
        if f"scales_{language}" in spec:  # the scales' names in the same order
            for name, translated in zip(spec["scales"], spec[f"scales_{language}"], strict=True):
                _fill(Scale.objects.get(name=name), {f"name_{language}": translated})
        for question_spec in spec["questions"]:
            question = questions[question_spec["name"]]
            _fill(question, _suffixed(question_spec, ("text",), language))
            statements = zip(question.choices.all(), question_spec["statements"], strict=True)
            for choice, statement in statements:
                _fill(choice, _suffixed(statement, ("text",), language))


def _self_assessment(bank: Category) -> Quiz:
    spec = _yaml("self-assessment.yaml")
    for name in spec["scales"]:
        Scale.objects.get_or_create(name=name)
    category, _ = Category.objects.get_or_create(name=spec["category"], parent=bank)
    quiz = Quiz.objects.filter(title=spec["title"]).first()
    if quiz is not None:
        _translate_self_assessment(spec, quiz, category)
        return quiz
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
    _translate_self_assessment(spec, quiz, category)
    return quiz


@transaction.atomic
def seed_quizzes() -> dict:
    """The module tests (in module order), the final exam and the self-assessment."""
    # The content is Russian: ``title=``, ``name=`` and ``text=`` read and write the
    # Russian columns whatever language the caller has active.
    with translation.override(settings.LANGUAGE_CODE):
        bank, _ = Category.objects.get_or_create(name=manifest()["bank"], parent=None)
        for language in TRANSLATIONS:
            _fill(bank, {f"name_{language}": manifest().get(f"bank_{language}")})
        graded = [_graded_quiz(entry, bank) for entry in manifest()["quizzes"]]
        return {
            "module_tests": graded[:-1],
            "final_exam": graded[-1],
            "self_assessment": _self_assessment(bank),
        }
