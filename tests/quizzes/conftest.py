from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation

from quizzes.models import AcceptedAnswer, Category, Choice, Question
from tests.factories import UserFactory
from tests.factories import quizzes as make


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language (Russian). A page a test opens leaves its
    language active in the thread, and quiz texts written with ``text=`` go into the
    active language's column (``text_ru``…): one test's /en/ page must not make the
    next test's questions English."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def cat(db):
    return make.category()


@pytest.fixture
def learner(db):
    return UserFactory(email="akim@example.com")


@pytest.fixture
def quiz(cat):
    return make.quiz_with([make.single(cat), make.true_false(cat), make.short(cat)])


@pytest.fixture
def bank(db):
    budget = Category.objects.create(name="Бюджет")
    revenues = Category.objects.create(name="Доходы", parent=budget)
    single = Question.objects.create(
        category=budget,
        type=Question.Type.SINGLE,
        name="Кто утверждает бюджет",
        text="<p>Кто утверждает бюджет сельского округа?</p>",
    )
    Choice.objects.create(question=single, text="Маслихат района", fraction=1, sort_order=0)
    Choice.objects.create(question=single, text="Сход жителей", fraction=0, sort_order=1)
    short = Question.objects.create(
        category=revenues,
        type=Question.Type.SHORT,
        name="Налог на имущество",
        text="<p>Какой налог поступает в бюджет аула?</p>",
    )
    AcceptedAnswer.objects.create(question=short, text="налог на имущество", fraction=1)
    essay = Question.objects.create(
        category=budget,
        type=Question.Type.ESSAY,
        name="Эссе о бюджете",
        text="<p>Опишите, как вы готовите бюджет.</p>",
        default_mark=Decimal("2"),
    )
    return {
        "budget": budget,
        "revenues": revenues,
        "single": single,
        "short": short,
        "essay": essay,
    }
