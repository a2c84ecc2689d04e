"""Moodle XML: reading every supported type, refusing unsafe files, and the round trip."""

import time
from decimal import Decimal
from pathlib import Path

import defusedxml.ElementTree as SafeET
import pytest
from django.utils import translation

from quizzes.grading import grade
from quizzes.interchange import ESSAY, MULTIPLE, NUMERIC, SHORT, SINGLE, TRUE_FALSE
from quizzes.interchange.importer import ImportFailed, import_questions, read_file
from quizzes.interchange.moodle_xml import build_moodle_xml, export_moodle_xml, parse_moodle_xml
from quizzes.models import AcceptedAnswer, Category, Choice, Question, Scale
from tests.factories import quizzes as make

FILES = Path(__file__).parent / "files"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def parsed():
    with translation.override("en"):
        return read_file(FILES / "sample.xml", "moodle-xml")


@pytest.fixture
def sample(parsed):
    questions, _problems = parsed
    return {question.name: question for question in questions}


def quiz(*questions: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>' + "".join(questions) + "</quiz>"
    ).encode()


def question(qtype: str, body: str, name: str = "Q") -> str:
    return (
        f'<question type="{qtype}"><name><text>{name}</text></name>'
        f'<questiontext format="html"><text>Text</text></questiontext>{body}</question>'
    )


# Reading --------------------------------------------------------------------------------


def test_the_sample_reads_every_supported_type_and_skips_the_others(parsed, sample):
    _questions, problems = parsed
    assert list(sample) == [
        "Levels of the budget",
        "Own revenues",
        "Deficit",
        "Portal",
        "Hearings",
        "Hearing report",
    ]
    assert [(str(p), p.fatal) for p in problems] == [
        ("question 9 (matching): unsupported type", False),
        ("question 10 (description): unsupported type", False),
    ]


def test_category_elements_place_the_questions_after_them(sample):
    assert sample["Levels of the budget"].category == "Default for Budget"
    assert sample["Deficit"].category == "Default for Budget"
    assert sample["Portal"].category == "Default for Budget/Spending"
    assert sample["Hearing report"].category == "Default for Budget/Spending"


def test_single_choice_with_everything(sample):
    q = sample["Levels of the budget"]
    assert q.type == SINGLE
    assert q.text == (
        "<p>Which level of the budget system is the budget of a <b>rural district</b>?</p>"
    )
    assert q.default_mark == 2
    assert q.shuffle_choices is False
    assert q.general_feedback == "It became the fourth level in 2018."
    assert (q.feedback_correct, q.feedback_incorrect) == (
        "Your answer is correct.",
        "Your answer is incorrect.",
    )
    assert [(c.text, c.fraction, c.feedback) for c in q.choices] == [
        ("First", 0, "No: the first level is the republican budget."),
        ("Fourth", 1, "Right."),
        ("Third & fourth", Decimal("0.5"), ""),
    ]


def test_multiple_response_in_thirds_can_earn_full_marks(sample):
    q = sample["Own revenues"]
    assert q.type == MULTIPLE
    assert q.shuffle_choices is True
    assert q.text == "<p>Which of these are own revenues?<br>Tick all that apply.</p>"
    assert sum(c.fraction for c in q.choices if c.fraction > 0) == 1
    assert q.choices[3].fraction == -1
    assert q.choices[3].feedback == "Transfers are not own revenues."


def test_true_false_takes_its_feedback_from_the_answers(sample):
    q = sample["Deficit"]
    assert q.type == TRUE_FALSE
    assert q.correct_bool is False
    assert q.text == "<p>A rural district may run its budget at a deficit &lt;always&gt;.</p>"
    assert (q.feedback_correct, q.feedback_incorrect) == ("Right.", "No: a deficit is limited.")


def test_short_answer(sample):
    q = sample["Portal"]
    assert q.type == SHORT
    assert q.text == "<p>Name the <strong>procurement</strong> portal.</p>"  # markdown
    assert [(a.text, a.fraction, a.feedback) for a in q.accepted] == [
        ("goszakup.gov.kz", 1, "Right."),
        ("goszakup*", Decimal("0.5"), "Give the full address."),
    ]


def test_numerical_with_tolerance_and_feedback_for_any_other_answer(sample):
    q = sample["Hearings"]
    assert q.type == NUMERIC
    assert [(a.text, a.tolerance, a.fraction) for a in q.accepted] == [("3", 2, 1)]
    assert q.feedback_incorrect == "Between one and five."


def test_essay(sample):
    q = sample["Hearing report"]
    assert q.type == ESSAY
    assert q.default_mark == 5
    assert q.general_feedback == "Say when and where it was held."


@pytest.mark.parametrize("qtype", ["calculated", "multianswer", "ddwtos", "randomsamatch"])
def test_unsupported_types_are_skipped(qtype):
    questions, problems = parse_moodle_xml(quiz(question(qtype, "")))
    assert questions == []
    assert [(p.position, p.qtype, p.reason, p.fatal) for p in problems] == [
        ("question 1", qtype, "unsupported type", False)
    ]


@pytest.mark.parametrize(
    ("body", "qtype", "reason"),
    [
        ('<answer fraction="fifty"><text>a</text></answer>', "multichoice", "“fifty” is not"),
        (
            '<single>true</single><answer fraction="50"><text>a</text></answer>'
            '<answer fraction="0"><text>b</text></answer>',
            "multichoice",
            "full marks cannot be earned",
        ),
        (
            '<single>false</single><answer fraction="50"><text>a</text></answer>'
            '<answer fraction="0"><text>b</text></answer>',
            "multichoice",
            "add up to 50%, not 100%",
        ),
        ('<answer fraction="100"><text>a</text></answer>', "multichoice", "at least two"),
        (
            '<answer fraction="0"><text>true</text></answer>'
            '<answer fraction="0"><text>false</text></answer>',
            "truefalse",
            "exactly one",
        ),
        ('<answer fraction="100"><text>maybe</text></answer>', "truefalse", "“maybe”"),
        ('<answer fraction="100"><text>three</text></answer>', "numerical", "not a number"),
        ('<answer fraction="100"><text>*</text></answer>', "numerical", "must be worth 0%"),
        ("", "shortanswer", "no accepted answer"),
        ("<defaultgrade>lots</defaultgrade>", "essay", "<defaultgrade> is not a number"),
    ],
)
def test_malformed_questions_are_fatal(body, qtype, reason):
    questions, problems = parse_moodle_xml(quiz(question(qtype, body)))
    assert questions == []
    assert len(problems) == 1 and problems[0].fatal
    assert reason in problems[0].reason


def test_a_question_without_text_is_malformed():
    data = quiz('<question type="essay"><name><text>Empty</text></name></question>')
    _questions, problems = parse_moodle_xml(data)
    assert [p.reason for p in problems] == ["the question has no text"]


def test_a_billion_laughs_is_refused_at_once():
    started = time.monotonic()
    questions, problems = read_file(FILES / "billion_laughs.xml", "moodle-xml")
    assert time.monotonic() - started < 1
    assert questions == []
    assert len(problems) == 1 and problems[0].fatal
    assert "declares a DTD" in problems[0].reason


def test_external_entities_are_refused():
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        b'<quiz><question type="essay"><name><text>&xxe;</text></name></question></quiz>'
    )
    questions, problems = parse_moodle_xml(data)
    assert questions == []
    assert "DTD" in problems[0].reason


def test_files_that_are_not_xml_or_not_moodle_questions():
    _questions, problems = read_file(FILES / "malformed.xml", "moodle-xml")
    assert [p.position for p in problems] == ["file"]
    assert problems[0].reason.startswith("not well-formed XML: mismatched tag: line 12")
    _questions, problems = parse_moodle_xml(b"<html><body>Hello</body></html>")
    assert "starts with <html>, not <quiz>" in problems[0].reason


@pytest.mark.django_db
def test_a_refused_file_imports_nothing():
    root = Category.objects.create(name="Imports")
    questions, problems = read_file(FILES / "billion_laughs.xml", "moodle-xml")
    with pytest.raises(ImportFailed):
        import_questions(parsed=questions, problems=problems, root_category=root, dry_run=False)
    assert Question.objects.count() == 0


@pytest.mark.django_db
def test_imported_numerical_is_graded_within_its_tolerance(parsed):
    questions, problems = parsed
    root = Category.objects.create(name="Imports")
    report = import_questions(
        parsed=questions, problems=problems, root_category=root, dry_run=False
    )
    assert (report.imported, report.skipped) == (6, 2)
    hearings = Question.objects.get(name="Hearings")
    assert hearings.category.name == "Spending"
    assert hearings.category.parent.name == "Default for Budget"
    assert hearings.category.parent.parent == root
    assert grade(hearings, {"text": "5"}) == 1
    assert grade(hearings, {"text": "5.5"}) == 0
    revenues = Question.objects.get(name="Own revenues")
    ids = [choice.pk for choice in revenues.choices.all()]
    assert grade(revenues, {"choices": ids[:3]}) == 1
    assert grade(revenues, {"choices": ids}) == 0


# Writing and the round trip -------------------------------------------------------------


@pytest.fixture
def bank(db):
    """A category with a subcategory and a sub-subcategory, one question of each type."""
    budget = make.category("Budget")
    budget.description = "Questions on the budget of a rural district."
    budget.save()
    spending = make.category("Spending & capital/investment", parent=budget)
    deeper = make.category("Deeper", parent=spending)
    single = make.single(budget)
    single.shuffle_choices = False
    single.default_mark = Decimal("2.50")
    single.text = '<p>Which level? <img src="/media/levels.png" alt="levels"> &amp; why</p>'
    single.save()
    Choice.objects.filter(question=single, text="Первый").update(feedback="Нет <b>это</b> не так.")
    make.multiple(budget)
    tf = make.true_false(spending, correct=False)
    tf.feedback_correct, tf.feedback_incorrect = "Верно.", "Нет:\nсрок — пять лет."
    tf.save()
    short = make.short(spending)
    short.feedback_correct, short.feedback_incorrect = "Да.", "Нет."
    short.save()
    AcceptedAnswer.objects.filter(question=short, text="goszakup*").update(feedback="Полностью?")
    numeric = make.numeric(deeper)
    AcceptedAnswer.objects.create(
        question=numeric, text="-0.125", tolerance=Decimal("0.000001"), fraction=Decimal("0.1")
    )
    essay = make.essay(deeper)
    essay.explanation = "Назовите дату, место и участников."
    essay.save()
    make.rating(budget, [Scale.objects.create(name="Координатор")])
    return budget


def snapshot(top: Category, *, base: Category | None = None) -> list[tuple]:
    """The relevant fields of every question in or below ``top``, with its category's
    path from ``base`` (exclusive; None: from the top of the bank)."""

    def path(category: Category) -> tuple[str, ...]:
        names = []
        while category is not None and category != base:
            names.insert(0, category.name)
            category = category.parent
        return tuple(names)

    rows = []
    questions = Question.objects.filter(category__in=top.descendant_ids()).exclude(
        type=Question.Type.RATING
    )
    for q in questions:
        rows.append(
            (
                path(q.category),
                q.type,
                q.name,
                q.text,
                q.default_mark,
                q.feedback_correct,
                q.feedback_incorrect,
                q.explanation,
                q.correct_bool,
                q.shuffle_choices if q.has_choices else None,
                [(c.text, c.fraction, c.feedback) for c in q.choices.all()],
                [
                    (a.text, a.tolerance, a.fraction, a.feedback)
                    for a in q.accepted_answers.order_by("pk")
                ],
            )
        )
    return sorted(rows, key=lambda row: (row[0], row[2]))


def test_export_then_import_gives_the_same_questions(bank):
    before = snapshot(bank)
    data = export_moodle_xml(bank)
    questions, problems = parse_moodle_xml(data)
    assert problems == []
    copy = Category.objects.create(name="Copy")
    report = import_questions(
        parsed=questions, problems=problems, root_category=copy, dry_run=False
    )
    assert report.imported == 6
    after = snapshot(copy, base=copy)
    assert len(before) == 6
    assert before[0][0] == ("Budget",)
    assert after == before


def test_export_writes_a_category_element_for_each_category(bank):
    root = SafeET.fromstring(export_moodle_xml(bank))
    paths = [
        element.findtext("category/text") for element in root.findall("question[@type='category']")
    ]
    assert paths == [
        "$course$/top/Budget",
        "$course$/top/Budget/Spending & capital//investment",
        "$course$/top/Budget/Spending & capital//investment/Deeper",
    ]
    types = [element.get("type") for element in root.findall("question")]
    assert types == [
        "category",
        "multichoice",
        "multichoice",
        "category",
        "truefalse",
        "shortanswer",
        "category",
        "numerical",
        "essay",
    ]


def test_self_assessment_questions_are_left_out_with_a_note(bank):
    export = build_moodle_xml(bank)
    assert export.exported == 6
    [(question, reason)] = export.skipped
    assert question.type == Question.Type.RATING
    assert "no Moodle XML equivalent" in reason
    assert f"skipped: question {question.pk}".encode() in export.data
    assert b"<!--" in export.data


def test_an_exported_subcategory_alone(bank):
    spending = Category.objects.get(parent=bank)
    questions, problems = parse_moodle_xml(export_moodle_xml(spending))
    assert problems == []
    assert {q.category for q in questions} == {
        "Spending & capital//investment",
        "Spending & capital//investment/Deeper",
    }
