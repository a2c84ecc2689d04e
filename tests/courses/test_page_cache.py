"""The course catalogue and course overviews come from the page cache for anonymous
visitors, as the news does: no query on a hit, fresh after a publish, per language,
never for signed-in people and never with anything of one person's on them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import ModulePage
from tests.factories.courses import translate_course

URLS = ["/ru/courses/", "/ru/courses/course/"]


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


@pytest.mark.parametrize("url", URLS)
def test_a_second_anonymous_request_is_a_hit_without_queries(client, course, url):
    assert _get(client, url)["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        response = _get(client, url)
    assert response["X-Page-Cache"] == "hit"
    assert len(queries) == 0, [query["sql"][:120] for query in queries]
    assert "Управление сельским округом" in response.content.decode()


@pytest.mark.parametrize("url", URLS)
def test_headers_let_browsers_and_proxies_keep_it_for_anonymous_visitors(client, course, url):
    for response in (_get(client, url), _get(client, url)):  # miss, then hit
        assert "public" in response["Cache-Control"]
        assert "s-maxage" in response["Cache-Control"]
        assert "Cookie" in response["Vary"]


def test_a_published_module_title_shows_on_the_next_request(client, course):
    _get(client, "/ru/courses/course/")
    module = ModulePage.objects.child_of(course).first()
    module.title = "Бюджет округа, новая редакция"
    module.save_revision().publish()
    response = _get(client, "/ru/courses/course/")
    assert response["X-Page-Cache"] == "miss"
    assert "Бюджет округа, новая редакция" in response.content.decode()


def test_an_unpublished_course_leaves_the_catalogue_at_once(client, course):
    assert "Управление сельским округом" in _get(client, "/ru/courses/").content.decode()
    course.unpublish()
    response = _get(client, "/ru/courses/")
    assert "Управление сельским округом" not in response.content.decode()
    assert client.get("/ru/courses/course/").status_code == 404


def test_a_moved_course_is_found_at_its_new_address(client, course, home_pages):
    _get(client, "/ru/courses/course/")
    course.slug = "akim-course"
    course.save_revision().publish()
    assert client.get("/ru/courses/course/").status_code == 404
    assert _get(client, "/ru/courses/akim-course/")["X-Page-Cache"] == "miss"


def test_each_language_has_its_own_entry(client, course):
    translate_course(course, "kk")
    ru = _get(client, "/ru/courses/course/")
    kk = _get(client, "/kk/courses/course/")
    assert kk["X-Page-Cache"] == "miss"
    assert ru["Content-Language"] == "ru" and kk["Content-Language"] == "kk"
    assert 'lang="kk"' in kk.content.decode()


def test_signed_in_people_never_get_or_leave_a_stored_page(client, course, enrolment, learner):
    _get(client, "/ru/courses/course/")  # stored for anonymous visitors
    client.force_login(learner)
    response = _get(client, "/ru/courses/course/")
    assert not response.has_header("X-Page-Cache")
    assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    assert 'id="my-progress"' in response.content.decode()
    client.logout()
    anonymous = _get(client, "/ru/courses/course/")
    assert anonymous["X-Page-Cache"] == "hit"
    html = anonymous.content.decode()
    assert 'id="my-progress"' not in html and "Ерлан Сейітов" not in html


def test_a_learners_page_is_not_stored_for_the_anonymous_visitors_after_them(
    client, course, enrolment, learner
):
    client.force_login(learner)
    _get(client, "/ru/courses/course/")
    client.logout()
    response = _get(client, "/ru/courses/course/")
    assert response["X-Page-Cache"] == "miss"
    assert 'id="my-progress"' not in response.content.decode()


def test_lessons_are_never_stored(client, course):
    response = client.get("/ru/courses/course/module-1/lesson-1/")
    assert response.status_code == 302  # to the sign-in page
    assert not response.has_header("X-Page-Cache")
