"""The trainers' side in the Wagtail admin: cohorts, the progress report, exports."""

import csv
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from courses import services
from courses.admin_views import REPORT_ROWS_PER_PAGE
from courses.models import Cohort, Enrolment, ItemCompletion, LessonPage, QuizPage
from courses.reports import ROWS_BATCH
from lms.models import LearnerProfile, Region, User
from tests.factories import UserFactory
from tests.factories.courses import build_cohort

REPORT = "/admin/learning/report/"


@pytest.fixture
def other_cohort(course, other_trainer):
    return build_cohort(course, name="Поток 2", trainers=[other_trainer])


def _progress(learner, course, lessons=1):
    for lesson in LessonPage.objects.descendant_of(course).order_by("path")[:lessons]:
        services.lesson_complete(learner=learner, lesson=lesson)


def test_trainer_lists_only_the_cohorts_they_teach(client, trainer, cohort, other_cohort):
    client.force_login(trainer)
    html = client.get(reverse("courses_cohort:index")).content.decode()
    assert cohort.name in html
    assert other_cohort.name not in html
    edit_other = reverse("courses_cohort:edit", args=[other_cohort.pk])
    assert client.get(edit_other).status_code == 404


def test_a_new_cohort_is_run_by_the_trainer_who_opens_it(client, trainer, course):
    client.force_login(trainer)
    response = client.post(
        reverse("courses_cohort:add"),
        {
            "course": course.pk,
            "name": "Западно-Казахстанский поток",
            "branch": "Уральск",
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-19",
            "invite_code": "URALSK26",
            "invite_open": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    cohort = Cohort.objects.get(name="Западно-Казахстанский поток")
    assert list(cohort.trainers.all()) == [trainer]


def test_report_shows_learners_modules_and_charts(
    client, trainer, cohort, learner, enrolment, course
):
    _progress(learner, course, lessons=2)
    client.force_login(trainer)
    response = client.get(REPORT, {"cohort": cohort.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert learner.full_name in html
    assert "lms-cell--in_progress" in html  # module 1: two lessons done, test not yet
    assert "Модуль 1" in html


def test_report_charts_and_columns_are_readable(client, trainer, cohort, learner, enrolment):
    """Issue 14: chart labels were an SVG's 11 units scaled to about 8 px, and the module
    columns numbered 1, 2… were explained only in a list below the table."""
    client.force_login(trainer)
    html = client.get(REPORT, {"cohort": cohort.pk}).content.decode()
    assert 'role="img"' not in html and 'font-size="11"' not in html
    assert '<span class="lms-bar__label">Модуль 1</span>' in html
    key, table = html.index('class="lms-module-key"'), html.index('class="listing lms-matrix"')
    assert key < table  # the legend comes before the numbered columns
    assert '<span class="w-sr-only">Модуль 2</span></th>' in html


def test_report_hides_cohorts_the_trainer_does_not_teach(client, trainer, other_cohort, course, db):
    stranger = UserFactory(full_name="Чужой Ученик")
    services.enrolment_create(learner=stranger, cohort=other_cohort)
    client.force_login(trainer)
    html = client.get(REPORT, {"course": course.pk}).content.decode()
    assert "Чужой Ученик" not in html
    response = client.get(REPORT, {"cohort": other_cohort.pk})
    assert "Чужой Ученик" not in response.content.decode()


def test_learner_detail_of_another_cohort_is_404(client, trainer, other_cohort, db):
    enrolment = services.enrolment_create(learner=UserFactory(), cohort=other_cohort)
    client.force_login(trainer)
    assert client.get(f"/admin/learning/enrolments/{enrolment.pk}/").status_code == 404


def test_learner_detail_lists_items_with_dates_and_withdraws(
    client, trainer, enrolment, learner, course
):
    _progress(learner, course)
    client.force_login(trainer)
    url = f"/admin/learning/enrolments/{enrolment.pk}/"
    html = client.get(url).content.decode()
    assert "Урок 1.1" in html and "Урок 2.2" in html
    assert client.post(url, {"action": "withdraw"}).status_code == 302
    assert Enrolment.objects.get(pk=enrolment.pk).status == Enrolment.Status.WITHDRAWN


def test_learners_cannot_open_the_report(client, learner, enrolment):
    client.force_login(learner)
    response = client.get(REPORT)
    assert response.status_code in (302, 403)


def test_methodologist_sees_every_cohort(client, cohort, other_cohort, db):
    methodologist = UserFactory()
    methodologist.groups.add(Group.objects.get(name="Methodologists"))
    services.enrolment_create(learner=UserFactory(full_name="Ученик Два"), cohort=other_cohort)
    client.force_login(methodologist)
    html = client.get(REPORT, {"course": cohort.course.pk}).content.decode()
    assert "Ученик Два" in html


def test_report_exports_csv_and_xlsx(client, trainer, cohort, learner, enrolment, course):
    _progress(learner, course, lessons=2)
    client.force_login(trainer)
    response = client.get(REPORT, {"cohort": cohort.pk, "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    # learner columns, one per module, "falling behind", those other apps add (attendance)
    assert len(rows[0]) == 7 + 2 + 1 + 1
    assert rows[1][0] == learner.full_name
    assert rows[1][7] == "67"  # module 1: 2 of 3 required items

    response = client.get(REPORT, {"cohort": cohort.pk, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=2).value == learner.email


def test_exports_defuse_spreadsheet_formulas(client, trainer, cohort):
    services.enrolment_create(learner=UserFactory(full_name="=HYPERLINK(1)"), cohort=cohort)
    client.force_login(trainer)
    response = client.get(REPORT, {"cohort": cohort.pk, "export": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in body


def learner_rows(html: str) -> int:
    """How many learners the report's table shows: each links to their detail."""
    detail = reverse("courses_enrolment_detail", args=[1]).removesuffix("1/")
    return len(re.findall(rf'<th scope="row"><a href="{re.escape(detail)}\d+/">', html))


@pytest.mark.parametrize("learners", [10, 1000])
def test_report_queries_do_not_grow_with_learners(
    client, trainer, cohort, learners, django_assert_num_queries
):
    akmola = Region.objects.get(code="akmola")
    users = User.objects.bulk_create(
        User(email=f"l{n}@example.com", full_name=f"Ученик {n}") for n in range(learners)
    )
    LearnerProfile.objects.bulk_create(LearnerProfile(user=u, region=akmola) for u in users)
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(learner=u, cohort=cohort, course_key=cohort.course.translation_key) for u in users
    )
    first = LessonPage.objects.descendant_of(cohort.course).order_by("path").first()
    ItemCompletion.objects.bulk_create(
        ItemCompletion(enrolment=e, item_key=first.translation_key, source="learner")
        for e in enrolments[::2]
    )
    client.force_login(trainer)
    client.get(REPORT, {"cohort": cohort.pk})
    # The session, the admin's chrome and the filter form (13); the course's modules
    # and items (2) and its tests (1); everyone's figures, the count and the charts (1);
    # the page's learners (1), their completions (1), those of them falling behind (1),
    # their attendance (2: sessions held, sessions attended); the regions' names (1).
    with django_assert_num_queries(23):
        response = client.get(REPORT, {"cohort": cohort.pk})
    assert response.status_code == 200
    html = response.content.decode()
    # a page of learners, however many; the count and the charts are everyone's
    assert learner_rows(html) == min(learners, REPORT_ROWS_PER_PAGE)
    assert f"{learners} " in html
    # The export: the session and the filter form (5), the course (3), every learner
    # (1), the regions' names (1), then for each batch of ROWS_BATCH learners (here
    # one) their completions, those falling behind and their attendance (4). No figures.
    with django_assert_num_queries(14):
        response = client.get(REPORT, {"cohort": cohort.pk, "export": "csv"})
        body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == learners + 1
    assert learners <= ROWS_BATCH


def test_report_pages_through_the_learners_and_keeps_the_filters(client, trainer, cohort):
    users = User.objects.bulk_create(
        User(email=f"p{n}@example.com", full_name=f"Ученик {n:04}")
        for n in range(REPORT_ROWS_PER_PAGE + 5)
    )
    Enrolment.objects.bulk_create(
        Enrolment(learner=u, cohort=cohort, course_key=cohort.course.translation_key) for u in users
    )
    client.force_login(trainer)
    html = client.get(REPORT, {"cohort": cohort.pk, "page": 2}).content.decode()
    assert learner_rows(html) == 5
    assert "Ученик 0104" in html and "Ученик 0000" not in html
    assert f"?cohort={cohort.pk}&amp;page=1" in html  # the filter stays in the links
    # a page that does not exist shows the last one, hostile input the first
    assert "Ученик 0104" in client.get(REPORT, {"cohort": cohort.pk, "page": 99}).content.decode()
    assert "Ученик 0000" in client.get(REPORT, {"cohort": cohort.pk, "page": "x'"}).content.decode()
    # the export is every learner, never a page
    response = client.get(REPORT, {"cohort": cohort.pk, "page": 2, "export": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(body)))) == REPORT_ROWS_PER_PAGE + 5 + 1


def test_report_shows_each_modules_best_test_result(
    client, trainer, cohort, learner, enrolment, course
):
    from quizzes import services as quiz_services
    from tests.factories import quizzes as make

    quiz = make.quiz_with([make.true_false(make.category())])
    page = QuizPage.objects.descendant_of(course).order_by("path").first()
    page.quiz = quiz
    page.save()
    for value in (False, True):
        attempt = quiz_services.attempt_start(quiz=quiz, user=learner)
        quiz_services.answer_save(
            attempt=attempt,
            user=learner,
            question_id=attempt.layout[0]["question"],
            response={"value": value},
        )
        quiz_services.attempt_submit(attempt=attempt, user=learner)
    client.force_login(trainer)
    html = client.get(REPORT, {"cohort": cohort.pk}).content.decode()
    # issue 14: the cell read "67% 6", the 6 unexplained
    with translation.override("ru"):
        title, label = gettext("best test result, %"), gettext("test %(score)s%%")
    assert f'<abbr class="lms-score" title="{title}">{label % {"score": 100}}</abbr>' in html
    detail = client.get(f"/admin/learning/enrolments/{enrolment.pk}/").content.decode()
    assert detail.count(quiz.title) == 2  # both attempts, with their dates


def _add_lesson_in_admin(client, module, *, title, slug):
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    url = reverse("wagtailadmin_pages:add", args=("courses", "lessonpage", module.pk))
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "body": streamfield([("paragraph", rich_text("<p>Новый материал.</p>"))]),
            "estimated_minutes": "15",
            "required": "on",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return LessonPage.objects.get(slug=slug, locale=module.locale)


def test_a_lesson_added_in_the_admin_goes_before_the_module_test(client, trainer, course):
    """Issue 14: a lesson a trainer added landed after the test that examines it."""
    module = course.get_children().order_by("path").last()  # 2 lessons, a test, the exam
    client.force_login(trainer)
    lesson = _add_lesson_in_admin(client, module, title="Урок о закупках", slug="procurement")
    titles = [page.title for page in module.get_children().order_by("path")]
    assert titles == [
        "Урок 2.1",
        "Урок 2.2",
        "Урок о закупках",
        "Тест модуля 2",
        "Итоговый экзамен",
    ]
    lesson.refresh_from_db()
    assert lesson.url_path.endswith("/module-2/procurement/")


def test_a_module_test_added_in_the_admin_goes_before_the_final_exam(course):
    module = course.get_children().order_by("path").last()
    test = QuizPage(title="Второй тест", slug="second-test", live=False)
    module.add_child(instance=test)
    services.item_place_in_course_order(page=test)
    titles = [page.title for page in module.get_children().order_by("path")]
    assert titles[-2:] == ["Второй тест", "Итоговый экзамен"]


def test_the_explorer_lists_a_module_in_course_order(client, trainer, course):
    """Not by "updated": a lesson edited last still shows in its place."""
    module = course.get_children().order_by("path").first()
    # the pages updated last, which "updated" order would list first
    QuizPage.objects.child_of(module).get().save_revision(user=trainer)
    course.get_children().order_by("path").last().specific.save_revision(user=trainer)
    client.force_login(trainer)
    for parent, titles in (
        (module, ["Урок 1.1", "Урок 1.2", "Тест модуля 1"]),
        (course, ["Модуль 1", "Модуль 2"]),
    ):
        html = client.get(reverse("wagtailadmin_explore", args=[parent.pk])).content.decode()
        positions = [html.index(title) for title in titles]
        assert positions == sorted(positions), parent.title
