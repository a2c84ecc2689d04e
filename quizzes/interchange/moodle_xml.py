"""Moodle XML: reading a question file, and writing a category of ours as one.

Read: multichoice (single and multiple), truefalse, shortanswer (always
case-insensitive here), numerical (units are ignored) and essay questions, and
``<question type="category">`` elements, whose path (``$course$/top/`` dropped) places
the questions after them. Other types are reported and skipped. Like Moodle, a
true/false question whose answers are not named "true" and "false" (old files name
them in the teacher's language) reads them as true first, then false. Pictures of the
question text (``<file>`` elements and the old ``<image_base64>``) are read by
``quizzes.interchange.files``; a file that cannot be shown is listed with its question,
which is imported without it. ``<penalty>``, ``<tags>``, hints, units and a category's
``<info>`` are read past: this project has no place for them. The file goes through
defusedxml with DTDs refused, so an entity bomb is a problem, not a hang. Problems
give their place as "question N", counting every ``<question>`` element of the file
(category elements included).

Written: one ``<question type="category">`` per category (the exported one first,
then its subcategories, paths starting with the exported category's name) followed by
its questions. Choices, feedback and explanations are plain text here, so they are
written with ``format="plain_text"``; the question text is HTML. Moodle has no
right/wrong feedback for short-answer, numeric and essay questions: ours are written
as ``<correctfeedback>``/``<incorrectfeedback>`` all the same, which Moodle ignores and
we read back. Self-assessment (rating) questions have no Moodle equivalent: they are
left out, with an XML comment in their place. A text written in several languages is
written in Moodle's multi-language markup (``quizzes.interchange.multilang``), and read
back per language by ``resolve_moodle_xml``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # writing only: reading goes through defusedxml
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote

import defusedxml
import defusedxml.ElementTree as SafeET
from django.utils.translation import gettext as _

from quizzes import i18n
from quizzes.interchange import (
    ESSAY,
    HTML,
    MARKDOWN,
    MOODLE,
    MULTIPLE,
    NUMERIC,
    ONE,
    PLAIN,
    SHORT,
    SINGLE,
    TRUE_FALSE,
    ZERO,
    ParsedAnswer,
    ParsedChoice,
    ParsedQuestion,
    ParseProblem,
    fraction_from_percent,
    join_category_path,
    multilang,
    normalise_category_path,
    number_text,
    parse_decimal,
    percent_text,
    question_name,
    question_problems,
    round_mark,
    round_tolerance,
    text_to_html,
    text_to_plain,
    unsupported,
)
from quizzes.interchange.files import (
    PLUGINFILE,
    drop_missing_files,
    embedded_files,
    files_not_shown,
)
from quizzes.models import Category, Question

_FORMATS = {
    "html": HTML,
    "moodle_auto_format": MOODLE,
    "plain_text": PLAIN,
    "markdown": MARKDOWN,
}
_MOODLE_TYPES = {
    SINGLE: "multichoice",
    MULTIPLE: "multichoice",
    TRUE_FALSE: "truefalse",
    SHORT: "shortanswer",
    NUMERIC: "numerical",
    ESSAY: "essay",
}
FILE = "file"


class _Malformed(Exception):
    pass


# Reading --------------------------------------------------------------------------------


def parse_moodle_xml(data: bytes) -> tuple[list[ParsedQuestion], list[ParseProblem]]:
    """The questions of a Moodle XML file, and what is wrong with it."""
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except defusedxml.DTDForbidden:
        reason = _(
            "the file declares a DTD (<!DOCTYPE …>), which is refused: it can hide "
            "entity bombs. Moodle's own exports have none."
        )
        return [], [ParseProblem(FILE, "", reason)]
    except defusedxml.DefusedXmlException:
        reason = _("the file uses XML entities or external references, which are refused")
        return [], [ParseProblem(FILE, "", reason)]
    except SafeET.ParseError as error:
        return [], [ParseProblem(FILE, "", _("not well-formed XML: %(error)s") % {"error": error})]
    if root.tag != "quiz":
        reason = _("not a Moodle XML question file: it starts with <%(tag)s>, not <quiz>")
        return [], [ParseProblem(FILE, "", reason % {"tag": root.tag})]

    questions: list[ParsedQuestion] = []
    problems: list[ParseProblem] = []
    category: str | None = None
    for number, element in enumerate(root.findall("question"), start=1):
        position = _("question %(number)d") % {"number": number}
        qtype = element.get("type", "")
        if qtype == "category":
            category = normalise_category_path(_inner_text(element.find("category")))
            continue
        reader = _READERS.get(qtype)
        if not qtype:
            problems.append(ParseProblem(position, "", _("the question has no type")))
            continue
        if reader is None:
            problems.append(unsupported(position, qtype))
            continue
        try:
            question = reader(element, _base(element, position))
        except _Malformed as error:
            problems.append(ParseProblem(position, qtype, str(error)))
            continue
        question.category = category
        problems += _files(element, question, position, qtype)
        reasons = question_problems(question)
        if reasons:
            problems.extend(ParseProblem(position, qtype, reason) for reason in reasons)
        else:
            questions.append(question)
    return questions, problems


def resolve_moodle_xml(
    data: bytes,
) -> tuple[list[str], Callable[[str], tuple[list[ParsedQuestion], list[ParseProblem]]] | None]:
    """The languages a file's texts are written in (Moodle's multi-language markup), and
    a reader of the file as a reader of one of them sees it.

    The markup is resolved in each ``<text>`` element of the parsed tree, then the tree
    is read as a file of its own: the markup inside a text is escaped or in CDATA in
    the file, so the raw bytes cannot be resolved. A file that does not parse has no
    languages (reading it as it is reports why).
    """
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except (defusedxml.DefusedXmlException, SafeET.ParseError):
        return [], None
    texts = [element for element in root.iter("text") if element.text]
    originals = [element.text for element in texts]
    found = multilang.languages("\n".join(originals))

    def read(language: str) -> tuple[list[ParsedQuestion], list[ParseProblem]]:
        for element, original in zip(texts, originals, strict=True):
            element.text = multilang.resolve(original, language)
        try:
            return parse_moodle_xml(ET.tostring(root, encoding="UTF-8"))
        finally:
            for element, original in zip(texts, originals, strict=True):
                element.text = original

    return found, read


def _files(element, question: ParsedQuestion, position: str, qtype: str) -> list[ParseProblem]:
    """Take the pictures and documents of the question text; list the files left out."""
    text_element = element.find("questiontext")
    attached = [] if text_element is None else text_element.findall("file")
    files = [(f.get("path", "/"), f.get("name", ""), f.text or "") for f in attached]
    # Files of old Moodle versions: one picture, added after the text as Moodle does.
    old_name, old_data = element.findtext("image"), element.findtext("image_base64")
    if old_name and old_data and old_data.strip():
        old_name = old_name.strip().replace("/", "_")
        question.text += f' <img src="{PLUGINFILE}{quote(old_name)}" alt="">'
        files.append(("/", old_name, old_data))
    elsewhere = [f for f in element.iter("file") if f not in attached]
    problems = files_not_shown(
        [f.get("name", "") for f in elsewhere], position=position, qtype=qtype
    )
    if files or PLUGINFILE in question.text:
        question.images, question.documents, found = embedded_files(
            question.text, files, position=position, qtype=qtype
        )
        question.text = drop_missing_files(question.text, {**question.images, **question.documents})
        problems += found
    return problems


def _inner_text(element) -> str:
    """The ``<text>`` of an element such as ``<name>`` or ``<feedback>``; "" if absent."""
    if element is None:
        return ""
    text = element.find("text")
    return (text.text or "") if text is not None else ""


def _format(element, default: str) -> str:
    if element is None or not element.get("format"):
        return default
    return _FORMATS.get(element.get("format"), MOODLE)


def _plain(element, default_format: str) -> str:
    return text_to_plain(_inner_text(element), _format(element, default_format))


def _decimal(element, tag: str, default: Decimal) -> Decimal:
    child = element.find(tag)
    if child is None or not (child.text or "").strip():
        return default
    try:
        return parse_decimal(child.text)
    except ValueError:
        raise _Malformed(
            _("<%(tag)s> is not a number: “%(value)s”") % {"tag": tag, "value": child.text}
        ) from None


def _flag(element, tag: str, default: bool) -> bool:
    child = element.find(tag)
    if child is None or not (child.text or "").strip():
        return default
    return child.text.strip().lower() in ("1", "true", "yes")


def _fraction(answer) -> Decimal:
    value = answer.get("fraction", "0")
    try:
        return fraction_from_percent(value)
    except ValueError:
        raise _Malformed(
            _("“%(weight)s” is not a weight between -100 and 100") % {"weight": value}
        ) from None


def _base(element, position: str) -> ParsedQuestion:
    text_element = element.find("questiontext")
    text_format = _format(text_element, HTML)
    text = text_to_html(_inner_text(text_element), text_format)
    mark = _decimal(element, "defaultgrade", ONE)
    return ParsedQuestion(
        type=ESSAY,
        name=question_name(_inner_text(element.find("name")), text, position),
        text=text,
        text_format=text_format,
        default_mark=round_mark(mark),
        general_feedback=_plain(element.find("generalfeedback"), text_format),
        feedback_correct=_plain(element.find("correctfeedback"), text_format),
        feedback_incorrect=_plain(element.find("incorrectfeedback"), text_format),
        source_position=position,
    )


def _multichoice(element, question: ParsedQuestion) -> ParsedQuestion:
    question.type = SINGLE if _flag(element, "single", True) else MULTIPLE
    question.shuffle_choices = _flag(element, "shuffleanswers", True)
    for answer in element.findall("answer"):
        question.choices.append(
            ParsedChoice(
                text=text_to_plain(_inner_text(answer), _format(answer, question.text_format)),
                fraction=_fraction(answer),
                feedback=_plain(answer.find("feedback"), question.text_format),
            )
        )
    return question


def _truefalse(element, question: ParsedQuestion) -> ParsedQuestion:
    question.type = TRUE_FALSE
    answers = {}
    elements = element.findall("answer")
    texts = [text_to_plain(_inner_text(a), _format(a, MOODLE)).strip().lower() for a in elements]
    if len(elements) == 2 and not set(texts) <= {"true", "false"}:
        # Old files name the answers in the teacher's language: true first, as Moodle reads.
        texts = ["true", "false"]
    for value, answer in zip(texts, elements, strict=True):
        if value not in ("true", "false"):
            raise _Malformed(_("a true/false answer reads “%(value)s”") % {"value": value})
        answers[value == "true"] = answer
    if set(answers) != {True, False}:
        raise _Malformed(_("a true/false question needs a “true” and a “false” answer"))
    right = [value for value, answer in answers.items() if _fraction(answer) == ONE]
    if len(right) != 1:
        raise _Malformed(_("exactly one of “true” and “false” must be worth 100%"))
    question.correct_bool = right[0]
    question.feedback_correct = _plain(answers[right[0]].find("feedback"), question.text_format)
    wrong = answers[not right[0]]
    question.feedback_incorrect = _plain(wrong.find("feedback"), question.text_format)
    return question


def _shortanswer(element, question: ParsedQuestion) -> ParsedQuestion:
    question.type = SHORT
    for answer in element.findall("answer"):
        question.accepted.append(
            ParsedAnswer(
                text=" ".join(_inner_text(answer).split()),
                fraction=_fraction(answer),
                feedback=_plain(answer.find("feedback"), question.text_format),
            )
        )
    return question


def _numerical(element, question: ParsedQuestion) -> ParsedQuestion:
    question.type = NUMERIC
    for answer in element.findall("answer"):
        text = _inner_text(answer).strip()
        fraction = _fraction(answer)
        feedback = _plain(answer.find("feedback"), question.text_format)
        if text == "*":
            # Moodle's "any other answer": its feedback is our feedback for a wrong one.
            if fraction != ZERO:
                raise _Malformed(_("the answer * (any number) must be worth 0%"))
            question.feedback_incorrect = question.feedback_incorrect or feedback
            continue
        tolerance = _decimal(answer, "tolerance", ZERO)
        question.accepted.append(
            ParsedAnswer(
                text=text,
                tolerance=round_tolerance(tolerance),
                fraction=fraction,
                feedback=feedback,
            )
        )
    return question


def _essay(element, question: ParsedQuestion) -> ParsedQuestion:
    return question


_READERS = {
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "shortanswer": _shortanswer,
    "numerical": _numerical,
    "essay": _essay,
}


# Writing --------------------------------------------------------------------------------


@dataclass
class MoodleExport:
    data: bytes
    exported: int = 0
    skipped: list[tuple[Question, str]] = field(default_factory=list)


def export_moodle_xml(category: Category) -> bytes:
    """``category``, its subcategories and their questions as a Moodle XML file."""
    return build_moodle_xml(category).data


def build_moodle_xml(category: Category) -> MoodleExport:
    """Like :func:`export_moodle_xml`, also telling what was left out and why."""
    ids = category.descendant_ids()
    categories = Category.objects.in_bulk(ids)
    children: dict[int, list[Category]] = {}
    for item in categories.values():
        if item.parent_id in categories and item.pk != category.pk:
            children.setdefault(item.parent_id, []).append(item)
    by_category: dict[int, list[Question]] = {}
    questions = (
        Question.objects.filter(category__in=ids)
        .prefetch_related("choices", "accepted_answers")
        .order_by("pk")
    )
    for question in questions:
        by_category.setdefault(question.category_id, []).append(question)

    root = ET.Element("quiz")
    export = MoodleExport(data=b"")

    def write(current: Category, path: list[str]) -> None:
        element = ET.SubElement(root, "question", type="category")
        _text(element, "category", "$course$/top/" + join_category_path(path))
        _text(element, "info", current.description, "plain_text")
        for question in by_category.get(current.pk, []):
            reason = _question_element(root, question)
            if reason:
                export.skipped.append((question, reason))
                note = f" skipped: question {question.pk} “{question.name}”: {reason} "
                root.append(ET.Comment(note.replace("--", "- -")))
            else:
                export.exported += 1
        for child in sorted(children.get(current.pk, []), key=lambda c: (c.name, c.pk)):
            write(child, [*path, child.name])

    write(category, [category.name])
    ET.indent(root)
    export.data = ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"
    return export


def _text(parent, tag: str, text: str, text_format: str | None = None):
    element = ET.SubElement(parent, tag)
    if text_format:
        element.set("format", text_format)
    ET.SubElement(element, "text").text = text or ""
    return element


def _languages(obj, field_name: str) -> dict[str, str]:
    """``obj``'s ``field_name`` in each language it is written in."""
    texts = {code: getattr(obj, f"{field_name}_{code}", None) for code in i18n.codes()}
    return {code: text for code, text in texts.items() if text}


def _translated(parent, tag: str, obj, field_name: str, *, html: bool = False):
    """A text of ours in every language it has: in Moodle's multi-language markup when
    the languages differ (core Moodle's multilang filter shows the reader's part), as
    it is otherwise. A plain text in several languages becomes HTML: the markup is."""
    texts = _languages(obj, field_name)
    several = len(set(texts.values())) > 1
    text = multilang.join(texts, escape=not html) if several else getattr(obj, field_name)
    return _text(parent, tag, text, "html" if html or several else "plain_text")


def _value(parent, tag: str, value: str) -> None:
    ET.SubElement(parent, tag).text = value


def _question_element(root, question: Question) -> str | None:
    """Append ``question`` to ``root``; or say why it cannot be written."""
    if question.type == Question.Type.RATING:
        return _("self-assessment questions have no Moodle XML equivalent")
    if question.type == Question.Type.TRUE_FALSE and question.correct_bool is None:
        return _("neither true nor false is marked right")
    kind = _MOODLE_TYPES.get(question.type)
    if kind is None:
        return _("unknown question type “%(type)s”") % {"type": question.type}
    element = ET.SubElement(root, "question", type=kind)
    _text(element, "name", question.name)
    _translated(element, "questiontext", question, "text", html=True)
    _translated(element, "generalfeedback", question, "explanation")
    _value(element, "defaultgrade", number_text(question.default_mark))
    _value(element, "hidden", "0")
    if question.type == Question.Type.TRUE_FALSE:
        for value in (True, False):
            right = value == question.correct_bool
            answer = ET.SubElement(
                element, "answer", fraction="100" if right else "0", format="moodle_auto_format"
            )
            ET.SubElement(answer, "text").text = "true" if value else "false"
            feedback = "feedback_correct" if right else "feedback_incorrect"
            _translated(answer, "feedback", question, feedback)
        return None
    if question.type in (Question.Type.SINGLE, Question.Type.MULTIPLE):
        single = question.type == Question.Type.SINGLE
        _value(element, "single", "true" if single else "false")
        _value(element, "shuffleanswers", "true" if question.shuffle_choices else "false")
        _value(element, "answernumbering", "abc")
    if question.type == Question.Type.SHORT:
        _value(element, "usecase", "0")
    if question.type == Question.Type.ESSAY:
        _value(element, "responseformat", "editor")
        _value(element, "responserequired", "1")
        _value(element, "responsefieldlines", "15")
        _value(element, "attachments", "0")
    _translated(element, "correctfeedback", question, "feedback_correct")
    _text(element, "partiallycorrectfeedback", "", "plain_text")
    _translated(element, "incorrectfeedback", question, "feedback_incorrect")
    choices = question.choices.all() if question.has_choices else []
    for choice in choices:
        texts = _languages(choice, "text")
        several = len(set(texts.values())) > 1
        answer = ET.SubElement(
            element,
            "answer",
            fraction=percent_text(choice.fraction),
            format="html" if several else "plain_text",
        )
        text = multilang.join(texts, escape=True) if several else choice.text
        ET.SubElement(answer, "text").text = text
        _translated(answer, "feedback", choice, "feedback")
    if question.type in (Question.Type.SHORT, Question.Type.NUMERIC):
        for accepted in sorted(question.accepted_answers.all(), key=lambda a: a.pk):
            # Moodle compares a response with each answer's text as it is, so an answer
            # accepted in several languages is written once per language it differs in.
            texts = _languages(accepted, "text") if question.type == Question.Type.SHORT else {}
            for text in dict.fromkeys(texts.values()) or [accepted.text]:
                answer = ET.SubElement(
                    element,
                    "answer",
                    fraction=percent_text(accepted.fraction),
                    format="moodle_auto_format",
                )
                ET.SubElement(answer, "text").text = text
                _translated(answer, "feedback", accepted, "feedback")
                if question.type == Question.Type.NUMERIC:
                    _value(answer, "tolerance", number_text(accepted.tolerance))
    return None
