"""The learner's own column: their grades as released to them, total and band."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes.models import Quiz
from tests.gradebook.conftest import add_tests, enrol, grade, scheme

pytestmark = pytest.mark.django_db


def url(course, language: str = "en") -> str:
    return f"/{language}/gradebook/{course.translation_key}/"


def test_the_learner_sees_their_grades_total_and_band(client, course, cohort, tests, learner):
    user, _enrolment = learner
    scheme(course, bands=[("Fail", 0), ("Pass", 60)])
    grade(user, tests[0], 80)
    grade(user, tests[1], 60)
    client.force_login(user)
    html = client.get(url(course)).content.decode()
    assert "My grades" in html
    assert "<td>80</td>" in html
    assert "<td data-total>70 · Pass</td>" in html


def test_russian_and_kazakh_pages(client, course, cohort, tests, learner):
    client.force_login(learner[0])
    assert "Мои оценки" in client.get(url(course, "ru")).content.decode()
    assert "Менің бағаларым" in client.get(url(course, "kk")).content.decode()


def test_a_grade_not_released_is_not_shown_nor_counted(client, course, cohort, tests, learner):
    user, _enrolment = learner
    Quiz.objects.filter(pk=tests[1].quiz_id).update(
        review_when=Quiz.ReviewWhen.AFTER_CLOSE, closes_at=timezone.now() + timedelta(days=2)
    )
    grade(user, tests[0], 80)
    grade(user, tests[1], "43.21")
    client.force_login(user)
    html = client.get(url(course)).content.decode()
    assert "43.21" not in html
    assert "not released yet" in html
    assert "<td data-total>80</td>" in html


def test_only_ones_own_course(client, course, cohort, tests, learner, other_learner, home_pages):
    from tests.factories.courses import build_course

    client.force_login(other_learner[0])
    # another cohort of the same course: their own column, never the first learner's
    grade(learner[0], tests[0], "77.13")
    html = client.get(url(course)).content.decode()
    assert "77.13" not in html
    other = build_course(home_pages["ru"], modules=1, lessons=1, slug="other")
    assert client.get(url(other)).status_code == 404
    assert client.get("/en/gradebook/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, course):
    response = client.get(url(course))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_dashboard_links_to_the_grades(client, course, cohort, learner):
    client.force_login(learner[0])
    html = client.get("/en/dashboard/").content.decode()
    assert url(course) in html


@pytest.mark.parametrize(("learners", "tests_count"), [(10, 3), (200, 30)])
def test_learner_page_queries_are_flat(
    client, django_assert_num_queries, course, cohort, learners, tests_count
):
    pages = add_tests(course, tests_count)
    users = [enrol(cohort, f"learner{index}@example.com")[0] for index in range(learners)]
    for user in users[:20]:
        for page in pages:
            grade(user, page, 70)
    client.force_login(users[0])
    client.get(url(course))
    with django_assert_num_queries(LEARNER_QUERIES):
        html = client.get(url(course)).content.decode()
    assert html.count("data-item=") == tests_count
    assert "<td data-total>70</td>" in html


LEARNER_QUERIES = 12  # with the assignments: their pages, their marks


def test_tests_are_named_in_the_pages_language(client, course, cohort, tests, learner):
    from tests.factories.courses import translate_course

    copy = translate_course(course, "kk")
    for page in copy.get_descendants().type(type(tests[0])).specific():
        page.title = f"{page.title} (қаз.)"
        page.save_revision().publish()
    client.force_login(learner[0])
    assert "Тест 1 (қаз.)" in client.get(url(course, "kk")).content.decode()
    assert "Тест 1 (қаз.)" not in client.get(url(course, "ru")).content.decode()


def test_the_dashboard_names_the_course_in_its_language(client, course, cohort, learner):
    from wagtail.models import Locale

    copy = course.copy_for_translation(Locale.objects.get(language_code="kk"), copy_parents=True)
    copy.title = "Ауылдық округті басқару"
    copy.save_revision().publish()
    client.force_login(learner[0])
    html = client.get("/kk/dashboard/").content.decode()
    assert "Ауылдық округті басқару" in html.split('id="grades-heading"', 1)[1]
    assert course.title not in html.split('id="grades-heading"', 1)[1]


def test_the_grades_panel_on_its_own_reads_the_learners_courses(course, cohort, learner):
    """Outside the dashboard (no courses in the parent context) the panel still finds
    the learner's courses and names them in the active language."""
    from django.utils import translation

    from gradebook.panels import MyGradesPanel

    with translation.override("ru"):
        html = MyGradesPanel(user=learner[0]).render_html()
    assert f"/gradebook/{course.translation_key}/" in html
    assert course.title in html
