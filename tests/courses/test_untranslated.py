"""On a kk or en course, lessons and tests not yet translated are listed with a notice
and a link to the original; what a learner completes there counts in every language."""

import pytest
from wagtail.models import Page

from courses import services
from courses.models import LessonPage, ModulePage, QuizPage
from tests.factories.courses import build_cohort, build_course, translate_course

NOTICE = "untranslated__notice"


def _first(model, course):
    return model.objects.descendant_of(course).order_by("path").first()


@pytest.fixture
def kk(course):
    """The kk copy of the course without the first lesson and the first module test."""
    return translate_course(
        course, "kk", leave_out=[_first(LessonPage, course), _first(QuizPage, course)]
    )


def _html(client, page) -> str:
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_kk_course_lists_the_untranslated_lesson_and_test_with_the_original(
    client, course, kk, learner, enrolment
):
    client.force_login(learner)
    html = _html(client, kk)

    lesson, test = _first(LessonPage, course), _first(QuizPage, course)
    assert html.count(NOTICE) == 2
    assert f'<a href="{lesson.url}" hreflang="ru" lang="ru">{lesson.title}</a>' in html
    assert f'href="{test.url}"' in html
    assert "Урок 1.2" not in html  # translated lessons are not listed on the course page
    assert "әлі аударылмаған" in html  # in the page's language
    assert "түпнұсқа тілі: Русский" in html


def test_a_draft_translation_counts_as_not_yet_translated(client, course, kk, learner, enrolment):
    second = LessonPage.objects.descendant_of(kk).order_by("path")[0]
    second.live = False
    second.save()
    client.force_login(learner)

    html = _html(client, kk)
    assert html.count(NOTICE) == 3
    source = Page.objects.get(translation_key=second.translation_key, locale=course.locale)
    assert f'href="{source.url}"' in html
    assert f'href="{second.url}"' not in html


def test_a_translation_published_shows_on_the_next_request(client, course, kk, learner, enrolment):
    second = LessonPage.objects.descendant_of(kk).order_by("path")[0]
    second.live = False
    second.save()
    client.force_login(learner)
    module = second.get_parent()
    assert _html(client, kk).count(NOTICE) == 3  # now cached for every learner
    assert _html(client, module).count(NOTICE) == 3  # all three are in the first module

    second.save_revision().publish()
    assert _html(client, kk).count(NOTICE) == 2
    assert _html(client, module).count(NOTICE) == 2
    LessonPage.objects.get(pk=second.pk).unpublish()
    assert _html(client, kk).count(NOTICE) == 3


def test_visitors_who_may_not_open_lessons_see_no_lesson_titles(client, course, kk):
    html = _html(client, kk)
    assert NOTICE not in html
    assert _first(LessonPage, course).title not in html


def test_the_module_page_lists_it_and_progress_made_in_ru_shows_in_kk(
    client, course, kk, learner, enrolment
):
    module = ModulePage.objects.child_of(kk).order_by("path").first()
    lesson = _first(LessonPage, course)
    client.force_login(learner)
    html = _html(client, module)
    assert html.count(NOTICE) == 2
    assert f'href="{lesson.url}"' in html
    assert "item--done" not in html

    assert client.get(lesson.url).status_code == 200  # the learner reads the original
    services.lesson_complete(learner=learner, lesson=lesson)

    html = _html(client, module)
    assert html.count("item--done") == 1
    untranslated = html.split("items--untranslated", 1)[1]
    assert "item--done" in untranslated


def test_a_fully_translated_course_lists_nothing(client, course, learner, enrolment):
    kk = translate_course(course, "kk")
    client.force_login(learner)
    assert NOTICE not in _html(client, kk)
    assert NOTICE not in _html(client, course)


def test_a_lesson_written_only_in_kk_is_listed_on_the_ru_course(
    client, course, kk, learner, enrolment
):
    kk_module = ModulePage.objects.child_of(kk).order_by("path").first()
    kk_only = LessonPage(title="Тек қазақша сабақ", slug="kk-only", body=[])
    kk_module.add_child(instance=kk_only)
    client.force_login(learner)

    html = _html(client, course)
    assert html.count(NOTICE) == 1
    assert f'<a href="{kk_only.url}" hreflang="kk" lang="kk">' in html


def test_a_module_missing_in_kk_hides_its_lessons_there(client, course, learner, enrolment):
    module = ModulePage.objects.child_of(course).order_by("path").last()
    kk = translate_course(course, "kk", leave_out=[module])
    client.force_login(learner)
    assert NOTICE not in _html(client, kk)  # reached through the ru course instead


@pytest.mark.parametrize("lessons", [5, 50])  # 10 and 100 lessons in two modules
def test_query_counts_stay_flat_on_a_partly_translated_course(
    client, home_pages, learner, lessons, django_assert_num_queries
):
    ru = build_course(home_pages["ru"], modules=2, lessons=lessons, module_tests=True)
    leave_out = list(LessonPage.objects.descendant_of(ru).order_by("path")[::2])
    kk = translate_course(ru, "kk", leave_out=leave_out)
    services.enrolment_create(learner=learner, cohort=build_cohort(ru))
    module = ModulePage.objects.child_of(kk).order_by("path").first()
    client.force_login(learner)
    client.get(kk.url)  # warm caches (site root paths, session)
    client.get(module.url)

    # one more each for the cohort's release and due dates (test_query_counts.py)
    # the course's outline is kept in the process (test_query_counts.py)
    # the cohort's dates are read with the enrolment (test_query_counts.py)
    with django_assert_num_queries(7):  # the untranslated items: from the cache
        html = _html(client, kk)
    assert html.count(NOTICE) == len(leave_out)
    with django_assert_num_queries(7):  # its course and items: kept in the process
        html = _html(client, module)
    assert html.count(NOTICE) == lessons // 2 + lessons % 2
