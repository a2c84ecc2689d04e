"""Quiz texts with a column per language on one row: the copy of the old texts into
Russian, the fallback order, and names looked up in any language."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from quizzes import i18n
from quizzes.interchange.gift import parse_gift
from quizzes.interchange.importer import import_questions_into
from quizzes.models import Category, Question
from tests.factories import quizzes as make

BEFORE = [("quizzes", "0006_question_import_takeover")]
AFTER = [("quizzes", "0008_copy_texts_into_russian")]


@pytest.fixture
def _latest_schema_after():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_latest_schema_after")
def test_texts_written_before_are_copied_into_russian_and_nothing_else():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    category = old.get_model("quizzes", "Category").objects.create(name="Бюджет")
    old.get_model("quizzes", "Question").objects.create(
        category=category,
        type="single",
        name="Q",
        text="<p>Бюджет ауыла кім бекітеді?</p>",  # Kazakh, but nothing said so
        feedback_correct="Дұрыс.",
    )
    old.get_model("quizzes", "Quiz").objects.create(title="Итоговый тест")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    question = new.get_model("quizzes", "Question").objects.get()
    assert question.text_ru == "<p>Бюджет ауыла кім бекітеді?</p>"
    assert question.feedback_correct_ru == "Дұрыс."
    assert question.text_kk is None and question.text_en is None
    assert question.feedback_incorrect_ru is None  # empty stays "not written"
    assert new.get_model("quizzes", "Category").objects.get().name_ru == "Бюджет"
    assert new.get_model("quizzes", "Quiz").objects.get().title_ru == "Итоговый тест"


@pytest.mark.django_db
def test_a_text_falls_back_to_russian_then_kazakh_then_english():
    cat = make.category()
    question = Question.objects.create(
        category=cat, type=Question.Type.ESSAY, name="Q", text_kk="Қазақша", text_en="English"
    )
    with translation.override("en"):
        assert question.text == "English"
        assert i18n.shown_language(question, "text") == "en"
    with translation.override("ru"):  # no Russian: Kazakh comes before English
        assert question.text == "Қазақша"
        assert i18n.shown_language(question, "text") == "kk"
    question.text_ru = "Русский"
    with translation.override("en"):
        question.text_en = None
        assert question.text == "Русский"
        assert i18n.shown_language(question, "text", "kk") == "kk"
        assert i18n.variants(question, "text") == {"kk": "Қазақша", "ru": "Русский"}


@pytest.mark.django_db
def test_an_import_finds_its_category_in_any_language_and_writes_russian():
    # Written with the admin in Russian; imported into by someone whose admin is in English.
    with translation.override("ru"):
        budget = make.category("Бюджет")
    parsed, problems = parse_gift("::Q1::Who approves? {=The maslikhat ~The akim}")
    with translation.override("en"):
        import_questions_into(parsed=parsed, problems=problems, category_path="Бюджет")
    assert Category.objects.count() == 1
    question = budget.questions.get()
    # A file says nothing of its language: its texts are the default language's (ru).
    assert (question.text_ru, question.text_en) == ("<p>Who approves?</p>", None)
    assert [choice.text_ru for choice in question.choices.all()] == ["The maslikhat", "The akim"]


@pytest.mark.django_db
def test_a_name_may_repeat_nowhere_but_may_be_missing_in_many_languages():
    # NULL, not "", for a translation not written: two categories without a Kazakh name
    # do not collide on the Kazakh copy of the unique name.
    with translation.override("ru"):
        make.category("Бюджет")
        make.category("Закупки")
    assert Category.objects.filter(name_kk__isnull=True).count() == 2
