"""Saving parsed questions into the bank: all of them, or none.

``read_file`` reads a GIFT or Moodle XML file into plain data; ``import_questions``
refuses the lot if any problem is fatal (a malformed file or question), else creates
the categories and questions in one transaction, skipping only questions of types we
do not support. A dry run (``import_questions(dry_run=True)``, or
``check_questions`` for a category that may not exist yet) checks every question the
same way and saves nothing.

Big files are the reason for the shape: every question, choice and accepted answer is
built and validated in memory first (``full_clean``, as a save would), then written
a batch at a time with ``bulk_create``, so an import costs a few queries per batch of
questions and one or two per category, never some per question. ``bulk_create`` sends
no ``post_save``, so the rows Wagtail's reference index would have recorded for each
question (its category) are written here too, a batch at a time.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from bleach.sanitizer import Cleaner
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from wagtail.models import ReferenceIndex

from lms import page_generation
from quizzes import i18n
from quizzes.interchange import (
    ParsedQuestion,
    ParseProblem,
    join_category_path,
    multilang,
    split_category_path,
)
from quizzes.interchange.files import link_files, removed_on_failure
from quizzes.interchange.gift import parse_gift
from quizzes.interchange.moodle_xml import parse_moodle_xml, resolve_moodle_xml
from quizzes.models import AcceptedAnswer, Category, Choice, Question

GIFT, MOODLE_XML = "gift", "moodle-xml"
FORMATS = (GIFT, MOODLE_XML)

# What an imported question's HTML may keep: a file from elsewhere is not trusted.
QUESTION_TAGS = [
    "p",
    "a",
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


QUESTION_ATTRIBUTES = {"img": ["src", "alt"], "a": ["href", "title"]}

# Questions written per INSERT (and per progress report). SQLite's limit on the
# variables of one statement is met by Django splitting a batch further if need be.
BATCH_SIZE = 500

# Called with the stage ("checking" or "importing") and the questions done so far.
Progress = Callable[[str, int], None]
CHECKING, IMPORTING = "checking", "importing"


def _cleaner() -> Cleaner:
    # One per import: building it costs more than cleaning a question, and a Cleaner
    # must not be shared between threads.
    return Cleaner(tags=QUESTION_TAGS, attributes=QUESTION_ATTRIBUTES, strip=True)


def clean_question_html(html: str, cleaner: Cleaner | None = None) -> str:
    return (cleaner or _cleaner()).clean(html)


class ImportFailed(Exception):
    """The file cannot be imported as it is; nothing was saved."""

    def __init__(self, problems: list[ParseProblem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass
class CategoryCount:
    """Where the questions go: a path below the import's root ("" for the root)."""

    path: str
    questions: int = 0
    new: bool = False  # the category does not exist yet (created by the import)


@dataclass
class ImportReport:
    imported: int
    skipped: int
    # The questions skipped, and files left out of imported ones (``skips`` false).
    problems: list[ParseProblem] = field(default_factory=list)
    dry_run: bool = False
    categories_created: int = 0
    categories: list[CategoryCount] = field(default_factory=list)


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
    data = _read_bytes(source)
    if format == MOODLE_XML:
        return parse_moodle_xml(data)
    try:
        text = decode_text(data)
    except UnicodeDecodeError:
        reason = _("the file is neither UTF-8 nor Windows-1251 text")
        return [], [ParseProblem("file", "", reason)]
    return parse_gift(text)


@dataclass
class Versions:
    """A question file read once per language it is written in.

    ``questions[language]`` lists the same questions in the same order in each
    language; ``language`` is the one the questions are made in (the others are
    their translations). A file without multi-language markup has one version, in
    the language the uploader says it is in.
    """

    language: str
    questions: dict[str, list[ParsedQuestion]]
    problems: list[ParseProblem]

    @property
    def parsed(self) -> list[ParsedQuestion]:
        return self.questions[self.language]


def read_file_versions(
    source: str | os.PathLike | bytes | IO[bytes], format: str, *, language: str
) -> Versions:
    """:func:`read_file`, once per language of the site the file has texts in
    (Moodle's multi-language markup, see ``quizzes.interchange.multilang``).

    The versions must agree on everything but their words (the number of questions,
    each one's type, choices and answers): a file where they do not is refused.
    Texts in languages the site does not have are left out, and the report says so.
    """
    if format not in FORMATS:
        raise ValueError(f"Unknown question file format {format!r}: use one of {FORMATS}")
    data = _read_bytes(source)
    if format == MOODLE_XML:
        found, read = resolve_moodle_xml(data)
    else:
        try:
            text = decode_text(data)
        except UnicodeDecodeError:
            found, read = [], None
        else:
            found = multilang.languages(text)

            def read(code: str) -> tuple[list[ParsedQuestion], list[ParseProblem]]:
                return parse_gift(multilang.resolve(text, code))

    site = [code for code, _name in settings.LANGUAGES]
    wanted = [code for code in site if code in found]
    if not wanted or read is None:
        parsed, problems = read_file(data, format)
        return Versions(language, {language: parsed}, problems)
    primary = language if language in wanted else wanted[0]
    parsed, problems = read(primary)
    questions = {primary: parsed}
    for code in wanted:
        if code != primary:
            questions[code], _problems = read(code)
            problems += _mismatches(parsed, questions[code], code)
    left_out = [code for code in found if code not in site and code.split("_")[0] not in site]
    if left_out:
        reason = _("texts in %(languages)s are not imported: the site's languages are %(site)s") % {
            "languages": ", ".join(left_out),
            "site": ", ".join(site),
        }
        problems.append(ParseProblem("file", "", reason, fatal=False, skips=False))
    return Versions(primary, questions, problems)


def _mismatches(
    parsed: list[ParsedQuestion], other: list[ParsedQuestion], code: str
) -> list[ParseProblem]:
    """What keeps ``other`` (the file in language ``code``) from being a translation of
    ``parsed``: each a fatal problem."""
    language = get_language_info(code)["name_local"]
    if len(other) != len(parsed):
        reason = _("the %(language)s version has %(count)s questions, not %(expected)s") % {
            "language": language,
            "count": len(other),
            "expected": len(parsed),
        }
        return [ParseProblem("file", "", reason)]
    problems = []
    for item, translated in zip(parsed, other, strict=True):
        if _shape(item) != _shape(translated):
            reason = _(
                "the %(language)s version of this question differs in its type, choices or "
                "answers: only the words may differ between languages"
            ) % {"language": language}
            problems.append(ParseProblem(item.source_position, item.type, reason))
    return problems


def _shape(item: ParsedQuestion) -> tuple:
    """What must be the same in every language version of a question."""
    return (
        item.type,
        item.correct_bool,
        [choice.fraction for choice in item.choices],
        [(answer.fraction, answer.tolerance) for answer in item.accepted],
    )


def _read_bytes(source: str | os.PathLike | bytes | IO[bytes]) -> bytes:
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source)
    if hasattr(source, "read"):
        return source.read()
    return Path(source).read_bytes()


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
        found = (
            Category.objects.filter(i18n.any_language("name", name), parent=category)
            .order_by("pk")
            .first()
        )
        if found is None:
            if not create:
                return None
            found = _in_file_language(Category, settings.LANGUAGE_CODE, parent=category, name=name)
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
    on_progress: Progress | None = None,
    language: str | None = None,
    translations: dict[str, list[ParsedQuestion]] | None = None,
) -> ImportReport:
    """Save ``parsed`` below ``root_category``, following each question's category path.

    Raises :class:`ImportFailed` (and saves nothing) if any problem is fatal, or if a
    question does not pass the models' validation. Questions of unsupported types were
    left out by the parser: they are counted as skipped. ``on_progress`` hears how many
    questions are checked, then how many are written, a batch at a time.

    The texts are saved as ``language``'s (the site's default when not said);
    ``translations`` gives the same questions in other languages (a file's versions,
    :func:`read_file_versions`), saved as their texts in those languages.
    """
    return _import(
        parsed,
        problems,
        _Categories(root_category, language),
        dry_run,
        on_progress,
        _Languages(language, translations),
    )


def import_questions_into(
    *,
    parsed: list[ParsedQuestion],
    problems: list[ParseProblem],
    category_path: str,
    dry_run: bool = False,
    on_progress: Progress | None = None,
    language: str | None = None,
    translations: dict[str, list[ParsedQuestion]] | None = None,
) -> ImportReport:
    """:func:`import_questions` below the category at ``category_path`` ("Budget/Import"),
    made if missing. A dry run makes nothing, not even that category, and counts the
    categories it would make along its path too.
    """
    categories = _Categories(None, language)
    if not split_category_path(category_path):
        raise ValueError("Name the category to import into.")
    if any(problem.fatal for problem in problems):
        raise ImportFailed(problems)
    try:
        categories.root = categories.get(category_path)
    except ValidationError as error:
        reasons = [f"{_('category')}: {message}" for message in error.messages]
        raise ImportFailed(
            [ParseProblem(category_path, "", reason) for reason in reasons]
        ) from error
    return _import(
        parsed,
        problems,
        categories,
        dry_run,
        on_progress,
        _Languages(language, translations),
    )


def import_file_into(
    *,
    versions: Versions,
    category_path: str,
    as_translation: bool = False,
    keep_written: bool = False,
    dry_run: bool = False,
    on_progress: Progress | None = None,
) -> ImportReport:
    """A file read with :func:`read_file_versions`, imported below ``category_path``:
    as new questions with their texts in each of the file's languages, or with
    ``as_translation`` as translations of the questions already there (matched by
    name, :func:`translate_questions_into`; ``keep_written``: only empty texts)."""
    if as_translation:
        return translate_questions_into(
            questions=versions.questions,
            problems=versions.problems,
            category_path=category_path,
            keep_written=keep_written,
            dry_run=dry_run,
            on_progress=on_progress,
        )
    return import_questions_into(
        parsed=versions.parsed,
        problems=versions.problems,
        category_path=category_path,
        dry_run=dry_run,
        on_progress=on_progress,
        language=versions.language,
        translations=versions.questions,
    )


def translate_questions_into(
    *,
    questions: dict[str, list[ParsedQuestion]],
    problems: list[ParseProblem],
    category_path: str,
    keep_written: bool = False,
    dry_run: bool = False,
    on_progress: Progress | None = None,
) -> ImportReport:
    """Add a file's questions as translations of questions already in the bank: each
    language's texts (``questions``: the file's versions, :func:`read_file_versions`)
    written on the question of the same name in the category at ``category_path`` or
    below it, nothing else changed. With ``keep_written`` only the texts still empty
    are written: a translation someone wrote by hand stays, and a second run changes
    nothing.

    A question must match its namesake in all but its words (type, choices and answers
    with their marks, in order), else nothing is saved (:class:`ImportFailed`); a
    question with no namesake, or several, is left out and listed.
    """
    if any(problem.fatal for problem in problems):
        raise ImportFailed(problems)
    root = category_for_path(category_path)
    if root is None:
        reason = _("there is no such category: the questions to translate are looked for in it")
        raise ImportFailed([ParseProblem(category_path, "", reason)])
    by_name: dict[str, list[Question]] = {}
    bank = Question.objects.filter(category__in=root.descendant_ids()).prefetch_related(
        "choices", "accepted_answers"
    )
    for question in bank:
        by_name.setdefault(question.name, []).append(question)
    cleaner = _cleaner()
    plan: dict[int, _Planned] = {}
    listed, failures = [p for p in problems if not p.fatal], []
    for code, items in questions.items():
        for number, item in enumerate(items, start=1):
            found = by_name.get(item.name, [])
            if len(found) != 1:
                if code == next(iter(questions)):  # listed once, not once per language
                    listed.append(_unmatched(item, len(found)))
                continue
            question = found[0]
            if question.pk not in plan:
                plan[question.pk] = _Planned(
                    question,
                    sorted(question.choices.all(), key=lambda c: (c.sort_order, c.pk)),
                    sorted(question.accepted_answers.all(), key=lambda a: a.pk),
                    "",
                )
            planned = plan[question.pk]
            if _bank_shape(planned) != _shape(item):
                reason = _(
                    "the question of this name in the bank differs in its type, choices or "
                    "answers: a translation may differ only in its words"
                )
                # Named, as an unmatched question is: the position alone is hard to find.
                reason = f"“{item.name}”: {reason}"
                failures.append(ParseProblem(item.source_position, item.type, reason))
                continue
            _translate(planned, item, code, cleaner, keep_written=keep_written)
            if on_progress and (number % BATCH_SIZE == 0 or number == len(items)):
                on_progress(CHECKING, number)
    if failures:
        raise ImportFailed(failures)
    if not dry_run:
        _save_translations(list(plan.values()), list(questions))
    return ImportReport(
        imported=len(plan),
        skipped=sum(1 for problem in listed if problem.skips),
        problems=listed,
        dry_run=dry_run,
    )


def _unmatched(item: ParsedQuestion, count: int) -> ParseProblem:
    if count:
        reason = _("%(count)s questions of the category have this name: translate it by hand")
    else:
        reason = _("no question of the category has this name: nothing to translate")
    return ParseProblem(
        item.source_position, item.type, f"“{item.name}”: {reason % {'count': count}}", fatal=False
    )


def _bank_shape(planned: _Planned) -> tuple:
    """:func:`_shape` of a question in the bank."""
    return (
        planned.question.type,
        planned.question.correct_bool,
        [choice.fraction for choice in planned.choices],
        [(answer.fraction, answer.tolerance) for answer in planned.answers],
    )


def _save_translations(plan: list[_Planned], languages: list[str]) -> None:
    """Write the translated columns, a batch at a time, in one transaction."""
    question_fields = [f"{field}_{code}" for field, _ in _QUESTION_TEXTS for code in languages]
    row_fields = [f"{field}_{code}" for field in ("text", "feedback") for code in languages]
    with removed_on_failure(), transaction.atomic():
        for planned in plan:
            if planned.images or planned.documents:  # only files cost queries here
                _link_files(planned)
        Question.objects.bulk_update(
            [planned.question for planned in plan], question_fields, batch_size=BATCH_SIZE
        )
        Choice.objects.bulk_update(
            [choice for planned in plan for choice in planned.choices],
            row_fields,
            batch_size=BATCH_SIZE,
        )
        AcceptedAnswer.objects.bulk_update(
            [answer for planned in plan for answer in planned.answers],
            row_fields,
            batch_size=BATCH_SIZE,
        )
        # bulk_update sends no post_save: what processes keep of these questions (the
        # languages a save records, quizzes.selectors) is outdated here instead
        page_generation.invalidate()


@dataclass
class _Languages:
    """The language a file's questions are saved in, and their other versions."""

    language: str | None
    translations: dict[str, list[ParsedQuestion]] | None

    def __post_init__(self):
        self.language = self.language or settings.LANGUAGE_CODE
        self.translations = {
            code: items
            for code, items in (self.translations or {}).items()
            if code != self.language
        }

    def of(self, number: int) -> dict[str, ParsedQuestion]:
        return {code: items[number] for code, items in self.translations.items()}


def _import(
    parsed: list[ParsedQuestion],
    problems: list[ParseProblem],
    categories: _Categories,
    dry_run: bool,
    on_progress: Progress | None,
    languages: _Languages,
) -> ImportReport:
    if any(problem.fatal for problem in problems):
        raise ImportFailed(problems)
    with removed_on_failure(), transaction.atomic():
        plan = _plan(parsed, categories, on_progress, languages)
        if not dry_run:
            categories.save_new()
            _write(plan, on_progress)
    return _report(plan, problems, categories, dry_run=dry_run)


@dataclass
class _Planned:
    """A question ready to be written: the model instances, validated."""

    question: Question
    choices: list[Choice]
    answers: list[AcceptedAnswer]
    path: str
    images: dict[str, bytes] = field(default_factory=dict)
    documents: dict[str, bytes] = field(default_factory=dict)


class _Categories:
    """Categories by path below the root, looked up once each.

    A missing category is made in memory (and validated) when first needed; nothing
    is saved until :meth:`save_new`, so checking a file writes nothing.
    """

    def __init__(self, root: Category | None, language: str | None):
        self.root = root
        # New categories are named in the file's language.
        self.language = language or settings.LANGUAGE_CODE
        self.new: list[Category] = []
        # (id of the parent object, name) → category; the objects stay alive here.
        self.cache: dict[tuple[int, str], Category] = {}

    def get(self, path: str | None) -> Category | None:
        category = self.root
        for name in split_category_path(path or ""):
            key = (id(category), name)
            if key not in self.cache:
                found = None
                if category is None or category.pk is not None:
                    found = (
                        Category.objects.filter(i18n.any_language("name", name), parent=category)
                        .order_by("pk")
                        .first()
                    )
                if found is None:  # below a new category, everything is new
                    found = _in_file_language(Category, self.language, parent=category, name=name)
                    found.full_clean(validate_unique=False, validate_constraints=False)
                    self.new.append(found)
                self.cache[key] = found
            category = self.cache[key]
        return category

    def save_new(self) -> None:
        # Parents were made before their children, so each parent has its id by now
        # (save() takes the parent's new id from the parent object).
        for category in self.new:
            category.save()


def _plan(
    parsed: list[ParsedQuestion],
    categories: _Categories,
    on_progress: Progress | None,
    languages: _Languages,
) -> list[_Planned]:
    """Every question as model instances, validated; ImportFailed lists every failure."""
    cleaner = _cleaner()
    plan: list[_Planned] = []
    failures: list[ParseProblem] = []
    for number, item in enumerate(parsed, start=1):
        try:
            category = categories.get(item.category)
        except ValidationError as error:
            failures += _problems(item, error, prefix=_("category"))
        else:
            planned = _prepare(item, category, cleaner, languages.language)
            if isinstance(planned, _Planned):
                for code, translated in languages.of(number - 1).items():
                    _translate(planned, translated, code, cleaner)
                plan.append(planned)
            else:
                failures += planned
        if on_progress and (number % BATCH_SIZE == 0 or number == len(parsed)):
            on_progress(CHECKING, number)
    if failures:
        raise ImportFailed(failures)
    return plan


def _write(plan: list[_Planned], on_progress: Progress | None) -> None:
    """Insert the planned questions, their choices and answers, a batch at a time."""
    for start in range(0, len(plan), BATCH_SIZE):
        batch = plan[start : start + BATCH_SIZE]
        for planned in batch:
            if planned.images or planned.documents:  # only files cost queries here
                _link_files(planned)
        # Both SQLite and PostgreSQL give the new ids back, and the choices and answers
        # take their question's id from the question object.
        Question.objects.bulk_create([planned.question for planned in batch])
        Choice.objects.bulk_create([choice for planned in batch for choice in planned.choices])
        AcceptedAnswer.objects.bulk_create(
            [answer for planned in batch for answer in planned.answers]
        )
        _index_references([planned.question for planned in batch])
        if on_progress:
            on_progress(IMPORTING, start + len(batch))


def _link_files(planned: _Planned) -> None:
    """Save the question's pictures and documents and point its text, in every
    language, at them."""
    question = planned.question
    texts = {column: getattr(question, column) for column in i18n.columns("text")}
    linked = link_files(
        {column: text for column, text in texts.items() if text},
        planned.images,
        planned.documents,
        title=question.name,
    )
    for column, text in linked.items():
        setattr(question, column, text)


def _index_references(questions: list[Question]) -> None:
    """Record what the new questions refer to (their category), as Wagtail's reference
    index does after each save, so that a category's usage lists its questions.

    Done whether or not the admin that registers the model is loaded in this process
    (a task worker may never load it); the children are held in memory on each
    question, so reading them costs no query.
    """
    content_type = ContentType.objects.get_for_model(Question)
    rows = []
    for question in questions:
        references = set(ReferenceIndex._extract_references_from_object(question))
        rows += [
            ReferenceIndex(
                content_type=content_type,
                base_content_type=content_type,
                object_id=str(question.pk),
                to_content_type_id=to_content_type_id,
                to_object_id=to_object_id,
                model_path=model_path,
                content_path=content_path,
                content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
            )
            for to_content_type_id, to_object_id, model_path, content_path in references
        ]
    ReferenceIndex.objects.bulk_create(
        rows, ignore_conflicts=connection.features.supports_ignore_conflicts
    )


def _report(
    plan: list[_Planned],
    problems: list[ParseProblem],
    categories: _Categories,
    *,
    dry_run: bool,
) -> ImportReport:
    # Listed: the questions left out, and what imported ones are imported without.
    listed = [problem for problem in problems if not problem.fatal]
    new = {id(category) for category in categories.new}
    counts: dict[str, CategoryCount] = {}
    for planned in plan:
        if planned.path not in counts:
            counts[planned.path] = CategoryCount(
                planned.path, new=id(planned.question.category) in new
            )
        counts[planned.path].questions += 1
    return ImportReport(
        imported=len(plan),
        skipped=sum(1 for problem in listed if problem.skips),
        problems=listed,
        dry_run=dry_run,
        categories_created=len(categories.new),
        categories=list(counts.values()),
    )


def _problems(item: ParsedQuestion, error: ValidationError, prefix: str = "") -> list[ParseProblem]:
    messages = []
    for name, errors in error.message_dict.items():
        label = " ".join(part for part in (prefix, name if name != "__all__" else "") if part)
        messages += [f"{label}: {message}" if label else message for message in errors]
    return [ParseProblem(item.source_position, item.type, message) for message in messages]


def _in_file_language(model, language: str, **fields):
    """A new row whose texts go into the columns of the file's language (the uploader
    says which; the site's default, Russian, unless said), not of the uploader's admin
    language. Only the instance is built in it: the problems are written in the
    uploader's."""
    with translation.override(language):
        return model(**fields)


# Where a parsed question's texts go: (model field, ParsedQuestion attribute).
_QUESTION_TEXTS = [
    ("text", "text"),
    ("feedback_correct", "feedback_correct"),
    ("feedback_incorrect", "feedback_incorrect"),
    ("explanation", "general_feedback"),
]


def _translate(
    planned: _Planned,
    translated: ParsedQuestion,
    language: str,
    cleaner: Cleaner,
    *,
    keep_written: bool = False,
) -> None:
    """Write ``translated``'s texts as ``language``'s on the planned rows (the same
    question in another language: the same choices and answers, in order). An empty
    text is left unwritten (NULL): the reader falls back to another language. With
    ``keep_written`` a text already there is kept."""

    def put(row, name: str, value: str | None) -> None:
        if not (keep_written and getattr(row, name)):
            setattr(row, name, value or None)

    for field_name, attribute in _QUESTION_TEXTS:
        value = getattr(translated, attribute)
        if field_name == "text":
            value = clean_question_html(value, cleaner)
        put(planned.question, f"{field_name}_{language}", value)
    rows = [
        *zip(planned.choices, translated.choices, strict=True),
        *zip(planned.answers, translated.accepted, strict=True),
    ]
    for row, parsed in rows:
        put(row, f"text_{language}", parsed.text)
        put(row, f"feedback_{language}", parsed.feedback)
    planned.images.update(translated.images)
    planned.documents.update(translated.documents)


def _prepare(
    item: ParsedQuestion, category: Category, cleaner: Cleaner, language: str
) -> _Planned | list[ParseProblem]:
    """The question's model instances, with its texts in ``language``, or what the
    models' validation says of them."""
    question = _in_file_language(
        Question,
        language,
        category=category,
        type=item.type,
        name=item.name,
        text=clean_question_html(item.text, cleaner),
        default_mark=item.default_mark,
        feedback_correct=item.feedback_correct,
        feedback_incorrect=item.feedback_incorrect,
        explanation=item.general_feedback,
        shuffle_choices=item.shuffle_choices,
        correct_bool=item.correct_bool,
    )
    try:
        # No unique fields or constraints to check: skip the checks that would query.
        question.full_clean(
            exclude=["category", *i18n.language_columns(Question)],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        return _problems(item, error)
    choices = [
        _in_file_language(
            Choice,
            language,
            text=choice.text,
            fraction=choice.fraction,
            feedback=choice.feedback,
            sort_order=number,
        )
        for number, choice in enumerate(item.choices)
    ]
    answers = [
        _in_file_language(
            AcceptedAnswer,
            language,
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
            child.full_clean(
                exclude=["question", *i18n.language_columns(type(child))],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            failures += _problems(item, error, prefix=_("answer"))
    if failures:
        return failures
    # Held on the question (modelcluster's in-memory children): each child points at
    # its question, and the reference index reads them without a query.
    question.choices = choices
    question.accepted_answers = answers
    return _Planned(
        question,
        choices,
        answers,
        join_category_path(split_category_path(item.category or "")),
        item.images,
        item.documents,
    )
