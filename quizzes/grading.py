"""Grading of one answer, per question type. Pure functions: no database access.

Each grader gets the question (with its choices and accepted answers already loaded)
and the response as saved, and returns the fraction of the mark earned (0…1), or
None when a person must mark it (essays) or there is nothing to mark (self-assessment).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from quizzes import i18n
from quizzes.models import AcceptedAnswer, Question

ZERO, ONE = Decimal("0"), Decimal("1")


def normalise_text(text: str) -> str:
    """How short answers are compared: case, accents' composition and spacing ignored."""
    text = unicodedata.normalize("NFC", str(text)).casefold()
    return " ".join(text.split())


def short_answer_matches(pattern: str, given: str) -> bool:
    """Does ``given`` match an accepted ``pattern``? ``*`` matches any characters."""
    parts = [re.escape(part) for part in normalise_text(pattern).split("*")]
    return re.fullmatch(".*".join(parts), normalise_text(given), flags=re.DOTALL) is not None


def parse_number(text: str) -> Decimal | None:
    """A number as a learner types it: "3,5", " 1 200 ", "-0.25"."""
    cleaned = str(text).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def answer_texts(answer: AcceptedAnswer) -> list[str]:
    """Every language's text of an accepted answer. They are one answer (one fraction,
    one feedback), so a learner who types the Kazakh one gets the mark whatever the page's
    language, and regrading in another language gives the same grade."""
    return list(i18n.variants(answer, "text").values())


def short_answer_accepts(answer: AcceptedAnswer, given: str) -> bool:
    return any(short_answer_matches(text, given) for text in answer_texts(answer))


def _clamp(value: Decimal) -> Decimal:
    return max(ZERO, min(ONE, value))


def grade(question: Question, response: dict) -> Decimal | None:
    kind = question.type
    if kind == Question.Type.ESSAY or kind == Question.Type.RATING:
        return None
    if kind == Question.Type.TRUE_FALSE:
        value = response.get("value")
        if value is None:
            return ZERO
        return ONE if bool(value) == question.correct_bool else ZERO
    if kind == Question.Type.SINGLE:
        fractions = {choice.pk: choice.fraction for choice in question.choices.all()}
        return _clamp(fractions.get(response.get("choice"), ZERO))
    if kind == Question.Type.MULTIPLE:
        fractions = {choice.pk: choice.fraction for choice in question.choices.all()}
        picked = set(response.get("choices") or [])
        # Right picks add their share, wrong ones take theirs away; never below 0.
        return _clamp(sum((fractions.get(pk, ZERO) for pk in picked), ZERO))
    if kind == Question.Type.SHORT:
        given = str(response.get("text", ""))
        if not given.strip():
            return ZERO
        matches = [
            answer.fraction
            for answer in question.accepted_answers.all()
            if short_answer_accepts(answer, given)
        ]
        return _clamp(max(matches, default=ZERO))
    if kind == Question.Type.NUMERIC:
        given = parse_number(response.get("text", ""))
        if given is None:
            return ZERO
        matches = [
            answer.fraction
            for answer in question.accepted_answers.all()
            if _numeric_hit(answer, given)
        ]
        return _clamp(max(matches, default=ZERO))
    raise ValueError(f"Unknown question type {kind!r}")


def feedback_for(question: Question, response: dict, fraction: Decimal | None) -> list[str]:
    """The feedback texts that apply to this response (right/wrong, per choice)."""
    texts = []
    if question.type in {Question.Type.SINGLE, Question.Type.MULTIPLE}:
        picked = set(response.get("choices") or [response.get("choice")])
        texts += [c.feedback for c in question.choices.all() if c.pk in picked and c.feedback]
    if question.type in {Question.Type.SHORT, Question.Type.NUMERIC}:
        given = str(response.get("text", ""))
        for answer in question.accepted_answers.all():
            if answer.feedback and (
                short_answer_accepts(answer, given)
                if question.type == Question.Type.SHORT
                else _numeric_hit(answer, parse_number(given))
            ):
                texts.append(answer.feedback)
                break
    if fraction is not None:
        general = question.feedback_correct if fraction >= ONE else question.feedback_incorrect
        if general:
            texts.append(general)
    return texts


def _numeric_hit(answer: AcceptedAnswer, value: Decimal | None) -> bool:
    """Is ``value`` within the answer's tolerance of its number (as written in any
    language: "3,5" in one, "3.5" in another)?"""
    targets = [parse_number(text) for text in answer_texts(answer)]
    return value is not None and any(
        target is not None and abs(value - target) <= answer.tolerance for target in targets
    )
