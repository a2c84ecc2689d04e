import pytest

from tests.factories import UserFactory
from tests.factories import quizzes as make


@pytest.fixture
def cat(db):
    return make.category()


@pytest.fixture
def learner(db):
    return UserFactory(email="akim@example.com")


@pytest.fixture
def quiz(cat):
    return make.quiz_with([make.single(cat), make.true_false(cat), make.short(cat)])
