"""Item statistics of a quiz: how hard each question is and how well it separates
stronger learners from weaker ones, and how the scores are spread.

``quiz_statistics`` reads finished, fully graded attempts in a fixed number of
queries; the rest are pure functions over plain rows, easy to test by hand.

Definitions (as in classical test theory, and as Moodle's quiz statistics report them):

* **Facility** of a question: the mean fraction of its mark that learners earned,
  as a percentage. 100 % means everyone got it right; low values mean a hard item.
* **Discrimination** of a question: the Pearson correlation between the fraction
  earned on the question, x, and the percentage the same attempt scored on the *rest*
  of the quiz, y = 100 · (score − mark of the question) / (maximum − its maximum):

      r = Σ (xᵢ − x̄)(yᵢ − ȳ) / √( Σ (xᵢ − x̄)² · Σ (yᵢ − ȳ)² )

  over the attempts that answered it. Leaving the question out of the total keeps it
  from correlating with itself. Near +1: those who get it right do well overall (a
  good item); near 0 or negative: the item does not separate them (check its key).
  None when fewer than two attempts answered it or when x or y does not vary.
* **Score distribution**: the share of attempts in each tenth of the percentage
  scale, 0–10 %, 10–20 %, … 90–100 %; each bucket includes its lower bound, the last
  one 100 % too.
* **Per language**: the same facility and discrimination over the answers given in
  each language the question was shown in (``Answer.language``), the rest of the quiz
  still read from the whole attempt. A question whose facility differs between two
  languages by more than chance explains is flagged, by a two-proportion z-test with
  the pooled proportion: with n₁, n₂ answers and x₁, x₂ the fractions earned summed
  (a right answer 1, partial credit its share),

      p₁ = x₁/n₁, p₂ = x₂/n₂, p = (x₁ + x₂)/(n₁ + n₂),
      z = (p₁ − p₂) / √( p(1 − p)(1/n₁ + 1/n₂) ),  two-sided P = erfc(|z|/√2),

  flagged when |z| > 1.96 (5 %), and tested only when each language has at least
  ``MIN_ANSWERS_TO_COMPARE`` answers. Usually a sign of a bad translation.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from quizzes.models import Answer, Attempt, Question, Quiz, QuizSlot

TWO_PLACES = Decimal("0.01")
BUCKETS = 10
MIN_ANSWERS_TO_COMPARE = 10
Z_CRITICAL = 1.96  # two-sided, 5 %


@dataclass(frozen=True)
class AnswerRow:
    """One graded answer of a finished attempt, as the statistics need it."""

    attempt_id: int
    question_id: int
    fraction: Decimal
    mark: Decimal
    max_mark: Decimal
    language: str = ""  # the language the question was shown in


@dataclass(frozen=True)
class FacilityDifference:
    """Two languages in which a question's facility differs by more than chance."""

    first: str  # language codes, the easier first
    second: str
    first_facility: Decimal  # %
    second_facility: Decimal
    z: float  # |z|
    p_value: float


@dataclass(frozen=True)
class ItemStatistics:
    question_id: int
    answers: int
    facility: Decimal | None  # mean fraction earned, %
    discrimination: float | None  # -1 … 1
    average_mark: Decimal | None
    max_mark: Decimal | None  # the most it was worth (slots may weigh it differently)
    question: Question | None = None
    language: str = ""  # "" for the figures pooled over every language
    by_language: tuple[ItemStatistics, ...] = ()
    differences: tuple[FacilityDifference, ...] = ()


@dataclass(frozen=True)
class Bucket:
    """A bar of the score distribution: ``value`` is the share of attempts, 0…100."""

    label: str
    value: int
    count: int


@dataclass(frozen=True)
class QuizStatistics:
    quiz: Quiz
    attempts: int
    awaiting_marking: int
    mean_percent: Decimal | None
    items: list[ItemStatistics]
    distribution: list[Bucket]


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's correlation coefficient, or None when it is undefined."""
    n = len(xs)
    if n < 2 or n != len(ys):
        return None
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def two_proportion_z(x1: float, n1: int, x2: float, n2: int) -> tuple[float, float] | None:
    """z and the two-sided P of the difference between x1/n1 and x2/n2 (pooled
    proportion); None when it is undefined (no answers, or everyone alike)."""
    if not n1 or not n2:
        return None
    pooled = (x1 + x2) / (n1 + n2)
    variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    if variance <= 0:
        return None
    z = (x1 / n1 - x2 / n2) / math.sqrt(variance)
    return z, math.erfc(abs(z) / math.sqrt(2))


def facility_differences(
    answers_by_language: dict[str, list[AnswerRow]],
) -> tuple[FacilityDifference, ...]:
    """Each pair of languages, both with enough answers, whose facilities differ
    significantly (|z| > 1.96)."""
    enough = sorted(
        (language, answers)
        for language, answers in answers_by_language.items()
        if len(answers) >= MIN_ANSWERS_TO_COMPARE
    )
    found = []
    for index, (first, first_answers) in enumerate(enough):
        for second, second_answers in enough[index + 1 :]:
            tested = two_proportion_z(
                float(sum(row.fraction for row in first_answers)),
                len(first_answers),
                float(sum(row.fraction for row in second_answers)),
                len(second_answers),
            )
            if tested is None or abs(tested[0]) <= Z_CRITICAL:
                continue
            z, p_value = tested
            pair = [(first, first_answers), (second, second_answers)]
            if z < 0:
                pair.reverse()
            (easier, easier_answers), (harder, harder_answers) = pair
            found.append(
                FacilityDifference(
                    easier,
                    harder,
                    _facility(easier_answers),
                    _facility(harder_answers),
                    abs(z),
                    p_value,
                )
            )
    return tuple(found)


def _facility(answers: list[AnswerRow]) -> Decimal:
    return (100 * sum(r.fraction for r in answers) / len(answers)).quantize(TWO_PLACES)


def _item(
    question_id: int,
    answers: list[AnswerRow],
    totals: dict[int, list[Decimal]],
    language: str = "",
) -> ItemStatistics:
    count = len(answers)
    xs, ys = [], []
    for row in answers:
        score, maximum = totals[row.attempt_id]
        rest_maximum = maximum - row.max_mark
        if rest_maximum > 0:
            xs.append(float(row.fraction))
            ys.append(float(100 * (score - row.mark) / rest_maximum))
    return ItemStatistics(
        question_id=question_id,
        answers=count,
        facility=_facility(answers),
        discrimination=pearson(xs, ys),
        average_mark=(sum(r.mark for r in answers) / count).quantize(TWO_PLACES),
        max_mark=max(r.max_mark for r in answers),
        language=language,
    )


def item_statistics(rows: Iterable[AnswerRow]) -> list[ItemStatistics]:
    """Facility, discrimination and average mark per question, in order of appearance,
    pooled and per language (languages in alphabetical order), with the languages whose
    facilities differ significantly."""
    rows = list(rows)
    totals: dict[int, list[Decimal]] = {}  # attempt → [score, maximum]
    by_question: dict[int, list[AnswerRow]] = {}
    for row in rows:
        total = totals.setdefault(row.attempt_id, [Decimal("0"), Decimal("0")])
        total[0] += row.mark
        total[1] += row.max_mark
        by_question.setdefault(row.question_id, []).append(row)
    items = []
    for question_id, answers in by_question.items():
        by_language: dict[str, list[AnswerRow]] = {}
        for row in answers:
            by_language.setdefault(row.language, []).append(row)
        items.append(
            replace(
                _item(question_id, answers, totals),
                by_language=tuple(
                    _item(question_id, in_language, totals, language)
                    for language, in_language in sorted(by_language.items())
                ),
                differences=facility_differences(by_language),
            )
        )
    return items


def bucket_label(index: int) -> str:
    return f"{index * 10}–{(index + 1) * 10}%"


def score_distribution(percents: Iterable[Decimal | float]) -> list[Bucket]:
    """How many attempts fall in each tenth of the scale, and their share (0…100)."""
    counts = [0] * BUCKETS
    for percent in percents:
        index = min(BUCKETS - 1, max(0, int(Decimal(str(percent)) // 10)))
        counts[index] += 1
    total = sum(counts)
    return [
        Bucket(
            label=bucket_label(index),
            value=round(100 * count / total) if total else 0,
            count=count,
        )
        for index, count in enumerate(counts)
    ]


def quiz_statistics(*, quiz: Quiz) -> QuizStatistics:
    """Statistics over the quiz's finished attempts that have no essay awaiting a mark.

    Four queries whatever the number of attempts, answers and questions.
    """
    finished = list(
        Attempt.objects.filter(quiz=quiz, state=Attempt.State.FINISHED).values_list(
            "percent", "needs_marking"
        )
    )
    percents = [percent for percent, waits in finished if not waits and percent is not None]
    awaiting = sum(1 for _percent, waits in finished if waits)
    rows = [
        AnswerRow(*values)
        for values in Answer.objects.filter(
            attempt__quiz=quiz,
            attempt__state=Attempt.State.FINISHED,
            attempt__needs_marking=False,
            fraction__isnull=False,
            mark__isnull=False,
        )
        .order_by("attempt_id", "pk")
        .values_list("attempt_id", "question_id", "fraction", "mark", "max_mark", "language")
    ]
    items = item_statistics(rows)
    questions = Question.objects.select_related("category").in_bulk(
        [item.question_id for item in items]
    )
    slot_order = {
        question_id: index
        for index, question_id in enumerate(
            QuizSlot.objects.filter(quiz=quiz, question__isnull=False).values_list(
                "question_id", flat=True
            )
        )
    }
    items = sorted(
        (replace(item, question=questions.get(item.question_id)) for item in items),
        key=lambda item: (
            slot_order.get(item.question_id, len(slot_order)),
            item.question.name if item.question else "",
        ),
    )
    mean = (sum(percents) / len(percents)).quantize(TWO_PLACES) if percents else None
    return QuizStatistics(
        quiz=quiz,
        attempts=len(percents),
        awaiting_marking=awaiting,
        mean_percent=mean,
        items=items,
        distribution=score_distribution(percents),
    )
