"""The learner's side: asked on completion only, once, anonymously."""

import pytest

from courses.models import Enrolment
from courses.services import enrolment_create
from evaluations.models import Answer, Response, Survey, SurveyInvitation, SurveyItem
from evaluations.services import survey_invite_completed
from tests.evaluations.conftest import complete, make_user

pytestmark = pytest.mark.django_db


def url(course) -> str:
    return f"/ru/evaluations/{course.translation_key}/"


def answers(survey, *, text="Больше практики", first="5", second="3") -> dict:
    likert, optional, free = survey.items.all()
    return {f"item-{likert.pk}": first, f"item-{optional.pk}": second, f"item-{free.pk}": text}


def test_not_asked_before_completion(client, learner, course, survey):
    client.force_login(learner)
    assert "Tell us about the course" not in client.get("/en/dashboard/").content.decode()
    assert client.get(url(course)).status_code == 404
    assert not SurveyInvitation.objects.exists()


def test_completion_asks_and_the_dashboard_links_the_survey(client, graduate, course, survey):
    invitation = SurveyInvitation.objects.get()
    assert invitation.enrolment.learner == graduate and not invitation.answered
    client.force_login(graduate)
    html = client.get("/en/dashboard/").content.decode()
    assert "Tell us about the course" in html
    assert f"/en/evaluations/{course.translation_key}/" in html


def test_the_form_has_a_fieldset_per_scale_with_the_question_as_legend(client, graduate, course):
    client.force_login(graduate)
    html = client.get(url(course)).content.decode()
    assert "<legend>Курс был полезен</legend>" in html
    assert "1 — совсем нет" in html and "5 — очень" in html
    assert html.count('type="radio"') == 10
    assert "<textarea" in html


def test_the_questions_are_in_the_learners_language_with_fallback(client, graduate, course):
    client.force_login(graduate)
    html = client.get(f"/kk/evaluations/{course.translation_key}/").content.decode()
    assert "<legend>Курс пайдалы болды</legend>" in html
    assert "<legend>Тренер объяснял понятно</legend>" in html  # no Kazakh text: Russian


def test_submitting_records_an_anonymous_response_once(client, graduate, course, survey, cohort):
    client.force_login(graduate)
    response = client.post(url(course), answers(survey))
    assert response.status_code == 302 and response["Location"] == "/ru/dashboard/"
    saved = Response.objects.get()
    assert saved.cohort == cohort and list(saved.trainers.all()) == list(cohort.trainers.all())
    assert saved.language == "ru"
    assert sorted(Answer.objects.values_list("score", flat=True), key=str) == [3, 5, None]
    assert SurveyInvitation.objects.get().answered
    # A second submit (another tab, a double click) keeps nothing and says so.
    again = client.post(url(course), answers(survey, first="1"))
    assert again.status_code == 200
    assert "Вы уже ответили на этот опрос" in again.content.decode()
    assert Response.objects.count() == 1
    assert "Tell us about the course" not in client.get("/en/dashboard/").content.decode()


def test_a_required_answer_missing_saves_nothing(client, graduate, course, survey):
    client.force_login(graduate)
    data = answers(survey)
    data.pop(next(iter(data)))
    response = client.post(url(course), data)
    assert response.status_code == 400
    assert not Response.objects.exists() and not SurveyInvitation.objects.get().answered


def test_an_optional_answer_may_be_left_out(client, graduate, course, survey):
    client.force_login(graduate)
    assert client.post(url(course), answers(survey, second="")).status_code == 302
    assert Answer.objects.filter(score__isnull=False).count() == 1


def test_a_score_outside_the_scale_is_refused(client, graduate, course, survey):
    client.force_login(graduate)
    assert client.post(url(course), answers(survey, first="9")).status_code == 400
    assert not Response.objects.exists()


def test_hostile_free_text_is_stored_as_plain_text(client, graduate, course, survey):
    client.force_login(graduate)
    text = '<script>alert(1)</script><b onmouseover="x()">Жарайды</b>'
    client.post(url(course), answers(survey, text=text))
    assert Answer.objects.get(score__isnull=True).text == "alert(1)Жарайды"


def test_free_text_keeps_what_was_typed_as_text(client, graduate, course, survey):
    client.force_login(graduate)
    client.post(url(course), answers(survey, text="Бюджет & закупки: 5 < 10"))
    assert Answer.objects.get(score__isnull=True).text == "Бюджет & закупки: 5 < 10"


def test_another_learner_cannot_see_or_answer(client, graduate, course, survey, cohort):
    other = make_user("learner2@example.com", "Learners")
    client.force_login(other)
    assert client.get(url(course)).status_code == 404
    assert client.post(url(course), answers(survey)).status_code == 404
    assert not Response.objects.exists()


def test_a_withdrawn_enrolment_is_not_asked_any_more(client, graduate, course):
    Enrolment.objects.update(status=Enrolment.Status.WITHDRAWN)
    client.force_login(graduate)
    assert client.get(url(course)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, course, survey):
    response = client.get(url(course))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_course_without_a_survey_asks_nothing(client, learner, course):
    complete(learner, course)
    assert not SurveyInvitation.objects.exists()
    client.force_login(learner)
    assert client.get(url(course)).status_code == 404


def test_a_closed_survey_asks_nothing(client, graduate, course, survey):
    survey.is_open = False
    survey.save()
    client.force_login(graduate)
    assert client.get(url(course)).status_code == 404
    assert "Tell us about the course" not in client.get("/en/dashboard/").content.decode()


# Session and user, the invitation, the course's titles, the items.
SURVEY_PAGE_QUERIES = 4


@pytest.mark.parametrize("items", [3, 30])
def test_the_survey_page_makes_as_many_queries_for_3_as_for_30_items(
    client, django_assert_num_queries, graduate, course, survey, items
):
    from evaluations.models import SurveyItem

    SurveyItem.objects.bulk_create(
        SurveyItem(survey=survey, sort_order=n, text_ru=f"Вопрос {n}") for n in range(3, items)
    )
    client.force_login(graduate)
    client.get(url(course))
    with django_assert_num_queries(SURVEY_PAGE_QUERIES):
        client.get(url(course))


def test_learners_who_completed_before_the_survey_existed_are_asked(
    client, learner, course, cohort
):
    complete(learner, course)  # no survey yet: nobody to ask
    assert not SurveyInvitation.objects.exists()
    survey = Survey.objects.create(course=course)
    SurveyItem.objects.create(survey=survey, text_ru="Курс был полезен")
    invitation = SurveyInvitation.objects.get()
    assert invitation.enrolment.learner == learner and invitation.survey == survey
    client.force_login(learner)
    assert f"/en/evaluations/{course.translation_key}/" in client.get("/en/dashboard/").text
    assert client.get(url(course)).status_code == 200
    survey.save()  # saved again: still one invitation
    assert SurveyInvitation.objects.count() == 1


def test_reopening_a_survey_asks_those_who_completed_while_it_was_closed(
    client, learner, course, survey
):
    survey.is_open = False
    survey.save()
    complete(learner, course)
    assert not SurveyInvitation.objects.exists()
    survey.is_open = True
    survey.save()
    assert SurveyInvitation.objects.get().enrolment.learner == learner


def test_asking_earlier_graduates_leaves_out_the_unfinished_and_the_answered(
    learner, course, cohort, survey
):
    other = make_user("other@example.com", "Learners")
    enrolment_create(learner=other, cohort=cohort)  # enrolled, not completed
    complete(learner, course)
    SurveyInvitation.objects.update(answered=True)
    assert survey_invite_completed(survey=survey) == 0
    assert SurveyInvitation.objects.filter(answered=True).count() == 1
    assert SurveyInvitation.objects.count() == 1
