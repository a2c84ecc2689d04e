"""Saving parsed questions into the bank: all of them, or none.

``read_file`` reads a GIFT or Moodle XML file into plain data; ``import_questions``
refuses the lot if any problem is fatal (a malformed file or question), else creates
the categories and questions in one transaction, skipping only questions of types we
do not support. A dry run does the same work and rolls it back.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import bleach
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from quizzes.interchange import (
    ParsedQuestion,
    ParseProblem,
    split_category_path,
)
from quizzes.interchange.gift import parse_gift
from quizzes.interchange.moodle_xml import parse_moodle_xml
from quizzes.models import AcceptedAnswer, Category, Choice, Question

GIFT, MOODLE_XML = "gift", "moodle-xml"
FORMATS = (GIFT, MOODLE_XML)

# What an imported question's HTML may keep: a file from elsewhere is not trusted.
QUESTION_TAGS = [
    "p",
    "img",
    "br",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "sub",
    "sup",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
]


def clean_question_html(html: str) -> str:
    return bleach.clean(html, tags=QUESTION_TAGS, attributes={"img": ["src", "alt"]}, strip=True)


class ImportFailed(Exception):
    """The file cannot be imported as it is; nothing was saved."""

    def __init__(self, problems: list[ParseProblem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass
class ImportReport:
    imported: int
    skipped: int
    problems: list[ParseProblem] = field(default_factory=list)  # the skipped questions
    dry_run: bool = False
    categories_created: int = 0


def decode_text(data: bytes) -> str:
    """A text file as people save it here: UTF-8 (with or without BOM), UTF-16 with a
    BOM (Notepad's "Unicode"), else Windows-1251."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1251")


def read_file(
    source: str | os.PathLike | bytes | IO[bytes], format: str
) -> tuple[list[ParsedQuestion], list[ParseProblem]]:
    """Parse a question file given as a path, its bytes or an open binary file.

    ``format`` is ``"gift"`` or ``"moodle-xml"``.
    """
    if format not in FORMATS:
        raise ValueError(f"Unknown question file format {format!r}: use one of {FORMATS}")
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    elif hasattr(source, "read"):
        data = source.read()
    else:
        data = Path(source).read_bytes()
    if format == MOODLE_XML:
        return parse_moodle_xml(data)
    try:
        text = decode_text(data)
    except UnicodeDecodeError:
        reason = _("the file is neither UTF-8 nor Windows-1251 text")
        return [], [ParseProblem("file", "", reason)]
    return parse_gift(text)


def category_for_path(
    path: str, *, parent: Category | None = None, create: bool = False
) -> Category | None:
    """The category at ``path`` ("Budget/Revenues") below ``parent`` (or at the top).

    With ``create``, missing categories are made; without, None when one is missing.
    """
    segments = split_category_path(path)
    if not segments:
        return parent
    category = parent
    for name in segments:
        found = Category.objects.filter(parent=category, name=name).order_by("pk").first()
        if found is None:
            if not create:
                return None
            found = Category(parent=category, name=name)
            found.full_clean(validate_unique=False, validate_constraints=False)
            found.save()
        category = found
    return category


def import_questions(
    *,
    parsed: list[ParsedQuestion],
    problems: list[ParseProblem],
    root_category: Category,
    dry_run: bool = False,
) -> ImportReport:
    """Save ``parsed`` below ``root_category``, following each question's category path.

    Raises :class:`ImportFailed` (and saves nothing) if any problem is fatal, or if a
    question does not pass the models' validation. Questions of unsupported types were
    left out by the parser: they are counted as skipped.
    """
    if any(problem.fatal for problem in problems):
        raise ImportFailed(problems)
    skipped = [problem for problem in problems if not problem.fatal]
    with transaction.atomic():
        categories = _Categories(root_category)
        failures: list[ParseProblem] = []
        for item in parsed:
            try:
                category = categories.get(item.category)
            except ValidationError as error:
                failures += _problems(item, error, prefix=_("category"))
                continue
            failures += _save(item, category)
        if failures:
            raise ImportFailed(failures)
        if dry_run:
            transaction.set_rollback(True)
    return ImportReport(
        imported=len(parsed),
        skipped=len(skipped),
        problems=skipped,
        dry_run=dry_run,
        categories_created=categories.created,
    )


class _Categories:
    """Categories by path below the root, found or made once each."""

    def __init__(self, root: Category):
        self.root, self.created = root, 0
        self.cache: dict[tuple[int, str], Category] = {}

    def get(self, path: str | None) -> Category:
        category = self.root
        for name in split_category_path(path or ""):
            key = (category.pk, name)
            if key not in self.cache:
                found = Category.objects.filter(parent=category, name=name).order_by("pk").first()
                if found is None:
                    found = Category(parent=category, name=name)
                    found.full_clean(validate_unique=False, validate_constraints=False)
                    found.save()
                    self.created += 1
                self.cache[key] = found
            category = self.cache[key]
        return category


def _problems(item: ParsedQuestion, error: ValidationError, prefix: str = "") -> list[ParseProblem]:
    messages = []
    for name, errors in error.message_dict.items():
        label = " ".join(part for part in (prefix, name if name != "__all__" else "") if part)
        messages += [f"{label}: {message}" if label else message for message in errors]
    return [ParseProblem(item.source_position, item.type, message) for message in messages]


def _save(item: ParsedQuestion, category: Category) -> list[ParseProblem]:
    question = Question(
        category=category,
        type=item.type,
        name=item.name,
        text=clean_question_html(item.text),
        default_mark=item.default_mark,
        feedback_correct=item.feedback_correct,
        feedback_incorrect=item.feedback_incorrect,
        explanation=item.general_feedback,
        shuffle_choices=item.shuffle_choices,
        correct_bool=item.correct_bool,
    )
    try:
        question.full_clean(exclude=["category"])
    except ValidationError as error:
        return _problems(item, error)
    question.save()
    choices = [
        Choice(
            question=question,
            text=choice.text,
            fraction=choice.fraction,
            feedback=choice.feedback,
            sort_order=number,
        )
        for number, choice in enumerate(item.choices)
    ]
    answers = [
        AcceptedAnswer(
            question=question,
            text=answer.text,
            tolerance=answer.tolerance,
            fraction=answer.fraction,
            feedback=answer.feedback,
        )
        for answer in item.accepted
    ]
    failures = []
    for child in [*choices, *answers]:
        try:
            child.full_clean(exclude=["question"])
        except ValidationError as error:
            failures += _problems(item, error, prefix=_("answer"))
    if failures:
        return failures
    Choice.objects.bulk_create(choices)
    AcceptedAnswer.objects.bulk_create(answers)
    return []
