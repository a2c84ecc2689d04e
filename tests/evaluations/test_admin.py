"""Methodologists design a course's survey in the admin; nobody else may."""

import pytest

from evaluations.models import Survey
from tests.factories.courses import translate_course

pytestmark = pytest.mark.django_db
ADD = "/admin/evaluations/surveys/new/"


def form_data(course, **fields) -> dict:
    data = {
        "course": course.pk,
        "is_open": "on",
        "intro_ru": "",
        "intro_kk": "",
        "intro_en": "",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for n, (kind, text) in enumerate([("likert", "Полезно"), ("text", "Что улучшить?")]):
        data.update(
            {
                f"items-{n}-kind": kind,
                f"items-{n}-required": "on",
                f"items-{n}-text_ru": text,
                f"items-{n}-text_kk": "",
                f"items-{n}-text_en": "",
                f"items-{n}-low_label_ru": "",
                f"items-{n}-low_label_kk": "",
                f"items-{n}-low_label_en": "",
                f"items-{n}-high_label_ru": "",
                f"items-{n}-high_label_kk": "",
                f"items-{n}-high_label_en": "",
                f"items-{n}-ORDER": str(n + 1),
                f"items-{n}-DELETE": "",
                f"items-{n}-id": "",
            }
        )
    data.update(fields)
    return data


def test_a_methodologist_designs_a_survey_with_its_items(client, methodologist, course):
    client.force_login(methodologist)
    assert client.get(ADD).status_code == 200
    response = client.post(ADD, form_data(course))
    assert response.status_code == 302, response.content.decode()[:2000]
    survey = Survey.objects.get()
    assert survey.course_key == course.translation_key
    assert [item.text_ru for item in survey.items.all()] == ["Полезно", "Что улучшить?"]


def test_one_survey_per_course_whatever_the_language_copy(client, methodologist, course, survey):
    copy = translate_course(course, "kk")
    client.force_login(methodologist)
    response = client.post(ADD, form_data(copy))
    assert response.status_code == 200
    assert "already has a survey" in response.content.decode()
    assert Survey.objects.count() == 1


@pytest.mark.parametrize("role", ["trainer", "learner"])
def test_others_may_not_design_surveys(client, request, course, survey, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    assert client.get(ADD).status_code in {302, 403}
    assert client.post(ADD, form_data(course)).status_code in {302, 403}
    edit = f"/admin/evaluations/surveys/edit/{survey.pk}/"
    assert client.get(edit).status_code in {302, 403}
    assert Survey.objects.count() == 1


def test_a_survey_with_answers_is_not_deleted_with_them(client, methodologist, survey, cohort):
    from tests.evaluations.conftest import add_responses

    add_responses(survey, cohort, 5)
    client.force_login(methodologist)
    delete = f"/admin/evaluations/surveys/delete/{survey.pk}/"
    response = client.post(delete, follow=True)
    assert response.status_code == 200
    assert "has answers and cannot be deleted" in response.content.decode()
    assert Survey.objects.filter(pk=survey.pk).exists()


def test_a_survey_without_answers_may_be_deleted(client, methodologist, survey):
    client.force_login(methodologist)
    client.post(f"/admin/evaluations/surveys/delete/{survey.pk}/")
    assert not Survey.objects.exists()
