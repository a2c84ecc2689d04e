"""Reading GIFT: every construct of the format, problems, and imported questions graded."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from quizzes.grading import grade
from quizzes.interchange import (
    ESSAY,
    MARKDOWN,
    MOODLE,
    MULTIPLE,
    NUMERIC,
    PLAIN,
    SHORT,
    SINGLE,
    TRUE_FALSE,
    ParsedQuestion,
    markdown_to_html,
)
from quizzes.interchange.gift import parse_gift
from quizzes.interchange.importer import import_questions, read_file
from quizzes.models import Category, Question

FILES = Path(__file__).parent / "files"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def sample() -> dict[str, ParsedQuestion]:
    with translation.override("en"):
        questions, problems = parse_gift((FILES / "sample.gift").read_text(encoding="utf-8"))
    assert problems == []
    return {question.name: question for question in questions}


def parse_one(source: str) -> ParsedQuestion:
    questions, problems = parse_gift(source)
    assert problems == []
    assert len(questions) == 1
    return questions[0]


def problems_of(source: str) -> list[str]:
    questions, problems = parse_gift(source)
    assert questions == []
    return [str(problem) for problem in problems]


# The sample file ------------------------------------------------------------------------


def test_the_sample_has_every_question_and_comments_are_ignored(sample):
    assert len(sample) == 19
    assert not any("comment" in q.text or "//" in q.text for q in sample.values())
    assert [c.text for c in sample["Levels of the budget"].choices] == [
        "First",
        "Second",
        "Third",
        "Fourth",
    ]


def test_titles_name_questions_and_the_text_stands_in_without_one(sample):
    assert sample["Levels of the budget"].text == (
        "<p>Which level of the budget system is the budget of a rural district?</p>"
    )
    untitled = "No title here: the start of the text becomes the name."
    assert sample[untitled].text == f"<p>{untitled}</p>"


def test_long_texts_give_short_names():
    question = parse_one("A " + "very " * 40 + "long question. {T}")
    assert len(question.name) == 80
    assert question.name.endswith("…")


def test_positions_are_the_first_line_of_each_question(sample):
    assert sample["Levels of the budget"].source_position == "line 9"
    assert sample["Deficit"].source_position == "line 36"


# Single choice, weights and feedback ----------------------------------------------------


def test_single_choice_with_feedback_per_answer_and_general_feedback(sample):
    question = sample["Levels of the budget"]
    assert question.type == SINGLE
    assert [(c.fraction, c.feedback) for c in question.choices] == [
        (0, "No: the first level is the republican budget."),
        (0, ""),
        (0, ""),
        (1, "Right: it has been the fourth level since 2018."),
    ]
    assert question.general_feedback == (
        "The budget of a rural district became the fourth level of the budget system in 2018."
    )


def test_a_partial_weight_beside_a_full_answer_is_partial_credit_in_a_single_choice(sample):
    question = sample["Partial credit"]
    assert question.type == SINGLE
    assert [c.fraction for c in question.choices] == [1, Decimal("0.5"), 0]
    assert question.choices[1].feedback == "Half right: it is consulted first."


def test_weights_adding_up_to_100_without_a_full_answer_make_a_multiple_response(sample):
    question = sample["Own revenues"]
    assert question.type == MULTIPLE
    assert [c.fraction for c in question.choices] == [Decimal("0.5"), Decimal("0.5"), -1]
    assert question.choices[2].feedback == "No: transfers are not own revenues."


def test_thirds_still_earn_full_marks():
    question = parse_one("Tick the three. {~%33.333%a ~%33.333%b ~%33.333%c ~%-100%d}")
    assert question.type == MULTIPLE
    assert sum(c.fraction for c in question.choices if c.fraction > 0) == 1


def test_two_answers_worth_100_are_a_single_choice_with_two_right_answers():
    question = parse_one("Either will do. {=a =b ~c}")
    assert question.type == SINGLE
    assert [c.fraction for c in question.choices] == [1, 1, 0]


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("Q {~a ~b}", "full marks cannot be earned"),
        ("Q {~%40%a ~%40%b ~c}", "full marks cannot be earned"),
        ("Q {~%50%a ~%50%b ~%50%c}", "full marks cannot be earned"),
        ("Q {~%fifty%a =b}", "“fifty” is not a weight between -100% and 100%"),
        ("Q {~%150%a =b}", "“150” is not a weight"),
        ("Q {~%50 a =b}", "a weight is not closed with %"),
        ("Q {=a ~}", "an answer is empty"),
        ("Q {~a}", "full marks cannot be earned"),
    ],
)
def test_bad_weights_and_answers_are_malformed(source, reason):
    (problem,) = problems_of(source)
    assert problem.startswith("line 1")
    assert reason in problem


# True/false -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"), [("Term of office", True), ("Deficit", False), ("Transfers", True)]
)
def test_true_false_spellings(sample, name, value):
    assert sample[name].type == TRUE_FALSE
    assert sample[name].correct_bool is value


def test_true_false_feedback_first_for_a_wrong_answer_then_for_a_right_one(sample):
    question = sample["Term of office"]
    assert question.feedback_incorrect == "No: the term is four years."
    assert question.feedback_correct == "Right."


def test_true_false_with_general_feedback(sample):
    question = sample["Surplus"]
    assert question.correct_bool is False
    assert question.general_feedback == "A surplus stays with the district."


def test_lower_case_true_false():
    assert parse_one("Q {true}").correct_bool is True
    assert parse_one("Q {f}").correct_bool is False


def test_true_false_takes_two_feedbacks_at_most():
    (problem,) = problems_of("Q {T#a#b#c}")
    assert "at most two feedbacks" in problem


# Short answer ---------------------------------------------------------------------------


def test_short_answer_with_several_answers_partial_credit_and_feedback(sample):
    question = sample["Portal"]
    assert question.type == SHORT
    assert [(a.text, a.fraction, a.feedback) for a in question.accepted] == [
        ("goszakup.gov.kz", 1, "Right."),
        ("портал госзакупок", 1, ""),
        ("goszakup*", Decimal("0.5"), "Give the full address."),
    ]


def test_a_single_equals_answer_is_a_short_answer():
    question = parse_one("The capital of Kazakhstan? {=Astana}")
    assert question.type == SHORT
    assert [a.text for a in question.accepted] == ["Astana"]


def test_a_short_answer_needs_a_full_answer():
    (problem,) = problems_of("Q {=%50%half}")
    assert "no answer is worth 100%" in problem


# Numeric --------------------------------------------------------------------------------


def test_numeric_with_tolerance(sample):
    question = sample["Tolerance"]
    assert question.type == NUMERIC
    [(text, tolerance, fraction)] = [(a.text, a.tolerance, a.fraction) for a in question.accepted]
    assert (text, tolerance, fraction) == ("3", 2, 1)


def test_numeric_range_becomes_its_midpoint_and_half_width(sample):
    [answer] = sample["Range"].accepted
    assert (answer.text, answer.tolerance) == ("3", 2)
    assert answer.feedback == "Any number from 1 to 5."
    [answer] = parse_one("Q {#2.5..3}").accepted
    assert (answer.text, answer.tolerance) == ("2.75", Decimal("0.25"))


def test_numeric_with_several_answers_and_feedback_for_a_wrong_one(sample):
    question = sample["Several answers"]
    assert [(a.text, a.tolerance, a.fraction, a.feedback) for a in question.accepted] == [
        ("3.14", 0, 1, "Exactly."),
        ("3.14", Decimal("0.01"), Decimal("0.5"), "Close enough."),
    ]
    assert question.feedback_incorrect == "Pi starts with 3.14."


def test_numeric_without_tolerance_and_negative_numbers():
    [answer] = parse_one("Q {#-12}").accepted
    assert (answer.text, answer.tolerance) == ("-12", 0)
    [answer] = parse_one("Q {#-5..-1}").accepted
    assert (answer.text, answer.tolerance) == ("-3", 2)


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("Q {#three}", "“three” is not a number"),
        ("Q {#5..1}", "runs backwards"),
        ("Q {#3:-1}", "tolerance in 3:-1 is negative"),
        ("Q {# =3 ~4}", "~ only introduces feedback"),
        ("Q {# =%-50%3 =4}", "outside 0…100%"),
    ],
)
def test_bad_numbers_are_malformed(source, reason):
    (problem,) = problems_of(source)
    assert reason in problem


# Essay, missing word, escapes, formats, categories --------------------------------------


def test_essay_with_general_feedback(sample):
    question = sample["Hearing report"]
    assert question.type == ESSAY
    assert question.general_feedback == (
        "A good answer says when and where it was held and who came."
    )
    assert parse_one("Tell us about your village. {}").type == ESSAY


def test_missing_word_keeps_the_text_around_a_blank(sample):
    question = sample["Missing word"]
    assert question.type == SINGLE
    assert question.text == (
        "<p>The budget of a rural district is approved by the _____ after public hearings.</p>"
    )
    assert parse_one("{=Astana} is the capital.").text == "<p>_____ is the capital.</p>"


def test_escaped_characters_and_line_breaks(sample):
    question = sample["Escapes 1:2"]
    assert question.text == (
        "<p>In GIFT write { and } for braces, ~ for a tilde and = for equals.<br>"
        "Which sign marks a right answer?</p>"
    )
    assert [(c.text, c.fraction) for c in question.choices] == [
        ("= (equals)", 1),
        ("~ (tilde)", 0),
        ("# (hash)", 0),
    ]
    assert question.choices[0].feedback == "Right: = marks it."
    assert parse_one(r"A backslash \\ stays. {T}").text == "<p>A backslash \\ stays.</p>"


def test_html_format_is_kept_and_answers_become_plain_text(sample):
    question = sample["HTML format"]
    assert question.text == "<p>Which tag makes <b>bold</b> text?</p>"
    assert [c.text for c in question.choices] == ["<b>", "<i>"]
    assert question.choices[0].feedback == "Right."


def test_plain_format_is_escaped(sample):
    question = sample["Plain format"]
    assert question.text_format == PLAIN
    assert question.text == "<p>Is &lt;b&gt; a tag here?</p>"


def test_markdown_format_becomes_html(sample):
    question = sample["Markdown format"]
    assert question.text_format == MARKDOWN
    assert question.text == "<p>Is <strong>this</strong> bold and <em>this</em> italic?</p>"


def test_markdown_is_safe():
    assert markdown_to_html("<script>alert(1)</script>") == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    )
    # A link to anything but a web or mail address stays the text it was written as.
    assert markdown_to_html("[x](javascript:void)") == "<p>[x](javascript:void)</p>"
    assert markdown_to_html("[site](https://akimat.kz)\n\n- a\n- b\n\n1. c") == (
        '<p><a href="https://akimat.kz">site</a></p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n'
        "<ol>\n<li>c</li>\n</ol>"
    )


def test_moodle_format_is_the_default_and_keeps_line_breaks_and_tags(sample):
    question = sample["Moodle format"]
    assert question.text_format == MOODLE
    assert question.text == "<p>Line one<br>Line <i>two</i></p>"
    assert sample["Deficit"].text_format == MOODLE


def test_category_lines_place_the_questions_after_them(sample):
    assert sample["Levels of the budget"].category == "Budget/Revenues"
    assert sample["Portal"].category == "Budget/Revenues"
    assert sample["Tolerance"].category == "Budget/Spending"
    assert sample["No title here: the start of the text becomes the name."].category == (
        "Budget/Spending"
    )


def test_category_paths_without_context_and_top_are_the_root():
    questions, _problems = parse_gift("Q1 {T}\n\n$CATEGORY: $course$/top\n\nQ2 {T}")
    assert [q.category for q in questions] == [None, None]
    questions, _problems = parse_gift("$CATEGORY: a/b//c\nQ {T}")
    assert questions[0].category == "a/b//c"  # a › "b/c"


# Unsupported and malformed items --------------------------------------------------------


def test_matching_and_descriptions_are_skipped_and_reported_with_their_line():
    questions, problems = read_file(FILES / "unsupported.gift", "gift")
    assert [q.name for q in questions] == ["Budget word", "Akim"]
    assert [(p.position, p.qtype, p.fatal) for p in problems] == [
        ("line 5", "matching", False),
        ("line 10", "description", False),
    ]
    assert str(problems[0]) == "line 5 (matching): unsupported type"


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("Q {=a ~b", "the answer block is not closed with }"),
        ("Q =a ~b}", "a } without a {"),
        ("Q {=a {~b}", "a { inside the answer block"),
        ("Q {=a ~b} and {T}", "more than one answer block"),
        ("::Only a title::{T}", "the question has no text"),
    ],
)
def test_malformed_items_are_fatal(source, reason):
    # An unclosed title and answers without a leading = are accepted, as Moodle accepts
    # them: see test_moodle_compat.py.
    questions, problems = parse_gift(source)
    assert questions == []
    assert [p.fatal for p in problems] == [True]
    assert reason in str(problems[0])


def test_the_malformed_file_reports_every_mistake():
    questions, problems = read_file(FILES / "malformed.gift", "gift")
    assert [q.name for q in questions] == ["Good one"]
    assert [(p.position, p.fatal) for p in problems] == [
        ("line 5", True),
        ("line 7", True),
        ("line 9", False),
    ]


# Encodings ------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251", "utf-16"])
def test_files_in_the_usual_encodings(encoding):
    data = "::Аким::Аким избирается на четыре года. {T}\r\n".encode(encoding)
    questions, problems = read_file(data, "gift")
    assert problems == []
    assert questions[0].name == "Аким"
    assert questions[0].text == "<p>Аким избирается на четыре года.</p>"


# Imported and graded --------------------------------------------------------------------


def _import(source: str) -> Question:
    questions, problems = parse_gift(source)
    root = Category.objects.create(name="GIFT")
    import_questions(parsed=questions, problems=problems, root_category=root, dry_run=False)
    return Question.objects.get(category=root)


@pytest.mark.django_db
def test_imported_numeric_accepts_within_its_tolerance():
    question = _import("::Hearings::How many hearings a year? {#3:2}")
    assert grade(question, {"text": "4.5"}) == 1
    assert grade(question, {"text": "1"}) == 1
    assert grade(question, {"text": "5.5"}) == 0
    assert grade(question, {"text": "0,9"}) == 0


@pytest.mark.django_db
def test_imported_range_and_several_numeric_answers():
    question = _import("Q {#1..5}")
    assert grade(question, {"text": "5"}) == 1
    assert grade(question, {"text": "5.01"}) == 0
    question = _import("Pi? {# =3.14:0 =%50%3.14:0.01}")
    assert grade(question, {"text": "3,14"}) == 1
    assert grade(question, {"text": "3.15"}) == Decimal("0.5")
    assert grade(question, {"text": "3.2"}) == 0


@pytest.mark.django_db
def test_imported_multiple_response_floors_at_zero():
    question = _import("Own revenues? {~%50%Income tax ~%50%Land tax ~%-100%Transfers}")
    assert question.type == Question.Type.MULTIPLE
    ids = {choice.text: choice.pk for choice in question.choices.all()}
    assert grade(question, {"choices": [ids["Income tax"], ids["Land tax"]]}) == 1
    assert grade(question, {"choices": [ids["Income tax"]]}) == Decimal("0.5")
    assert grade(question, {"choices": [ids["Income tax"], ids["Transfers"]]}) == 0


@pytest.mark.django_db
def test_imported_short_answer_and_single_choice_partial_credit():
    question = _import("Portal? {=goszakup.gov.kz =%50%goszakup*}")
    assert grade(question, {"text": " GOSZAKUP.gov.kz "}) == 1
    assert grade(question, {"text": "goszakup"}) == Decimal("0.5")
    assert grade(question, {"text": "samruk"}) == 0
    question = _import("Who? {=Maslikhat ~%50%Community ~Akim}")
    ids = {choice.text: choice.pk for choice in question.choices.all()}
    assert grade(question, {"choice": ids["Community"]}) == Decimal("0.5")
    assert grade(question, {"choice": ids["Maslikhat"]}) == 1


@pytest.mark.django_db
def test_imported_true_false():
    question = _import("Surplus returns to the republic. {FALSE#No.#Right.}")
    assert grade(question, {"value": False}) == 1
    assert grade(question, {"value": True}) == 0
    assert (question.feedback_correct, question.feedback_incorrect) == ("Right.", "No.")
