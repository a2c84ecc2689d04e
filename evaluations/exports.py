"""The results as spreadsheet rows: aggregates and free texts per group, never a
learner's answers one by one (the groups below the threshold give only their count)."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from evaluations.models import LIKERT_SCORES
from evaluations.selectors import SurveyResults


def results_rows(results: SurveyResults) -> Iterator[list]:
    kinds = {"cohort": _("Cohort"), "trainer": _("Trainer")}
    yield [
        _("Group"),
        _("Name"),
        _("Responses"),
        _("Question"),
        _("Answers"),
        _("Mean"),
        *[str(score) for score in LIKERT_SCORES],
        _("Free text"),
    ]
    for group in [*results.cohorts, *results.trainers]:
        head = [kinds[group.kind], group.label, group.responses]
        if not group.shown:
            yield [*head, _("Not enough answers to show"), "", "", *[""] * len(LIKERT_SCORES), ""]
            continue
        for result in group.items:
            if result.item.is_likert:
                counts = [n for _score, n, _percent in result.distribution]
                mean = str(result.mean) if result.mean is not None else ""
                yield [*head, result.item.text, result.answered, mean, *counts, ""]
            else:
                for text in result.texts:
                    yield [*head, result.item.text, "", "", *[""] * len(LIKERT_SCORES), text]
