from datetime import date

import pytest
from django.contrib.auth.models import Group
from wagtail.users.models import UserProfile

from courses.models import LessonPage
from courses.services import enrolment_create, lesson_complete
from evaluations.models import Answer, Response, Survey, SurveyItem
from tests.factories import UserFactory
from tests.factories.courses import build_cohort, build_course


def make_user(email: str, group: str, **fields):
    # Staff read the admin in English here, so the tests can read its words.
    fields.setdefault("preferred_language", "ru" if group == "Learners" else "en")
    user = UserFactory(email=email, **fields)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = user.preferred_language
    profile.save()
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def course(home_pages):
    return build_course(home_pages["ru"], modules=1, lessons=2)


@pytest.fixture
def trainer(db):
    return make_user("trainer@example.com", "Trainers", full_name="Гульнара Сейткали")


@pytest.fixture
def other_trainer(db):
    return make_user("other.trainer@example.com", "Trainers", full_name="Асхат Нурланов")


@pytest.fixture
def methodologist(db):
    return make_user("methodologist@example.com", "Methodologists")


@pytest.fixture
def cohort(course, trainer):
    return build_cohort(course, trainers=[trainer])


@pytest.fixture
def other_cohort(course, other_trainer):
    return build_cohort(course, name="Поток 2", trainers=[other_trainer])


@pytest.fixture
def survey(course):
    survey = Survey.objects.create(course=course, intro_ru="Оцените курс.")
    SurveyItem.objects.create(
        survey=survey,
        sort_order=0,
        text_ru="Курс был полезен",
        text_kk="Курс пайдалы болды",
        text_en="The course was useful",
        low_label_ru="совсем нет",
        high_label_ru="очень",
    )
    SurveyItem.objects.create(
        survey=survey, sort_order=1, text_ru="Тренер объяснял понятно", required=False
    )
    SurveyItem.objects.create(
        survey=survey, sort_order=2, kind=SurveyItem.Kind.TEXT, text_ru="Что улучшить?"
    )
    return survey


def complete(learner, course):
    for lesson in LessonPage.objects.descendant_of(course):
        lesson_complete(learner=learner, lesson=lesson)


@pytest.fixture
def learner(cohort):
    user = make_user("akim@example.com", "Learners", full_name="Ерлан Сейітов")
    enrolment_create(learner=user, cohort=cohort)
    return user


@pytest.fixture
def graduate(learner, course, survey):
    """A learner who has completed the course (and so was asked)."""
    complete(learner, course)
    return learner


def add_responses(survey, cohort, n: int, *, score: int = 4, text: str = "", trainers=None):
    """``n`` anonymous responses in ``cohort`` (its trainers then unless given), each
    with ``score`` for the scales and ``text`` for the free text, if any."""
    responses = Response.objects.bulk_create(
        Response(survey=survey, cohort=cohort, language="ru", submitted_on=date(2026, 1, 1))
        for _ in range(n)
    )
    trainers = list(cohort.trainers.all()) if trainers is None else trainers
    Through = Response.trainers.through
    Through.objects.bulk_create(
        Through(response_id=response.pk, user_id=trainer.pk)
        for response in responses
        for trainer in trainers
    )
    answers = []
    for response in responses:
        for item in survey.items.all():
            if item.is_likert:
                answers.append(Answer(response=response, item=item, score=score))
            elif text:
                answers.append(Answer(response=response, item=item, text=text))
    Answer.objects.bulk_create(answers)
    return responses
