"""Grading of every question type, including partial credit and edge cases."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizzes.grading import grade, normalise_text, parse_number, short_answer_matches
from tests.factories import quizzes as make


@pytest.fixture
def cat(db):
    return make.category()


def _choice(question, text):
    return question.choices.get(text=text).pk


def test_single_choice(cat):
    q = make.single(cat)
    assert grade(q, {"choice": _choice(q, "Четвёртый")}) == 1
    assert grade(q, {"choice": _choice(q, "Первый")}) == 0
    assert grade(q, {}) == 0
    assert grade(q, {"choice": 999999}) == 0


def test_multiple_response_partial_credit_and_negative_marks_floor_at_zero(cat):
    q = make.multiple(cat)
    taxes, fines, loans = (_choice(q, t) for t in ["Налоги", "Штрафы", "Кредиты"])
    assert grade(q, {"choices": [taxes, fines]}) == 1
    assert grade(q, {"choices": [taxes]}) == Decimal("0.5")
    assert grade(q, {"choices": [taxes, loans]}) == 0  # 0.5 - 1 floors at 0
    assert grade(q, {"choices": [taxes, fines, loans]}) == 0
    assert grade(q, {"choices": []}) == 0


def test_true_false(cat):
    q = make.true_false(cat, correct=True)
    assert grade(q, {"value": True}) == 1
    assert grade(q, {"value": False}) == 0
    assert grade(q, {}) == 0


def test_short_answer_ignores_case_and_spacing_and_knows_wildcards(cat):
    q = make.short(cat)
    assert grade(q, {"text": "  Портал   ГОСЗАКУПОК "}) == 1
    assert grade(q, {"text": "goszakup.kz"}) == Decimal("0.5")
    assert grade(q, {"text": "сайт"}) == 0
    assert grade(q, {"text": ""}) == 0


def test_numeric_with_tolerance_and_comma_decimal(cat):
    q = make.numeric(cat)
    assert grade(q, {"text": "730"}) == 1
    assert grade(q, {"text": "745,5"}) == Decimal("0.5")
    assert grade(q, {"text": "800"}) == 0
    assert grade(q, {"text": "много"}) == 0


def test_essays_and_self_assessments_are_not_auto_graded(cat):
    assert grade(make.essay(cat), {"text": "План"}) is None


LETTERS = "abcxyzABCXYZабвгдежАБВГДЕЖәғқңөұүһіӘҒҚҢӨҰҮҺІ "


@given(st.text(max_size=40))
def test_normalising_is_idempotent_and_tidies_spaces(text):
    once = normalise_text(text)
    assert normalise_text(once) == once
    assert once == once.strip() and "  " not in once
    assert normalise_text(text.replace(" ", "   ")) == once


@given(st.text(alphabet=LETTERS, min_size=1, max_size=30).filter(str.strip))
def test_an_answer_matches_itself_in_any_case_and_spacing(text):
    assert short_answer_matches(text, f"  {text.upper()}  ")
    assert short_answer_matches(text.lower(), text.replace(" ", "  "))


@given(st.text(alphabet=st.characters(blacklist_characters="*"), max_size=20))
def test_a_lone_wildcard_matches_anything(text):
    assert short_answer_matches("*", text)


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("3,5", Decimal("3.5")),
        (" 1 200 ", Decimal("1200")),
        ("-0.25", Decimal("-0.25")),
        ("abc", None),
        ("NaN", None),
    ],
)
def test_numbers_as_learners_type_them(typed, value):
    assert parse_number(typed) == value
