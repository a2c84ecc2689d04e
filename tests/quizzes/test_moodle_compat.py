"""Files as Moodle itself imports them: each form its GIFT and XML readers accept.

One test per form, named after it, with the meaning Moodle gives it. Forms Moodle reads
but this project has no question type for (matching, descriptions) are reported per
question, never dropped in silence.
"""

from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from quizzes.interchange import (
    ESSAY,
    MULTIPLE,
    NUMERIC,
    SHORT,
    SINGLE,
    TRUE_FALSE,
    ParsedQuestion,
)
from quizzes.interchange.gift import BLANK, parse_gift
from quizzes.interchange.importer import read_file

FILES = Path(__file__).parent / "files"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def gift_one(source: str) -> ParsedQuestion:
    questions, problems = parse_gift(source)
    assert problems == []
    assert len(questions) == 1
    return questions[0]


# GIFT -----------------------------------------------------------------------------------


def test_gift_file_with_crlf_tabs_comments_and_a_course_category():
    questions, problems = read_file(FILES / "moodle_forms.gift", "gift")
    assert problems == []
    land, capital, rate = questions
    assert {q.category for q in questions} == {"Local budgets/Taxes"}
    assert (land.name, land.type, land.text) == (
        "Land tax",
        SINGLE,
        "<p>Who collects the land tax?</p>",
    )
    assert [(c.text, c.fraction) for c in land.choices] == [
        ("The district", 1),
        ("The republic", 0),
    ]
    assert capital.type == SHORT
    assert [a.text for a in capital.accepted] == ["Astana", "Astana city"]
    assert capital.text == f"<p>The capital of Kazakhstan is {BLANK}.</p>"
    assert rate.type == NUMERIC
    assert [(a.text, a.tolerance, a.fraction) for a in rate.accepted] == [
        ("12", Decimal("0.5"), 1),
        ("12", 2, Decimal("0.5")),
    ]
    assert rate.feedback_incorrect == "Twelve percent."


def test_gift_short_answer_without_a_leading_equals_sign():
    question = gift_one("Which city is the capital? {Astana}")
    assert question.type == SHORT
    assert [(a.text, a.fraction) for a in question.accepted] == [("Astana", 1)]


def test_gift_short_answer_first_answer_bare_then_weighted_ones():
    question = gift_one("Capital? {Astana =%50%Nur-Sultan#The old name.}")
    assert [(a.text, a.fraction, a.feedback) for a in question.accepted] == [
        ("Astana", 1, ""),
        ("Nur-Sultan", Decimal("0.5"), "The old name."),
    ]


def test_gift_choice_first_answer_without_a_tilde_is_a_wrong_answer():
    question = gift_one("Which is local? {VAT =Land tax ~Excise}")
    assert question.type == SINGLE
    assert [(c.text, c.fraction) for c in question.choices] == [
        ("VAT", 0),
        ("Land tax", 1),
        ("Excise", 0),
    ]


def test_gift_multiple_response_first_weight_without_a_tilde():
    question = gift_one("Local taxes? {%50%Land tax ~%50%Property tax ~%-100%VAT}")
    assert question.type == MULTIPLE
    assert [c.fraction for c in question.choices] == [Decimal("0.5"), Decimal("0.5"), -1]


def test_gift_weights_in_thirds_with_decimals():
    question = gift_one("Pick? {~%33.33333%a ~%33.33333%b ~%33.33333%c ~%-33.33333%d}")
    assert question.type == MULTIPLE
    assert sum(c.fraction for c in question.choices if c.fraction > 0) == 1
    assert question.choices[-1].fraction == Decimal("-0.33333")


def test_gift_numeric_first_answer_without_an_equals_sign():
    question = gift_one("Rate? {#3:1 =%50%3:2}")
    assert [(a.text, a.tolerance, a.fraction) for a in question.accepted] == [
        ("3", 1, 1),
        ("3", 2, Decimal("0.5")),
    ]


def test_gift_numeric_range_and_tolerance():
    assert [(a.text, a.tolerance) for a in gift_one("Q {#1..5}").accepted] == [("3", 2)]
    assert [(a.text, a.tolerance) for a in gift_one("Q {#3:0.5}").accepted] == [
        ("3", Decimal("0.5"))
    ]


def test_gift_numeric_several_answers_with_partial_credit_and_wrong_feedback():
    question = gift_one("Q {#\n=2020:0#Exactly.\n=%50%2020:1#Close.\n~#No.\n}")
    assert [(a.text, a.tolerance, a.fraction, a.feedback) for a in question.accepted] == [
        ("2020", 0, 1, "Exactly."),
        ("2020", 1, Decimal("0.5"), "Close."),
    ]
    assert question.feedback_incorrect == "No."


def test_gift_escaped_characters_everywhere():
    question = gift_one(
        "::Ratio \\: 1\\:2::Write 1\\:2 \\{not a block\\} \\= \\# \\~ {=a\\=b#c\\#d ~x\\~y}"
    )
    assert question.name == "Ratio : 1:2"
    assert question.text == "<p>Write 1:2 {not a block} = # ~</p>"
    assert [(c.text, c.feedback) for c in question.choices] == [("a=b", "c#d"), ("x~y", "")]


def test_gift_format_markers_on_text_answers_and_feedback():
    question = gift_one(
        "[html]<p>Which is <b>local</b>?</p>{=[html]<b>Land</b> tax#[markdown]**Yes**"
        " ~[plain]<VAT>#[moodle]No<br>it is not ####[html]<i>Land</i> is local.}"
    )
    assert question.text == "<p>Which is <b>local</b>?</p>"
    assert [(c.text, c.feedback) for c in question.choices] == [
        ("Land tax", "**Yes**"),
        ("<VAT>", "No\nit is not"),
    ]
    assert question.general_feedback == "Land is local."


def test_gift_format_marker_on_a_short_answer_is_not_part_of_it():
    question = gift_one("[html]Capital? {=[plain]Astana}")
    assert [a.text for a in question.accepted] == ["Astana"]


def test_gift_question_name_and_an_unclosed_name():
    assert gift_one("::Akim::Who heads the district? {T}").name == "Akim"
    question = gift_one("::Who heads the district? {T}")
    assert question.text == "<p>Who heads the district?</p>"
    assert question.name == "Who heads the district?"


def test_gift_general_feedback_after_four_hashes():
    question = gift_one("Surplus stays? {T####It stays with the district.}")
    assert question.general_feedback == "It stays with the district."


def test_gift_true_false_with_feedback_for_wrong_then_right():
    question = gift_one("The akim is elected. {TRUE#No, he is.#Right.}")
    assert question.type == TRUE_FALSE
    assert question.correct_bool is True
    assert (question.feedback_incorrect, question.feedback_correct) == ("No, he is.", "Right.")
    question = gift_one("Taxes are optional. {F#They are not.#Indeed.####Law.}")
    assert question.correct_bool is False
    assert question.feedback_incorrect == "They are not."
    assert question.general_feedback == "Law."


def test_gift_essay_with_empty_braces():
    question = gift_one("::Plan::Describe the district budget. {}")
    assert question.type == ESSAY
    assert gift_one("Describe it. {####A model answer.}").general_feedback == "A model answer."


def test_gift_missing_word_block_in_the_middle_of_the_text():
    question = gift_one("The akim {=heads ~elects} the district.")
    assert question.text == f"<p>The akim {BLANK} the district.</p>"
    assert question.type == SINGLE


def test_gift_matching_and_description_are_listed_per_question():
    questions, problems = parse_gift(
        "Intro text only.\n\n::Levels::Match. {=Land tax -> local =VAT -> republican}\n\nQ {T}"
    )
    assert len(questions) == 1
    assert [(p.position, p.qtype, p.fatal) for p in problems] == [
        ("line 1", "description", False),
        ("line 3", "matching", False),
    ]


def test_gift_category_lines_with_and_without_the_course_prefix():
    questions, problems = parse_gift(
        "$CATEGORY: $course$/top/Budget/Revenue\n\nQ1 {T}\n\n$CATEGORY: Budget\n\nQ2 {T}"
    )
    assert problems == []
    assert [q.category for q in questions] == ["Budget/Revenue", "Budget"]
