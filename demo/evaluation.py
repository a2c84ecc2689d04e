"""The demo course's evaluation survey (``demo/content/course/survey.yaml``) and the
2021 cohort's anonymous answers, so that the results page has groups to show."""

from __future__ import annotations

import yaml
from django.db import transaction

from courses.models import Cohort, Enrolment
from demo.course import CONTENT
from evaluations.models import Answer, Response, Survey, SurveyItem
from evaluations.services import survey_invite

LANGUAGES = ("ru", "kk", "en")


def _data() -> dict:
    return yaml.safe_load((CONTENT / "survey.yaml").read_text(encoding="utf-8"))


def _survey(cohort: Cohort, data: dict) -> Survey:
    survey, created = Survey.objects.get_or_create(
        course_key=cohort.course.translation_key,
        defaults={
            "course": cohort.course,
            **{f"intro_{code}": data["intro"][code] for code in LANGUAGES},
        },
    )
    if created:
        for position, item in enumerate(data["items"]):
            fields = {f"text_{code}": item["text"][code] for code in LANGUAGES}
            if item["kind"] == SurveyItem.Kind.LIKERT:
                for end, key in (("low", "low_label"), ("high", "high_label")):
                    fields.update({f"{key}_{code}": data["scale"][end][code] for code in LANGUAGES})
            SurveyItem.objects.create(
                survey=survey,
                sort_order=position,
                kind=item["kind"],
                required=item.get("required", True),
                **fields,
            )
    return survey


@transaction.atomic
def seed_survey(*, cohort: Cohort) -> Survey:
    """The survey, the cohort's answers once, and the cohort's learners who completed
    the course asked to answer (idempotent)."""
    data = _data()
    survey = _survey(cohort, data)
    if not Response.objects.filter(survey=survey, cohort=cohort).exists():
        items = list(survey.items.all())
        scales = [item for item in items if item.is_likert]
        texts = [item for item in items if not item.is_likert]
        trainers = list(cohort.trainers.all())
        for entry in data["responses"]:
            response = Response.objects.create(
                survey=survey,
                cohort=cohort,
                language=entry["language"],
                submitted_on=cohort.ends_on,
            )
            response.trainers.set(trainers)
            Answer.objects.bulk_create(
                [
                    *(
                        Answer(response=response, item=item, score=score)
                        for item, score in zip(scales, entry["scores"], strict=True)
                    ),
                    *(
                        Answer(response=response, item=item, text=text)
                        for item, text in zip(texts, entry["texts"], strict=True)
                        if text
                    ),
                ]
            )
    for enrolment in Enrolment.objects.filter(
        cohort=cohort, status=Enrolment.Status.COMPLETED
    ).select_related("cohort"):
        survey_invite(enrolment=enrolment)
    return survey
