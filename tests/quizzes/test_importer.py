"""Saving parsed questions: queries per batch, not per question; a dry run writes nothing;
the reference index learns of imported questions; a 5 MB file parses in seconds."""

import time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import ReferenceIndex

from bench.question_files import gift_file
from quizzes.interchange import importer
from quizzes.interchange.gift import parse_gift
from quizzes.interchange.importer import (
    ImportFailed,
    import_questions,
    import_questions_into,
    read_file,
)
from quizzes.models import AcceptedAnswer, Category, Choice, Question
from tests.factories import quizzes as make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def bank(count: int) -> str:
    """``count`` questions of five types in two nested categories."""
    kinds = [
        "Which level? {=Fourth ~First ~Second #No.}",
        "The akim is elected. {TRUE#No.#Yes.}",
        "Portal? {=goszakup.gov.kz =%50%goszakup*}",
        "Hearings? {#3:2}",
        "Describe the report. {}",
    ]
    lines = ["$CATEGORY: Budget/Revenues"]
    for n in range(count):
        lines += [f"::Q{n}::{kinds[n % len(kinds)]}", ""]
    return "\n".join(lines)


def queries_to_import(count: int) -> int:
    parsed, problems = parse_gift(bank(count))
    root = make.category(f"Bank {count}")
    ContentType.objects.clear_cache()  # each count pays the same content-type lookups
    with CaptureQueriesContext(connection) as queries:
        import_questions(parsed=parsed, problems=problems, root_category=root)
    assert Question.objects.filter(category__parent__parent=root).count() == count
    return len(queries)


def test_an_import_makes_as_many_queries_for_30_questions_as_for_10():
    # 30: few enough for one INSERT of each kind even on SQLite, whose limit on the
    # variables of a statement makes Django split bigger inserts (a question has a
    # column per language for each of its texts).
    assert queries_to_import(30) == queries_to_import(10)


def test_a_thousand_questions_cost_a_few_dozen_queries():
    # About 40 on SQLite (Django splits its inserts into statements of at most 999
    # variables), fewer on PostgreSQL; a few more for the two new categories once the
    # admin has registered them with the reference index. Before: over 1,600.
    assert queries_to_import(1000) < 100


def test_queries_grow_by_a_constant_per_batch(monkeypatch):
    monkeypatch.setattr(importer, "BATCH_SIZE", 10)
    one, five, ten = queries_to_import(10), queries_to_import(50), queries_to_import(100)
    per_batch = (five - one) / 4
    assert per_batch == (ten - five) / 5
    assert per_batch <= 4  # questions, choices, accepted answers, reference index


def test_a_dry_run_checks_everything_and_writes_nothing():
    make.category("Bank")
    parsed, problems = parse_gift(bank(12))
    before = (Category.objects.count(), Question.objects.count(), ReferenceIndex.objects.count())
    with CaptureQueriesContext(connection) as queries:
        report = import_questions_into(
            parsed=parsed, problems=problems, category_path="Bank/New", dry_run=True
        )
    assert not any(q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE")) for q in queries)
    assert (report.imported, report.skipped, report.dry_run) == (12, 0, True)
    assert report.categories_created == 3  # New, Budget, Revenues; Bank exists
    assert [(c.path, c.questions, c.new) for c in report.categories] == [
        ("Budget/Revenues", 12, True)
    ]
    after = (Category.objects.count(), Question.objects.count(), ReferenceIndex.objects.count())
    assert after == before


def test_import_into_a_path_makes_the_categories_and_reports_them():
    make.category("Bank")
    parsed, problems = parse_gift(bank(3) + "\n\n$CATEGORY: Budget\n\nLast? {T}")
    report = import_questions_into(parsed=parsed, problems=problems, category_path="Bank")
    assert [(c.path, c.questions, c.new) for c in report.categories] == [
        ("Budget/Revenues", 3, True),
        ("Budget", 1, True),
    ]
    assert report.categories_created == 2
    revenues = importer.category_for_path("Bank/Budget/Revenues")
    assert revenues.questions.count() == 3
    assert Category.objects.filter(name="Bank").count() == 1


def test_a_refused_question_anywhere_saves_nothing():
    source = bank(600) + "\n\n::Too long:: Q {=" + "x" * 300 + "}\n"
    parsed, problems = parse_gift(source)
    before = (Category.objects.count(), Question.objects.count(), Choice.objects.count())
    with pytest.raises(ImportFailed) as raised:
        import_questions_into(parsed=parsed, problems=problems, category_path="Bank")
    assert [str(p) for p in raised.value.problems] == [
        "line 1203 (short): answer text: Ensure this value has at most 255 characters (it has 300)."
    ]
    assert (Category.objects.count(), Question.objects.count(), Choice.objects.count()) == before


def test_imported_choices_and_answers_belong_to_their_question_in_order():
    parsed, problems = parse_gift(bank(5))
    import_questions_into(parsed=parsed, problems=problems, category_path="Bank")
    levels = Question.objects.get(name="Q0")
    assert [(c.text, c.sort_order) for c in levels.choices.all()] == [
        ("Fourth", 0),
        ("First", 1),
        ("Second", 2),
    ]
    portal = Question.objects.get(name="Q2")
    assert list(portal.accepted_answers.order_by("pk").values_list("text", flat=True)) == [
        "goszakup.gov.kz",
        "goszakup*",
    ]
    assert AcceptedAnswer.objects.count() == 2 + 1  # the portal's two, the hearings' one


def test_the_reference_index_lists_imported_questions_as_wagtail_would():
    parsed, problems = parse_gift(bank(7))
    import_questions_into(parsed=parsed, problems=problems, category_path="Bank")
    revenues = importer.category_for_path("Bank/Budget/Revenues")
    assert ReferenceIndex.get_references_to(revenues).count() == 7

    question_type = ContentType.objects.get_for_model(Question)

    def rows():
        return set(
            ReferenceIndex.objects.filter(base_content_type=question_type).values_list(
                "object_id", "to_content_type", "to_object_id", "model_path", "content_path"
            )
        )

    written = rows()
    ReferenceIndex.objects.filter(base_content_type=question_type).delete()
    for question in Question.objects.all():
        ReferenceIndex.create_or_update_for_object(question)
    assert rows() == written


def test_a_file_of_5_mb_parses_in_seconds():
    data = gift_file(12_000)
    assert len(data) <= 5 * 1024 * 1024
    started = time.perf_counter()
    parsed, problems = read_file(data, "gift")
    elapsed = time.perf_counter() - started
    assert (len(parsed), problems) == (12_000, [])
    assert elapsed < 30, elapsed  # about 1.5 s here: only a return to quadratic time fails
