"""The import_questions and export_questions commands: all or nothing, dry runs, output."""

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, ManagementUtility, call_command
from django.db import connections
from django.utils import translation

from quizzes.interchange import ParsedQuestion, ParseProblem
from quizzes.interchange.importer import (
    ImportFailed,
    category_for_path,
    import_questions,
    read_file,
)
from quizzes.models import AcceptedAnswer, Category, Choice, Question
from tests.factories import quizzes as make

FILES = Path(__file__).parent / "files"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=out)
    return out.getvalue()


def counts() -> tuple[int, int, int, int]:
    return (
        Category.objects.count(),
        Question.objects.count(),
        Choice.objects.count(),
        AcceptedAnswer.objects.count(),
    )


# Importing ------------------------------------------------------------------------------


def test_import_a_gift_file_into_a_new_nested_category():
    output = run("import_questions", str(FILES / "sample.gift"), "--category", "Akims/Budget")
    assert output.strip().splitlines() == ["imported 19, skipped 0"]
    target = category_for_path("Akims/Budget")
    assert target.parent.name == "Akims"
    revenues = category_for_path("Budget/Revenues", parent=target)
    spending = category_for_path("Budget/Spending", parent=target)
    assert revenues.questions.count() == 8
    assert spending.questions.count() == 11
    levels = Question.objects.get(name="Levels of the budget")
    assert levels.explanation.startswith("The budget of a rural district became")
    assert [c.text for c in levels.choices.all()] == ["First", "Second", "Third", "Fourth"]


def test_skipped_questions_are_listed_then_the_totals():
    output = run("import_questions", str(FILES / "unsupported.gift"), "--category", "Bank")
    assert output.strip().splitlines() == [
        "skipped: line 5 (matching): unsupported type",
        "skipped: line 10 (description): unsupported type: no answer block",
        "imported 2, skipped 2",
    ]
    assert Question.objects.count() == 2


def test_import_moodle_xml():
    output = run(
        "import_questions", str(FILES / "sample.xml"), "--format", "moodle-xml", "--category", "M"
    )
    assert output.strip().splitlines() == [
        "skipped: question 9 (matching): unsupported type",
        "skipped: question 10 (description): unsupported type",
        "imported 6, skipped 2",
    ]
    assert category_for_path("M/Default for Budget/Spending").questions.count() == 3


def test_the_format_comes_from_the_extension_unless_given(tmp_path):
    odd = tmp_path / "questions.dat"
    shutil.copy(FILES / "unsupported.gift", odd)
    with pytest.raises(CommandError, match="give --format"):
        run("import_questions", str(odd), "--category", "Bank")
    assert "imported 2" in run("import_questions", str(odd), "--format", "gift", "--category", "B")


def test_an_existing_category_is_reused():
    bank = make.category("Bank")
    run("import_questions", str(FILES / "unsupported.gift"), "--category", "Bank")
    run("import_questions", str(FILES / "unsupported.gift"), "--category", "Bank")
    assert Category.objects.filter(name="Bank").count() == 1
    assert bank.questions.count() == 4


def test_dry_run_saves_nothing():
    before = counts()
    output = run(
        "import_questions", str(FILES / "sample.gift"), "--category", "New/Place", "--dry-run"
    )
    assert output.strip().splitlines()[-1] == "imported 19, skipped 0 (dry run: nothing saved)"
    assert counts() == before


@pytest.mark.parametrize(
    ("name", "problems"),
    [
        (
            "malformed.gift",
            [
                "line 5: the answer block is not closed with }",
                "line 7 (choice): “fifty” is not a weight between -100% and 100%",
                "line 9 (matching): unsupported type (would be skipped)",
            ],
        ),
        ("malformed.xml", ["file: not well-formed XML: mismatched tag: line 12, column 4"]),
        (
            "bad_item.xml",
            [
                "question 2 (multichoice): “fifty” is not a weight between -100 and 100",
                "question 3 (ddwtos): unsupported type (would be skipped)",
            ],
        ),
        ("billion_laughs.xml", ["file: the file declares a DTD"]),
    ],
)
def test_a_malformed_file_changes_nothing_and_lists_every_problem(name, problems):
    make.category("Bank")
    before = counts()
    with pytest.raises(CommandError) as raised:
        run("import_questions", str(FILES / name), "--category", "Bank/New")
    message = str(raised.value)
    assert message.startswith(f"Nothing imported: {FILES / name} has {len(problems)} problem(s):")
    for problem in problems:
        assert problem in message
    assert counts() == before


def test_a_malformed_file_exits_with_a_non_zero_status(monkeypatch, capsys):
    # run_from_argv closes the connections when done: keep the test's transaction open.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    before = counts()
    argv = ["manage.py", "import_questions", str(FILES / "malformed.gift"), "--category", "X"]
    with pytest.raises(SystemExit) as raised:
        ManagementUtility(argv).execute()
    assert raised.value.code == 1
    assert "the answer block is not closed with }" in capsys.readouterr().err
    assert counts() == before


def test_a_question_the_models_refuse_fails_the_whole_import(tmp_path):
    source = tmp_path / "long.gift"
    source.write_text(
        "::Fine:: The akim heads the district. {T}\n\n::Too long:: Q {=" + "x" * 300 + "}\n",
        encoding="utf-8",
    )
    before = counts()
    with pytest.raises(CommandError, match=r"line 3 \(short\): answer text: Ensure"):
        run("import_questions", str(source), "--category", "Bank")
    assert counts() == before


def test_missing_file_and_empty_category():
    with pytest.raises(CommandError, match="Cannot read"):
        run("import_questions", str(FILES / "absent.gift"), "--category", "Bank")
    with pytest.raises(CommandError, match="must name a category"):
        run("import_questions", str(FILES / "sample.gift"), "--category", " / ")


# The service directly -------------------------------------------------------------------


def test_import_questions_refuses_fatal_problems_before_touching_the_database():
    root = make.category("Bank")
    good = ParsedQuestion(type="essay", name="Essay", text="<p>Write.</p>", category="New")
    problems = [ParseProblem("line 9", "", "the answer block is not closed with }")]
    before = counts()
    with pytest.raises(ImportFailed) as raised:
        import_questions(parsed=[good], problems=problems, root_category=root, dry_run=False)
    assert raised.value.problems == problems
    assert counts() == before


def test_import_questions_dry_run_reports_what_would_happen():
    root = make.category("Bank")
    parsed, problems = read_file(FILES / "sample.gift", "gift")
    before = counts()
    report = import_questions(parsed=parsed, problems=problems, root_category=root, dry_run=True)
    assert (report.imported, report.skipped, report.dry_run) == (19, 0, True)
    assert report.categories_created == 3  # Budget, Revenues, Spending
    assert counts() == before


def test_read_file_takes_a_path_bytes_or_an_open_file():
    path = FILES / "unsupported.gift"
    with path.open("rb") as handle:
        from_handle = read_file(handle, "gift")
    assert read_file(path, "gift") == read_file(path.read_bytes(), "gift") == from_handle
    with pytest.raises(ValueError, match="Unknown question file format"):
        read_file(path, "aiken")


# Exporting ------------------------------------------------------------------------------


def test_export_then_import_through_the_commands(tmp_path):
    budget = make.category("Budget")
    make.single(budget)
    make.numeric(make.category("Spending", parent=budget))
    target = tmp_path / "budget.xml"
    output = run("export_questions", "--category", "Budget", "--output", str(target))
    assert output.strip() == f"exported 2, skipped 0 to {target}"
    assert target.read_bytes().startswith(b"<?xml")
    output = run("import_questions", str(target), "--category", "Copy")
    assert output.strip() == "imported 2, skipped 0"
    copied = category_for_path("Copy/Budget/Spending").questions.get()
    assert copied.name == "Выборы"
    assert [(a.text, a.tolerance) for a in copied.accepted_answers.order_by("pk")] == [
        ("730", 0),
        ("730", 20),
    ]


def test_export_notes_skipped_questions_and_can_write_to_standard_output(capsys):
    from quizzes.models import Scale

    budget = make.category("Budget")
    make.essay(budget)
    rating = make.rating(budget, [Scale.objects.create(name="Координатор")])
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "export_questions", "--category", "Budget", "--output", "-", stdout=out, stderr=err
    )
    assert out.getvalue().startswith("<?xml")
    assert err.getvalue().splitlines() == [
        f"skipped: question {rating.pk} “Роли в команде”: self-assessment questions have no "
        "Moodle XML equivalent",
        "exported 1, skipped 1",
    ]


def test_export_of_a_missing_category():
    with pytest.raises(CommandError, match="No category 'Nowhere/Here'"):
        run("export_questions", "--category", "Nowhere/Here", "--output", "x.xml")


def test_imported_question_html_is_cleaned(db):
    from quizzes.interchange.gift import parse_gift
    from quizzes.interchange.importer import import_questions
    from quizzes.models import Category, Question

    parsed, problems = parse_gift(
        '::XSS::[html]<p onclick="x()">Бюджет <script>alert(1)</script><b>села</b></p>{T}'
    )
    root = Category.objects.create(name="Импорт")
    import_questions(parsed=parsed, problems=problems, root_category=root, dry_run=False)
    text = Question.objects.get(name="XSS").text
    assert "<script>" not in text and "onclick" not in text
    assert "<b>села</b>" in text
