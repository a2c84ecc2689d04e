"""Question banks and quizzes for tests."""

from __future__ import annotations

from decimal import Decimal

from quizzes.models import AcceptedAnswer, Category, Choice, Question, Quiz, QuizSlot, Scale


def category(name: str = "Бюджет", parent: Category | None = None) -> Category:
    return Category.objects.get_or_create(name=name, parent=parent)[0]


def single(cat: Category, name: str = "Уровни бюджета", right: str = "Четвёртый") -> Question:
    question = Question.objects.create(
        category=cat,
        type=Question.Type.SINGLE,
        name=name,
        text="<p>Каким уровнем бюджета является бюджет сельского округа?</p>",
        feedback_correct="Верно.",
        feedback_incorrect="Неверно.",
        explanation="Бюджет сельского округа — четвёртый уровень бюджетной системы.",
    )
    for order, (text, fraction) in enumerate(
        [(right, "1"), ("Первый", "0"), ("Второй", "0"), ("Третий", "0")]
    ):
        Choice.objects.create(
            question=question, text=text, fraction=Decimal(fraction), sort_order=order
        )
    return question


def multiple(cat: Category) -> Question:
    question = Question.objects.create(
        category=cat, type=Question.Type.MULTIPLE, name="Доходы", text="<p>Доходы бюджета?</p>"
    )
    for text, fraction in [("Налоги", "0.5"), ("Штрафы", "0.5"), ("Кредиты", "-1")]:
        Choice.objects.create(question=question, text=text, fraction=Decimal(fraction))
    return question


def true_false(cat: Category, correct: bool = True) -> Question:
    return Question.objects.create(
        category=cat,
        type=Question.Type.TRUE_FALSE,
        name="Срок полномочий",
        text="<p>Аким избирается на четыре года.</p>",
        correct_bool=correct,
    )


def short(cat: Category) -> Question:
    question = Question.objects.create(
        category=cat, type=Question.Type.SHORT, name="Закон", text="<p>Как называется портал?</p>"
    )
    AcceptedAnswer.objects.create(question=question, text="портал госзакупок")
    AcceptedAnswer.objects.create(question=question, text="goszakup*", fraction=Decimal("0.5"))
    return question


def numeric(cat: Category) -> Question:
    question = Question.objects.create(
        category=cat, type=Question.Type.NUMERIC, name="Выборы", text="<p>Сколько акимов?</p>"
    )
    AcceptedAnswer.objects.create(question=question, text="730", tolerance=Decimal("0"))
    AcceptedAnswer.objects.create(
        question=question, text="730", tolerance=Decimal("20"), fraction=Decimal("0.5")
    )
    return question


def essay(cat: Category) -> Question:
    return Question.objects.create(
        category=cat,
        type=Question.Type.ESSAY,
        name="План",
        text="<p>Опишите проект для вашего села.</p>",
        default_mark=Decimal("5"),
    )


def rating(cat: Category, scales: list[Scale]) -> Question:
    question = Question.objects.create(
        category=cat,
        type=Question.Type.RATING,
        name="Роли в команде",
        text="<p>Распределите 10 баллов.</p>",
        rating_points=10,
    )
    for scale in scales:
        Choice.objects.create(question=question, text=f"Я {scale.name}", scale=scale)
    return question


def quiz_with(questions: list[Question], **options) -> Quiz:
    defaults = {"title": "Тест по модулю", "published": True, "pass_mark": Decimal("60")}
    quiz = Quiz.objects.create(**{**defaults, **options})
    for order, question in enumerate(questions):
        QuizSlot.objects.create(quiz=quiz, question=question, sort_order=order)
    return quiz
