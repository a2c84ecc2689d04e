"""Who may open course content, marking lessons done, joining a cohort, the dashboard."""

import re
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.utils import translation
from django.utils.translation import gettext, ngettext

from courses import selectors, services
from courses.models import ItemCompletion, LessonPage, ModulePage, QuizPage
from tests.factories import UserFactory
from tests.factories.courses import build_cohort, build_course


@pytest.fixture
def lesson(course):
    return LessonPage.objects.descendant_of(course).order_by("path").first()


def test_course_overview_is_public(client, course):
    response = client.get(course.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert course.title in html
    assert "Модуль 1" in html
    assert "Урок 1.1" not in html  # lesson titles are for learners only


@pytest.mark.parametrize("page_type", [ModulePage, LessonPage, QuizPage])
def test_anonymous_visitors_are_sent_to_sign_in(client, course, page_type):
    page = page_type.objects.descendant_of(course).first()
    response = client.get(page.url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("page_type", [ModulePage, LessonPage, QuizPage])
def test_a_learner_of_another_course_gets_404(client, course, home_pages, page_type):
    other = build_course(home_pages["ru"], slug="other")
    stranger = UserFactory()
    services.enrolment_create(learner=stranger, cohort=build_cohort(other))
    client.force_login(stranger)
    page = page_type.objects.descendant_of(course).first()
    assert client.get(page.url).status_code == 404


def test_a_withdrawn_learner_gets_404(client, learner, lesson, enrolment):
    services.enrolment_withdraw(enrolment=enrolment, actor="test")
    client.force_login(learner)
    assert client.get(lesson.url).status_code == 404


def test_an_enrolled_learner_reads_a_lesson(client, learner, lesson, enrolment):
    client.force_login(learner)
    response = client.get(lesson.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "четвёртый уровень бюджета" in html
    assert f'action="/ru/learn/lessons/{lesson.pk}/done/"' in html
    assert '<meta name="robots" content="noindex">' in html
    enrolment.refresh_from_db()
    assert enrolment.last_item_key == lesson.translation_key


def test_the_courses_trainer_can_open_lessons(client, trainer, lesson, cohort):
    client.force_login(trainer)
    response = client.get(lesson.url)
    assert response.status_code == 200
    assert "/done/" not in response.content.decode()  # trainers are not learners


def test_a_trainer_of_another_course_gets_404(client, lesson, home_pages):
    other_trainer = UserFactory()
    other_trainer.groups.add(Group.objects.get(name="Trainers"))
    build_cohort(build_course(home_pages["ru"], slug="other"), trainers=[other_trainer])
    client.force_login(other_trainer)
    assert client.get(lesson.url).status_code == 404


def test_methodologists_see_every_course(client, lesson):
    methodologist = UserFactory()
    methodologist.groups.add(Group.objects.get(name="Methodologists"))
    client.force_login(methodologist)
    assert client.get(lesson.url).status_code == 200


def test_lesson_and_module_pages_follow_a_change_of_the_course_tree(
    client, learner, lesson, enrolment
):
    # what every learner sees alike is kept in the process until the tree changes
    client.force_login(learner)
    module = lesson.get_parent()
    second = lesson.get_next_siblings().first().specific
    assert f'rel="next" href="{second.url}"' in client.get(lesson.url).content.decode()
    assert second.url in client.get(module.url).content.decode()
    second.unpublish()
    test_page = QuizPage.objects.child_of(module).get()
    assert f'rel="next" href="{test_page.url}"' in client.get(lesson.url).content.decode()
    assert second.url not in client.get(module.url).content.decode()


def test_a_lesson_published_again_shows_its_new_body(client, learner, lesson, enrolment):
    client.force_login(learner)
    assert "четвёртый уровень бюджета" in client.get(lesson.url).content.decode()
    lesson.body = [("paragraph", "<p>Новый текст урока</p>")]
    lesson.save_revision().publish()
    html = client.get(lesson.url).content.decode()
    assert "Новый текст урока" in html and "четвёртый уровень бюджета" not in html


def test_marking_done_is_a_post(client, learner, lesson, enrolment):
    client.force_login(learner)
    url = f"/ru/learn/lessons/{lesson.pk}/done/"
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == lesson.url
    assert ItemCompletion.objects.filter(enrolment=enrolment).count() == 1
    page = client.get(lesson.url).content.decode()
    assert "/done/" not in page  # shown as done, no button


def test_mark_done_and_continue_goes_to_the_next_item(client, learner, lesson, enrolment):
    client.force_login(learner)
    response = client.post(f"/ru/learn/lessons/{lesson.pk}/done/", {"go": "next"})
    assert response["Location"] == lesson.get_next_siblings().first().url


def test_marking_done_needs_an_enrolment_and_a_real_lesson(client, lesson, db):
    client.force_login(UserFactory())
    assert client.post(f"/ru/learn/lessons/{lesson.pk}/done/").status_code == 404
    assert client.post("/ru/learn/lessons/999999/done/").status_code == 404
    assert not ItemCompletion.objects.exists()


def test_marking_done_needs_a_csrf_token(learner, lesson, enrolment):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert client.post(f"/ru/learn/lessons/{lesson.pk}/done/").status_code == 403


def test_joining_a_cohort_with_a_code(client, learner, cohort):
    client.force_login(learner)
    response = client.post("/ru/dashboard/join/", {"code": cohort.invite_code.lower()})
    assert response.status_code == 302
    assert learner.enrolments.get().cohort == cohort


def test_a_wrong_code_is_explained(client, learner, cohort):
    client.force_login(learner)
    response = client.post("/en/dashboard/join/", {"code": "WRONG123"})
    assert response.status_code == 400
    assert "No open cohort has this code" in response.content.decode()
    assert not learner.enrolments.exists()


def test_the_blank_join_form_and_progress_bars_are_drawn_in_each_pages_language(
    client, learner, enrolment
):
    """Both are kept in the process by language: each language gets its own, and a
    form sent back with an error is drawn with the error, not the kept blank one."""
    client.force_login(learner)
    russian = client.get("/ru/dashboard/").content.decode()
    kazakh = client.get("/kk/dashboard/").content.decode()
    assert "Код потока" in russian and "Пройдено 0%" in russian
    assert "Топ коды" in kazakh and "Код потока" not in kazakh
    assert "Пройдено" not in kazakh and "0% өтілді" in kazakh
    response = client.post("/ru/dashboard/join/", {"code": "WRONG123"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="field__error"' in html and 'value="WRONG123"' in html
    assert 'class="field__error"' not in client.get("/ru/dashboard/").content.decode()


def test_dashboard_shows_progress_and_where_to_continue(client, learner, course, enrolment):
    lessons = list(LessonPage.objects.descendant_of(course).order_by("path"))
    services.lesson_complete(learner=learner, lesson=lessons[0])
    client.force_login(learner)
    html = client.get("/ru/dashboard/").content.decode()
    assert course.title in html
    assert '<progress max="100" value="14"' in html  # 1 of 7 required items
    assert f'href="{lessons[1].url}"' in html  # continue with the next lesson


def test_course_page_offers_to_start_or_continue(client, learner, course, enrolment):
    client.force_login(learner)
    first = LessonPage.objects.descendant_of(course).order_by("path").first()
    html = client.get(course.url).content.decode()
    assert f'href="{first.url}"' in html


def _finish_course(learner, course):
    for lesson in LessonPage.objects.descendant_of(course):
        services.lesson_complete(learner=learner, lesson=lesson)
    for quiz in QuizPage.objects.descendant_of(course):
        services.quiz_page_passed(learner=learner, quiz_page=quiz)


def _add_lesson(course, *, slug="new", required=True):
    """A lesson added as a trainer adds one: published through a revision."""
    module = ModulePage.objects.child_of(course).order_by("path").first()
    lesson = LessonPage(title="Новый урок", slug=slug, body=[], live=False, required=required)
    module.add_child(instance=lesson)
    lesson.save_revision().publish()
    return lesson


def test_a_lesson_added_after_completion_shows_as_new(client, learner, course, enrolment):
    """Issue 14: "completed" stood beside "97 %" and "continue" led into the done course."""
    _finish_course(learner, course)
    enrolment.refresh_from_db()
    completed_at = enrolment.completed_at
    assert completed_at is not None
    new = _add_lesson(course)
    with translation.override("ru"):
        new_items = ngettext(
            "%(new)s new item was added after you completed the course.",
            "%(new)s new items were added after you completed the course.",
            1,
        ) % {"new": 1}
    summary = selectors.course_summary(course=course, enrolment=enrolment)
    assert (summary.percent, summary.new) == (100, 1)
    assert [m.new for m in summary.modules] == [1, 0]
    client.force_login(learner)
    for url in ("/ru/dashboard/", course.url):
        html = client.get(url).content.decode()
        assert '<progress max="100" value="100"' in html, url
        assert f'href="{new.url}"' in html, url  # "see what is new" leads to it
        assert new_items in html, url
        assert "Продолжить с того места" not in html, url
    enrolment.refresh_from_db()
    assert enrolment.completed_at == completed_at  # the completion stays
    services.lesson_complete(learner=learner, lesson=new)
    summary = selectors.course_summary(course=course, enrolment=enrolment)
    assert (summary.percent, summary.new) == (100, 0)
    assert selectors.continue_url(enrolment=enrolment, course=course, request=None) is None


def test_a_completed_course_offers_no_continue(client, learner, course, enrolment):
    """Not even to an optional lesson left unread, nor to the last item opened."""
    optional = _add_lesson(course, slug="optional", required=False)
    _finish_course(learner, course)
    client.force_login(learner)
    client.get(optional.url)  # the last item opened
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None and enrolment.last_item_key
    assert selectors.continue_url(enrolment=enrolment, course=course, request=None) is None
    for url in ("/ru/dashboard/", course.url):
        html = client.get(url).content.decode()
        assert f'href="{optional.url}" class="button"' not in html
        assert 'class="button" href="' + optional.url not in html


def test_the_dashboard_shows_the_course_image_as_a_small_rendition(
    client, learner, course, enrolment
):
    """Issue 14: no course image; a light placeholder when the course has none."""
    from tests.factories.cms import build_image

    client.force_login(learner)
    html = client.get("/ru/dashboard/").content.decode()
    assert 'class="course-progress__image course-progress__image--none"' in html
    course.cover_image = build_image("akimat")
    course.save_revision().publish()
    html = client.get("/ru/dashboard/").content.decode()
    image = re.search(r'<img[^>]*class="course-progress__image"[^>]*>', html).group(0)
    assert 'width="320"' in image and 'height="180"' in image
    assert ".fill-320x180" in image and ".webp" in image  # not the original upload
    assert "course-progress__image--none" not in html


def test_the_dashboard_says_when_a_cohort_has_ended(client, learner, enrolment, cohort):
    """Issue 14: nothing said that a cohort had ended."""
    with translation.override("ru"):
        ended = gettext("The cohort ended on %(date)s")
    client.force_login(learner)
    html = client.get("/ru/dashboard/").content.decode()
    assert ended.split("%(date)s")[0] not in html
    cohort.starts_on, cohort.ends_on = date(2021, 10, 4), date(2021, 10, 22)
    cohort.save()
    html = client.get("/ru/dashboard/").content.decode()
    # one full stop: the Russian date's own
    assert ended % {"date": "22 октября 2021 г."} + "</p>" in html


def test_the_course_outline_is_kept_per_course_and_each_learner_counts_their_own(
    client, learner, course, enrolment
):
    """The outline (modules and items) is the same for every learner and kept in the
    process; what each learner has done is read for each request, never shared; a
    lesson published since is counted on the next request."""
    other = UserFactory()
    services.enrolment_create(learner=other, cohort=enrolment.cohort)
    lessons = list(LessonPage.objects.descendant_of(course).order_by("path"))
    services.lesson_complete(learner=learner, lesson=lessons[0])
    client.force_login(learner)
    assert '<progress max="100" value="14"' in client.get(course.url).content.decode()
    client.force_login(other)
    html = client.get(course.url).content.decode()
    assert '<progress max="100" value="0"' in html  # not the first learner's 1 of 7
    assert f'href="{lessons[0].url}"' in html  # and not their "continue" either
    new = _add_lesson(course, slug="added")
    services.lesson_complete(learner=other, lesson=new)
    html = client.get(course.url).content.decode()
    assert '<progress max="100" value="12"' in html  # 1 of 8, half to even
    assert f'href="{lessons[0].url}"' in html
