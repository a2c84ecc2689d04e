"""The demo quizzes' Kazakh and English texts, read from NAME.kk.gift / NAME.en.gift
and the ``_kk``/``_en`` keys of the YAML files, on a small copy of the content in
tests/demo/files/quizzes: what exists is applied, what is missing is skipped, and a
second seed changes nothing."""

import shutil
from pathlib import Path

import pytest
from django.utils import translation

from demo import quizzes as demo_quizzes
from quizzes.grading import grade
from quizzes.models import Category, Choice, Question, Quiz, Scale

FILES = Path(__file__).resolve().parent / "files" / "quizzes"


@pytest.fixture
def content(monkeypatch, tmp_path):
    folder = tmp_path / "quizzes"
    shutil.copytree(FILES, folder)
    monkeypatch.setattr(demo_quizzes, "CONTENT", folder)
    demo_quizzes.manifest.cache_clear()
    yield folder
    demo_quizzes.manifest.cache_clear()


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Quiz, Question, Choice, Category, Scale))


def test_the_translations_that_exist_are_applied(db, content):
    with translation.override("en"):  # whatever the caller's language: the content is ru
        seeded = demo_quizzes.seed_quizzes()
    budget, procurement = seeded["module_tests"][0], seeded["final_exam"]
    assert (budget.title_ru, budget.title_kk, budget.title_en) == (
        "Тест по бюджету",
        "Бюджет бойынша тест",
        "Budget test",
    )
    assert (procurement.title_kk, procurement.title_en) == (None, None)  # no files, no keys
    assert Category.objects.get(name_ru="Банк вопросов").name_kk == "Сұрақтар банкі"
    assert Category.objects.get(name_ru="Бюджет").name_kk == "Бюджет (kk)"

    who = Question.objects.get(name="Кто утверждает бюджет")
    assert who.text_kk == "<p>Ауылдық округтің бюджетін кім бекітеді?</p>alert(1)"  # cleaned
    assert who.explanation_kk == "Аудан мәслихаты бекітеді."
    assert (who.feedback_correct_ru, who.feedback_correct_kk) == ("Верно.", "Дұрыс.")
    assert who.feedback_incorrect_en == "Not quite."  # a YAML key without an en file
    assert who.text_en is None
    assert [(c.text_kk, c.feedback_kk, c.fraction) for c in who.choices.all()] == [
        ("Аудандық мәслихат", "Иә.", 1),
        ("Әкім", "Жоқ.", 0),
        ("Тұрғындар жиыны", None, 0),
    ]
    portal = Question.objects.get(name="Портал")
    assert [a.text_kk for a in portal.accepted_answers.order_by("pk")] == [
        "мемлекеттік сатып алу порталы",
        "goszakup*",
    ]
    with translation.override("kk"):  # a Kazakh learner typing the Kazakh answer
        assert grade(portal, {"text": "Мемлекеттік сатып алу порталы"}) == 1
    assert Question.objects.get(name="Бюджет на год").text_kk is None  # not in the kk file

    roles = seeded["self_assessment"]
    assert (roles.title_en, roles.title_kk) == ("My role in a team", None)
    assert Scale.objects.get(name_ru="Координатор").name_kk == "Үйлестіруші"
    statement = Question.objects.get(name="Роли. Начало проекта")
    assert statement.text_kk == "<p>Команда жобаны бастағанда, мен…</p>"
    assert [c.text_kk for c in statement.choices.all()] == ["мақсатты келісемін", None]


def test_seeding_again_changes_nothing_and_keeps_a_trainers_wording(db, content):
    demo_quizzes.seed_quizzes()
    before = counts()
    Question.objects.filter(name="Кто утверждает бюджет").update(text_kk="<p>Өзгертілді</p>")
    demo_quizzes.seed_quizzes()
    assert counts() == before
    assert Question.objects.get(name="Кто утверждает бюджет").text_kk == "<p>Өзгертілді</p>"


def test_a_translation_with_other_answers_is_refused(db, content):
    kk = content / "budget.kk.gift"
    kk.write_text(kk.read_text(encoding="utf-8").replace("\t~Әкім#Жоқ.\n", ""), "utf-8")
    with pytest.raises(ValueError, match="budget.kk.gift: .*“Кто утверждает бюджет”"):
        demo_quizzes.seed_quizzes()
    assert not Quiz.objects.exists()  # one transaction: nothing half-seeded


def test_a_translated_question_missing_from_the_quiz_is_refused(db, content):
    kk = content / "budget.kk.gift"
    extra = "\n::Жоқ сұрақ::Мұндай сұрақ жоқ.{TRUE}\n"
    kk.write_text(kk.read_text(encoding="utf-8") + extra, "utf-8")
    with pytest.raises(ValueError, match="budget.kk.gift: .*“Жоқ сұрақ”"):
        demo_quizzes.seed_quizzes()
    assert not Quiz.objects.exists()
