"""Reading GIFT, Moodle's plain-text question format.

A file is a series of questions separated by blank lines; lines starting with ``//``
are comments; a ``$CATEGORY: a/b`` line puts the questions after it in that category.
One question reads::

    ::Title:: [html]Question text {answers} more text

The answer block decides the type:

==================================  ======================================
``{=right ~wrong}``                 single choice (``~%50%…`` partial credit)
``{~%50%a ~%50%b ~%-100%c}``        multiple response (see below)
``{T}`` ``{FALSE#wrong#right}``     true/false, with feedback for a wrong
                                    and for a right answer
``{=one =two =%50%half}``           short answer
``{#3:2}`` ``{#1..5}``              numeric: value:tolerance, or a range
``{# =3:0 =%50%3:1 ~#feedback}``    numeric with several answers
``{}``                              essay
==================================  ======================================

The type is decided as Moodle's own reader decides it: ``#`` first is numeric, any
``~`` makes a choice question, ``=`` with ``->`` matching, ``T``/``F`` true/false, and
anything else a short answer. Like Moodle, text before the first ``=`` or ``~`` is an
answer too (``{Paris}``, ``{%50%a ~%50%b}``, ``{#3:1 =%50%3:2}``), an unclosed
``::title`` is no title, and a ``[html]``, ``[moodle]``, ``[plain]`` or ``[markdown]``
marker may start an answer or a feedback as well as the question text.

Inside the block, ``#text`` after an answer is its feedback and ``####text`` is the
general feedback (stored as the explanation; the last ``####`` counts). Text after the
block makes a missing-word question: the block becomes a blank, "_____".
``\\~ \\= \\# \\{ \\} \\:`` and ``\\\\`` stand for the characters themselves, ``\\n``
for a line break.

Single choice or multiple response: :func:`quizzes.interchange.choice_question_type`.
Matching questions and items without an answer block (descriptions) are not supported:
they are reported and skipped. Anything malformed is reported as fatal.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from quizzes.interchange import (
    ESSAY,
    HTML,
    MARKDOWN,
    MOODLE,
    NUMERIC,
    ONE,
    PLAIN,
    SHORT,
    TRUE_FALSE,
    ZERO,
    ParsedAnswer,
    ParsedChoice,
    ParsedQuestion,
    ParseProblem,
    choice_question_type,
    fraction_from_percent,
    normalise_category_path,
    number_text,
    parse_decimal,
    question_name,
    question_problems,
    round_tolerance,
    text_to_html,
    text_to_plain,
    unsupported,
)

# Escaped characters are swapped for private-use characters while the question is
# taken apart, then swapped back.
_ESCAPES = {
    "\\": "\ue000",
    "~": "\ue001",
    "=": "\ue002",
    "#": "\ue003",
    "{": "\ue004",
    "}": "\ue005",
    ":": "\ue006",
    "n": "\ue007",
}
_RESTORE = str.maketrans({code: char for char, code in _ESCAPES.items()} | {"\ue007": "\n"})
_ESCAPE_RE = re.compile(r"\\([\\~=#{}:n])")
_BLANK = "\ue010"
BLANK = "_____"
_FORMAT_RE = re.compile(r"\[(html|moodle|plain|markdown)\]", flags=re.IGNORECASE)
_FORMATS = {"html": HTML, "moodle": MOODLE, "plain": PLAIN, "markdown": MARKDOWN}
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


class _Malformed(Exception):
    def __init__(self, reason: str, qtype: str = ""):
        super().__init__(reason)
        self.reason, self.qtype = reason, qtype


def _protect(text: str) -> str:
    return _ESCAPE_RE.sub(lambda match: _ESCAPES[match[1]], text)


def _restore(text: str) -> str:
    return text.translate(_RESTORE)


def parse_gift(text: str) -> tuple[list[ParsedQuestion], list[ParseProblem]]:
    """The questions of a GIFT file, and what is wrong with it."""
    questions: list[ParsedQuestion] = []
    problems: list[ParseProblem] = []
    category: str | None = None
    for lines in _blocks(text):
        while lines and lines[0][1].strip().startswith("$CATEGORY:"):
            category = normalise_category_path(lines.pop(0)[1].strip()[len("$CATEGORY:") :])
        if not lines:
            continue
        position = _("line %(number)d") % {"number": lines[0][0]}
        source = "\n".join(line for _number, line in lines)
        try:
            question = _question(source, position)
        except _Malformed as error:
            problems.append(ParseProblem(position, error.qtype, error.reason))
            continue
        if isinstance(question, ParseProblem):
            problems.append(question)
            continue
        question.category = category
        reasons = question_problems(question)
        if reasons:
            problems.extend(ParseProblem(position, question.type, reason) for reason in reasons)
        else:
            questions.append(question)
    return questions, problems


def _blocks(text: str) -> list[list[tuple[int, str]]]:
    """Numbered lines of each question: blank lines separate, comment lines vanish."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            if current:
                blocks.append(current)
            current = []
        elif not line.lstrip().startswith("//"):
            current.append((number, line))
    if current:
        blocks.append(current)
    return blocks


def _question(source: str, position: str) -> ParsedQuestion | ParseProblem:
    text = _protect(source).strip()
    title = ""
    if text.startswith("::"):
        end = text.find("::", 2)
        if end == -1:
            # Moodle reads an unclosed title as no title: the text follows the "::".
            text = text[2:].lstrip()
        else:
            title, text = _restore(text[2:end]).strip(), text[end + 2 :].lstrip()
    text_format = MOODLE
    if match := _FORMAT_RE.match(text):
        text_format, text = _FORMATS[match[1].lower()], text[match.end() :]

    opening = text.find("{")
    if opening == -1:
        if "}" in text:
            raise _Malformed(_("a } without a { (write \\} for the character)"))
        return unsupported(position, "description", _("unsupported type: no answer block"))
    closing = text.find("}", opening)
    if closing == -1:
        raise _Malformed(_("the answer block is not closed with }"))
    if "{" in text[opening + 1 : closing]:
        raise _Malformed(_("a { inside the answer block (write \\{ for the character)"))
    before, block, after = text[:opening], text[opening + 1 : closing], text[closing + 1 :]
    if "{" in after or "}" in after:
        raise _Malformed(_("more than one answer block (write \\{ and \\} for the characters)"))

    if after.strip():
        body = before + _BLANK + after
    else:
        body = before
    html = text_to_html(_restore(body), text_format).replace(_BLANK, BLANK)

    general = ""
    if (mark := block.rfind("####")) != -1:
        block, general = block[:mark], block[mark + 4 :]

    question = ParsedQuestion(
        type=ESSAY,
        name=question_name(title, html, position),
        text=html,
        text_format=text_format,
        general_feedback=_plain(general, text_format),
        source_position=position,
    )
    # The type follows from the block as Moodle's own reader decides it, in this order.
    stripped = block.strip()
    if not stripped:
        return question  # essay
    if stripped.startswith("#"):
        _numeric(question, stripped[1:])
    elif "~" in stripped:
        _choices(question, stripped)
    elif "=" in stripped and "->" in stripped:
        return unsupported(position, "matching")
    elif stripped.split("#", 1)[0].strip().upper() in _TRUE_FALSE:
        _true_false(question, stripped)
    else:
        _short(question, stripped)
    return question


def _with_format(text: str, text_format: str) -> tuple[str, str]:
    """A ``[html]``-style marker at the start of an answer or a feedback overrides the
    question's format for that piece: (text without the marker, its format)."""
    text = text.strip()
    if match := _FORMAT_RE.match(text):
        return text[match.end() :], _FORMATS[match[1].lower()]
    return text, text_format


def _plain(text: str, text_format: str) -> str:
    text, text_format = _with_format(text, text_format)
    return text_to_plain(_restore(text), text_format)


def _items(block: str, leading: str) -> list[tuple[str, str]]:
    """``=a ~b`` → ``[("=", "a"), ("~", "b")]``.

    Moodle takes text before the first marker as an answer too (``{Paris}``,
    ``{%50%a ~%50%b}``, ``{#3:1 =%50%3:2}``): it gets the marker ``leading``.
    """
    pieces = re.split(r"([=~])", block)
    items = list(zip(pieces[1::2], pieces[2::2], strict=True))
    if pieces[0].strip():
        items.insert(0, (leading, pieces[0]))
    return items


def _weighted(content: str, qtype: str) -> tuple[Decimal | None, str, str]:
    """``%50%text#feedback`` → (0.5, "text", "feedback"); no weight → None."""
    content = content.strip()
    weight = None
    if content.startswith("%"):
        end = content.find("%", 1)
        if end == -1:
            raise _Malformed(_("a weight is not closed with %"), qtype)
        try:
            weight = fraction_from_percent(content[1:end])
        except ValueError:
            raise _Malformed(
                _("“%(weight)s” is not a weight between -100%% and 100%%")
                % {"weight": _restore(content[1:end])},
                qtype,
            ) from None
        content = content[end + 1 :]
    answer, _hash, feedback = content.partition("#")
    return weight, answer.strip(), feedback


def _true_false(question: ParsedQuestion, block: str) -> None:
    question.type = TRUE_FALSE
    keyword, *feedbacks = block.split("#")
    if len(feedbacks) > 2:
        raise _Malformed(_("true/false takes at most two feedbacks: #wrong#right"), TRUE_FALSE)
    question.correct_bool = _TRUE_FALSE[keyword.strip().upper()]
    feedbacks += ["", ""]
    question.feedback_incorrect = _plain(feedbacks[0], question.text_format)
    question.feedback_correct = _plain(feedbacks[1], question.text_format)


def _numeric(question: ParsedQuestion, block: str) -> None:
    question.type = NUMERIC
    # Everything after the first ~ is the feedback for a wrong number: "~#feedback".
    block, tilde, wrong = block.partition("~")
    if tilde:
        stray, _hash, feedback = wrong.partition("#")
        if stray.strip():
            raise _Malformed(_("in a numeric question ~ only introduces feedback"), NUMERIC)
        question.feedback_incorrect = _plain(feedback, question.text_format)
    for _marker, content in _items(block, "="):
        weight, value, feedback = _weighted(content, NUMERIC)
        answer = _number_answer(value, ONE if weight is None else weight)
        answer.feedback = _plain(feedback, question.text_format)
        question.accepted.append(answer)


def _number_answer(value: str, fraction: Decimal) -> ParsedAnswer:
    """``3``, ``3:2`` (value and tolerance) or ``1..5`` (a range)."""
    value = _restore(value).strip()
    try:
        if ".." in value:
            low, high = (parse_decimal(part) for part in value.split("..", 1))
            if low > high:
                raise _Malformed(
                    _("the range %(range)s runs backwards") % {"range": value}, NUMERIC
                )
            middle, tolerance = (low + high) / 2, (high - low) / 2
            return ParsedAnswer(number_text(middle), round_tolerance(tolerance), fraction)
        number, _colon, tolerance = value.partition(":")
        tolerance_value = parse_decimal(tolerance) if tolerance.strip() else ZERO
        if tolerance_value < 0:
            raise _Malformed(
                _("the tolerance in %(value)s is negative") % {"value": value}, NUMERIC
            )
        return ParsedAnswer(
            number_text(parse_decimal(number)), round_tolerance(tolerance_value), fraction
        )
    except ValueError:
        raise _Malformed(
            _("“%(value)s” is not a number, a number:tolerance or a low..high range")
            % {"value": value},
            NUMERIC,
        ) from None


def _short(question: ParsedQuestion, block: str) -> None:
    question.type = SHORT
    for _marker, content in _items(block, "="):
        weight, text, feedback = _weighted(content, SHORT)
        text, _format = _with_format(text, question.text_format)
        question.accepted.append(
            ParsedAnswer(
                text=" ".join(_restore(text).split()),
                fraction=ONE if weight is None else weight,
                feedback=_plain(feedback, question.text_format),
            )
        )


def _choices(question: ParsedQuestion, block: str) -> None:
    fmt = question.text_format
    for marker, content in _items(block, "~"):
        weight, text, feedback = _weighted(content, "choice")
        if weight is None:
            weight = ONE if marker == "=" else ZERO
        question.choices.append(
            ParsedChoice(text=_plain(text, fmt), fraction=weight, feedback=_plain(feedback, fmt))
        )
    kind = choice_question_type(question.choices)
    if kind is None:
        raise _Malformed(
            _(
                "no answer is worth 100%, and the weights of the right answers do not add "
                "up to 100%, so full marks cannot be earned"
            ),
            "choice",
        )
    question.type = kind
