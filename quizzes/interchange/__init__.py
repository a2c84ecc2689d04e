"""Question interchange: GIFT and Moodle XML in, Moodle XML out.

Reading a file gives plain data, no database: a list of :class:`ParsedQuestion` and a
list of :class:`ParseProblem`. ``importer.import_questions`` then saves the questions,
all or nothing. The helpers here are shared by both formats:

* texts: the question text becomes HTML (it is shown as HTML); choices, feedback and
  explanations become plain text (they are shown escaped);
* numbers: fractions, tolerances and marks are rounded to what the models store;
* checks every question must pass whatever its format (``question_problems``);
* category paths: segments separated by ``/``, a literal ``/`` written ``//`` as Moodle
  does, Moodle's ``$course$/top/`` prefix dropped.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from html.parser import HTMLParser

from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

# Question types, spelt as quizzes.models.Question.Type's values.
SINGLE = "single"
MULTIPLE = "multiple"
TRUE_FALSE = "true_false"
SHORT = "short"
NUMERIC = "numeric"
ESSAY = "essay"
TYPES = (SINGLE, MULTIPLE, TRUE_FALSE, SHORT, NUMERIC, ESSAY)

# Source formats of a question text.
HTML, MOODLE, PLAIN, MARKDOWN = "html", "moodle", "plain", "markdown"

NAME_MAX = 255  # Question.name
DERIVED_NAME_MAX = 80
FRACTION_STEP = Decimal("0.00001")  # Choice.fraction / AcceptedAnswer.fraction
TOLERANCE_STEP = Decimal("0.000001")  # AcceptedAnswer.tolerance
MARK_STEP = Decimal("0.01")  # Question.default_mark
ZERO, ONE, HUNDRED = Decimal("0"), Decimal("1"), Decimal("100")
# Right answers of a multiple-response question must add up to 100 % give or take
# this much (three answers of 33.333 % each are fine).
SUM_SLACK = Decimal("0.0005")


@dataclass
class ParsedChoice:
    text: str
    fraction: Decimal
    feedback: str = ""


@dataclass
class ParsedAnswer:
    """An accepted answer: a pattern (short answer) or a number (numeric)."""

    text: str
    tolerance: Decimal = ZERO
    fraction: Decimal = ONE
    feedback: str = ""


@dataclass
class ParsedQuestion:
    type: str
    name: str
    text: str  # HTML
    text_format: str = MOODLE  # the format the text was written in
    default_mark: Decimal = ONE
    general_feedback: str = ""  # becomes Question.explanation
    feedback_correct: str = ""
    feedback_incorrect: str = ""
    choices: list[ParsedChoice] = field(default_factory=list)
    accepted: list[ParsedAnswer] = field(default_factory=list)
    correct_bool: bool | None = None
    category: str | None = None  # a path below the import's root category, or None
    source_position: str = ""  # "line 12", "question 3"
    shuffle_choices: bool = True
    # Pictures of the text, by the name it uses after @@PLUGINFILE@@/ (checked, unsaved).
    images: dict[str, bytes] = field(default_factory=dict)
    # Other files the text links to, by the same names (checked, unsaved).
    documents: dict[str, bytes] = field(default_factory=dict)


@dataclass
class ParseProblem:
    """Something wrong with a file or one of its questions.

    ``fatal`` problems (a malformed file or item) stop the whole import; the others
    (a question type we do not support) only skip that question, or with ``skips``
    false only say what the question is imported without (a picture that is not one).
    """

    position: str
    qtype: str
    reason: str
    fatal: bool = True
    skips: bool = True

    def __str__(self) -> str:
        where = f"{self.position} ({self.qtype})" if self.qtype else self.position
        return f"{where}: {self.reason}"


def unsupported(position: str, qtype: str, reason: str | None = None) -> ParseProblem:
    return ParseProblem(position, qtype, reason or _("unsupported type"), fatal=False)


# Category paths -----------------------------------------------------------------------

_SLASH = "\ue0ff"


def split_category_path(path: str) -> list[str]:
    """``"Budget/Revenues"`` → ``["Budget", "Revenues"]``; ``"a//b"`` is one segment "a/b"."""
    protected = (path or "").replace("//", _SLASH)
    segments = [segment.replace(_SLASH, "/").strip() for segment in protected.split("/")]
    return [segment for segment in segments if segment]


def join_category_path(segments: list[str]) -> str:
    return "/".join(segment.replace("/", "//") for segment in segments)


def normalise_category_path(path: str) -> str | None:
    """A path as written in a file, relative to the import's root; None for the root.

    Moodle writes ``$course$/top/Default for X/Sub`` (or ``$system$/…``, ``$module$/…``):
    the context and "top" say nothing about where the questions belong here.
    """
    segments = split_category_path(path)
    if segments and re.fullmatch(r"\$[a-z0-9_]*\$", segments[0], flags=re.IGNORECASE):
        segments = segments[1:]
    if segments and segments[0].casefold() == "top":
        segments = segments[1:]
    return join_category_path(segments) or None


# Texts ----------------------------------------------------------------------------------

_BLOCK_TAGS = {
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "blockquote",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
}
_HIDDEN_TAGS = {"script", "style", "template"}


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN_TAGS:
            self.hidden += 1
        elif tag == "br" or tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _HIDDEN_TAGS:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def html_to_plain(markup: str) -> str:
    """The text a reader sees in ``markup``: tags dropped, entities decoded, lines kept."""
    markup = markup or ""
    if "<" in markup or "&" in markup:
        collector = _TextCollector()
        collector.feed(markup)
        collector.close()
        text = "".join(collector.parts)
    else:
        text = markup  # no tag, no entity: what the parser would give back (most answers)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    return "\n".join(kept).strip()


def _paragraphs(text: str, *, escape: bool) -> str:
    paragraphs = []
    for block in re.split(r"\n[ \t]*\n", text.strip()):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if lines:
            if escape:
                lines = [html.escape(line, quote=False) for line in lines]
            paragraphs.append("<p>" + "<br>".join(lines) + "</p>")
    return "\n".join(paragraphs)


_SAFE_URL = re.compile(r"(https?://|mailto:)[^\s]+$", flags=re.IGNORECASE)

# CommonMark (Moodle's own Markdown is Markdown Extra, whose tables are kept too), with
# raw HTML shown as text and a line break kept as one, as Moodle's auto-format does.
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "breaks": True, "xhtmlOut": False})
_MARKDOWN.enable("table")
# Links only to web and mail addresses; any other stays as the text it was written as.
_MARKDOWN.validateLink = lambda url: bool(_SAFE_URL.match(url))


def markdown_to_html(text: str) -> str:
    """Markdown (CommonMark and tables) as HTML; raw HTML in the source shows as text."""
    return _MARKDOWN.render(text).strip()


_HAS_BLOCKS = re.compile(r"<(p|div|ul|ol|table|h[1-6]|blockquote|pre)\b", flags=re.IGNORECASE)


def text_to_html(text: str, text_format: str) -> str:
    """A question text as HTML.

    ``html`` is kept as written; ``plain`` is escaped into paragraphs; ``markdown`` goes
    through :func:`markdown_to_html`; ``moodle`` (Moodle's auto-format: HTML allowed,
    line breaks kept) becomes paragraphs with its tags kept, unless it already has
    block-level HTML.
    """
    text = (text or "").strip()
    if text_format == HTML:
        return text
    if text_format == PLAIN:
        return _paragraphs(text, escape=True)
    if text_format == MARKDOWN:
        return markdown_to_html(text)
    if _HAS_BLOCKS.search(text):
        return text
    return _paragraphs(text, escape=False)


def text_to_plain(text: str, text_format: str) -> str:
    """A choice, a feedback or an explanation as plain text (they are shown escaped)."""
    if text_format in (HTML, MOODLE):
        return html_to_plain(text)
    return "\n".join(line.strip() for line in (text or "").strip().split("\n"))


def question_name(title: str, text_html: str, position: str) -> str:
    """The title if there is one, else the start of the text, else the position."""
    name = " ".join((title or "").split())
    if not name:
        name = " ".join(html_to_plain(text_html).split())
        if len(name) > DERIVED_NAME_MAX:
            name = name[: DERIVED_NAME_MAX - 1].rstrip() + "…"
    if len(name) > NAME_MAX:
        name = name[: NAME_MAX - 1].rstrip() + "…"
    return name or position


# Numbers --------------------------------------------------------------------------------


def parse_decimal(text: str) -> Decimal:
    """A finite number as written in a file ("3", "-0.5", "2,5"); ValueError otherwise."""
    cleaned = (text or "").strip().replace("\u00a0", "").replace(" ", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    return value


def fraction_from_percent(text: str) -> Decimal:
    """``"50"`` → 0.5, ``"-33.33333"`` → -0.33333; ValueError outside -100…100."""
    percent = parse_decimal(text)
    if not -HUNDRED <= percent <= HUNDRED:
        raise ValueError(text)
    return (percent / HUNDRED).quantize(FRACTION_STEP, rounding=ROUND_HALF_UP)


def percent_text(fraction: Decimal) -> str:
    return number_text(fraction * HUNDRED)


def number_text(value: Decimal) -> str:
    """A number without exponent or trailing zeros: 100, 2.5, -0.001."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def round_tolerance(value: Decimal) -> Decimal:
    return abs(value).quantize(TOLERANCE_STEP, rounding=ROUND_HALF_UP)


def round_mark(value: Decimal) -> Decimal:
    return value.quantize(MARK_STEP, rounding=ROUND_HALF_UP)


# Checks shared by both formats ----------------------------------------------------------


def choice_question_type(choices: list[ParsedChoice]) -> str | None:
    """Single choice or multiple response, by the weights (the GIFT rule).

    * **single choice** when at least one answer is worth 100 %: the learner picks one
      answer and earns its weight (other positive weights are partial credit, negative
      ones count as 0);
    * **multiple response** when no answer is worth 100 % but the positive weights add
      up to 100 %: the learner ticks several, right ticks add their weight, wrong ones
      take theirs away, never below 0;
    * anything else (no way to earn full marks, or more than 100 % in total) is
      malformed: None.
    """
    if any(choice.fraction == ONE for choice in choices):
        return SINGLE
    positive = sum((c.fraction for c in choices if c.fraction > 0), ZERO)
    if abs(positive - ONE) <= SUM_SLACK:
        return MULTIPLE
    return None


def _settle_rounding(choices: list[ParsedChoice]) -> None:
    """Give the rounding remainder of thirds (0.33333 × 3) to the last right choice,
    so that ticking every right choice earns full marks."""
    positive = [choice for choice in choices if choice.fraction > 0]
    remainder = ONE - sum((choice.fraction for choice in positive), ZERO)
    if positive and remainder and abs(remainder) <= SUM_SLACK:
        positive[-1].fraction += remainder


def question_problems(question: ParsedQuestion) -> list[str]:
    """What makes ``question`` unusable, whatever file it came from (may adjust
    multiple-response fractions by a rounding remainder)."""
    reasons = []
    if not html_to_plain(question.text) and "<img" not in question.text.lower():
        reasons.append(_("the question has no text"))
    if question.default_mark < 0:
        reasons.append(_("the default mark is negative"))
    kind = question.type
    if kind in (SINGLE, MULTIPLE):
        if len(question.choices) < 2:
            reasons.append(_("a choice question needs at least two answers"))
        elif any(not choice.text for choice in question.choices):
            reasons.append(_("an answer is empty"))
        elif kind == SINGLE and max(c.fraction for c in question.choices) != ONE:
            reasons.append(_("no answer is worth 100%, so full marks cannot be earned"))
        elif kind == MULTIPLE:
            positive = sum((c.fraction for c in question.choices if c.fraction > 0), ZERO)
            if abs(positive - ONE) > SUM_SLACK:
                reasons.append(
                    _("the weights of the right answers add up to %(sum)s%%, not 100%%")
                    % {"sum": percent_text(positive)}
                )
            else:
                _settle_rounding(question.choices)
    elif kind == TRUE_FALSE:
        if question.correct_bool is None:
            reasons.append(_("neither true nor false is marked right"))
    elif kind in (SHORT, NUMERIC):
        if not question.accepted:
            reasons.append(_("there is no accepted answer"))
        elif any(not answer.text for answer in question.accepted):
            reasons.append(_("an answer is empty"))
        elif any(not ZERO <= answer.fraction <= ONE for answer in question.accepted):
            reasons.append(_("an answer's weight is outside 0…100%"))
        elif max(answer.fraction for answer in question.accepted) != ONE:
            reasons.append(_("no answer is worth 100%, so full marks cannot be earned"))
        elif kind == NUMERIC:
            for answer in question.accepted:
                try:
                    parse_decimal(answer.text)
                except ValueError:
                    reasons.append(_("“%(text)s” is not a number") % {"text": answer.text})
    elif kind != ESSAY:
        reasons.append(_("unknown question type “%(type)s”") % {"type": kind})
    return reasons
