"""Anonymity by design: what a response and an invitation can and cannot tell."""

import uuid

from django.conf import settings
from django.db import models

from evaluations.models import Answer, Response, SurveyInvitation


def _related_models(model) -> set:
    return {
        field.related_model
        for field in model._meta.get_fields()
        if field.is_relation and field.concrete or field.many_to_many
    }


def test_a_response_names_no_learner_and_no_enrolment():
    user_fields = [
        field.name
        for field in Response._meta.get_fields()
        if field.is_relation
        and field.related_model is not None
        and field.related_model._meta.label == settings.AUTH_USER_MODEL
    ]
    assert user_fields == ["trainers"]  # the cohort's trainers, for per-trainer results
    names = {field.name for field in Response._meta.get_fields()}
    assert not names & {"learner", "enrolment", "user", "invitation"}
    assert not any(
        field.related_model and field.related_model._meta.model_name == "enrolment"
        for field in Response._meta.get_fields()
        if field.is_relation
    )


def test_a_response_keeps_the_day_not_the_time():
    concrete = Response._meta.concrete_fields
    assert not [field for field in concrete if isinstance(field, models.DateTimeField)]
    assert isinstance(Response._meta.get_field("submitted_on"), models.DateField)


def test_a_response_has_a_random_key():
    field = Response._meta.pk
    assert isinstance(field, models.UUIDField) and field.default is uuid.uuid4


def test_answers_hold_no_person_either():
    assert Response in _related_models(Answer)
    assert not any(
        field.related_model and field.related_model._meta.label == settings.AUTH_USER_MODEL
        for field in Answer._meta.get_fields()
        if field.is_relation
    )


def test_the_invitation_does_not_point_at_the_response_nor_keep_a_time():
    assert Response not in _related_models(SurveyInvitation)
    assert not [
        field
        for field in SurveyInvitation._meta.concrete_fields
        if isinstance(field, models.DateField | models.DateTimeField)
    ]
