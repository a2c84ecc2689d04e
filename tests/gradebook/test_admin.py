"""The cohort's gradebook in the admin: scoping, overrides with history, exports, the
grading scheme's form, and flat query counts."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gradebook.models import CourseGradingScheme, GradeChange, GradeOverride
from schedule.models import Session
from tests.gradebook.conftest import add_tests, enrol, grade

pytestmark = pytest.mark.django_db


def book_url(cohort) -> str:
    return f"/admin/learning/cohorts/{cohort.pk}/gradebook/"


def cell_url(cohort, enrolment, key) -> str:
    return f"{book_url(cohort)}{enrolment.pk}/{key}/"


def key(page) -> str:
    return f"test:{page.translation_key}"


def test_the_trainer_sees_learners_grades_totals_and_the_help(
    client, cohort, tests, learner, trainer
):
    user, enrolment = learner
    grade(user, tests[0], 80)
    client.force_login(trainer)
    html = client.get(book_url(cohort)).content.decode()
    assert "Ерлан Сейітов" in html
    assert f'data-cell="{enrolment.pk}-{key(tests[0])}">80<' in html
    assert f'data-total="{enrolment.pk}">80<' in html
    assert "counts as 0 once it is due" in html


def test_the_cohort_list_links_to_the_gradebook(client, cohort, trainer):
    client.force_login(trainer)
    html = client.get(reverse("courses_cohort:index")).content.decode()
    assert book_url(cohort) in html


def test_another_cohorts_trainer_gets_404(client, cohort, tests, learner, other_trainer):
    _user, enrolment = learner
    client.force_login(other_trainer)
    assert client.get(book_url(cohort)).status_code == 404
    assert client.get(cell_url(cohort, enrolment, key(tests[0]))).status_code == 404
    response = client.post(
        cell_url(cohort, enrolment, key(tests[0])),
        {"action": "set", "grade": "100", "reason": "x"},
    )
    assert response.status_code == 404
    assert not GradeOverride.objects.exists()


def test_a_learner_gets_no_gradebook(client, cohort, tests, learner):
    client.force_login(learner[0])
    assert client.get(book_url(cohort)).status_code in {302, 403}


def test_staff_who_see_every_cohort_open_it(client, cohort, tests, methodologist):
    client.force_login(methodologist)
    assert client.get(book_url(cohort)).status_code == 200


def test_forged_learner_of_another_cohort_in_the_override_form(
    client, cohort, tests, trainer, learner, other_learner
):
    _user, stranger = other_learner
    client.force_login(trainer)
    url = cell_url(cohort, stranger, key(tests[0]))
    assert client.get(url).status_code == 404
    response = client.post(url, {"action": "set", "grade": "100", "reason": "Пересдача"})
    assert response.status_code == 404
    assert not GradeOverride.objects.exists()


def test_an_item_not_of_the_course_is_404(client, cohort, tests, trainer, learner, home_pages):
    from tests.factories.courses import build_course

    other = build_course(home_pages["ru"], modules=1, lessons=1, slug="other")
    (foreign,) = add_tests(other, 1)
    client.force_login(trainer)
    assert client.get(cell_url(cohort, learner[1], key(foreign))).status_code == 404
    assert client.get(cell_url(cohort, learner[1], "test:nonsense")).status_code == 404


def test_override_with_reason_then_removal_is_logged(client, cohort, tests, trainer, learner):
    user, enrolment = learner
    grade(user, tests[0], 40)
    client.force_login(trainer)
    url = cell_url(cohort, enrolment, key(tests[0]))
    response = client.post(url, {"action": "set", "grade": "75", "reason": ""})
    assert response.status_code == 200  # the reason is required
    assert not GradeOverride.objects.exists()
    response = client.post(
        url, {"action": "set", "grade": "75", "reason": "<b>Пересдача</b> устно"}
    )
    assert response.status_code == 302
    html = client.get(book_url(cohort)).content.decode()
    assert f'data-cell="{enrolment.pk}-{key(tests[0])}">75*<' in html
    response = client.post(url, {"action": "remove", "reason": "Ошибка"})
    assert response.status_code == 302
    assert not GradeOverride.objects.exists()
    changes = list(GradeChange.objects.order_by("changed_at", "pk"))
    assert [(c.old_grade, c.new_grade, c.reason, c.actor) for c in changes] == [
        (None, Decimal(75), "Пересдача устно", trainer),
        (Decimal(75), None, "Ошибка", trainer),
    ]
    history = client.get(url).content.decode()
    assert history.count("data-change") == 2
    assert "Пересдача устно" in history and "removed" in history


def test_hostile_grades_are_refused(client, cohort, tests, trainer, learner):
    client.force_login(trainer)
    url = cell_url(cohort, learner[1], key(tests[0]))
    for value in ["101", "-1", "abc", "1e9"]:
        response = client.post(url, {"action": "set", "grade": value, "reason": "x"})
        assert response.status_code == 200
    response = client.post(url, {"action": "destroy", "grade": "50", "reason": "x"})
    assert response.status_code == 200
    assert not GradeOverride.objects.exists()


def test_exports_guard_formulas(client, cohort, tests, trainer):
    user, _enrolment = enrol(cohort, "evil@example.com", "=HYPERLINK(1)")
    grade(user, tests[0], 90)
    client.force_login(trainer)
    response = client.get(book_url(cohort) + "?export=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == ["Full name", "E-mail"]
    assert rows[0][-2:] == ["Course total, %", "Band"]
    assert rows[1][0] == "'=HYPERLINK(1)"
    assert rows[1][2] == "90.00"
    response = client.get(book_url(cohort) + "?export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[1][0] == "'=HYPERLINK(1)"


def scheme_data(course, bands) -> dict:
    data = {
        "course": course.pk,
        "weights-TOTAL_FORMS": "1",
        "weights-INITIAL_FORMS": "0",
        "weights-MIN_NUM_FORMS": "0",
        "weights-MAX_NUM_FORMS": "1000",
        "weights-0-kind": "final_exam",
        "weights-0-weight": "3",
        "weights-0-ORDER": "1",
        "weights-0-DELETE": "",
        "weights-0-id": "",
        "bands-TOTAL_FORMS": str(len(bands)),
        "bands-INITIAL_FORMS": "0",
        "bands-MIN_NUM_FORMS": "0",
        "bands-MAX_NUM_FORMS": "1000",
    }
    for n, (label, bound) in enumerate(bands):
        data.update(
            {
                f"bands-{n}-label": label,
                f"bands-{n}-lower_bound": bound,
                f"bands-{n}-ORDER": str(n + 1),
                f"bands-{n}-DELETE": "",
                f"bands-{n}-id": "",
            }
        )
    return data


ADD = "/admin/gradebook/schemes/new/"


def test_a_methodologist_sets_weights_and_bands(client, methodologist, course):
    client.force_login(methodologist)
    assert client.get(ADD).status_code == 200
    response = client.post(ADD, scheme_data(course, [("Fail", "0"), ("Pass", "60")]))
    assert response.status_code == 302, response.content.decode()[:3000]
    scheme = CourseGradingScheme.objects.get()
    assert scheme.course_key == course.translation_key
    assert [(b.label, b.lower_bound) for b in scheme.bands.all()] == [
        ("Fail", Decimal(0)),
        ("Pass", Decimal(60)),
    ]


@pytest.mark.parametrize(
    "bands",
    [
        [("A", "85"), ("B", "70")],  # not ascending
        [("C", "50"), ("B", "50")],  # the same bound twice
        [("C", "50"), ("C", "70")],  # the same name twice
        [("C", "-5"), ("B", "70")],
        [("C", "50"), ("B", "170")],
    ],
)
def test_bands_that_do_not_make_sense_are_refused(client, methodologist, course, bands):
    client.force_login(methodologist)
    response = client.post(ADD, scheme_data(course, bands))
    assert response.status_code == 200
    assert not CourseGradingScheme.objects.exists()


def test_trainers_cannot_set_schemes(client, trainer, course):
    client.force_login(trainer)
    assert client.get(ADD).status_code in {302, 403}


def _fill(cohort, tests, n: int) -> None:
    for index in range(n):
        user, _enrolment = enrol(cohort, f"learner{index}@example.com")
        for page in tests:
            grade(user, page, 50 + index % 50)


@pytest.mark.parametrize(("learners", "tests_count"), [(10, 3), (200, 30)])
def test_gradebook_queries_are_flat(
    client, django_assert_num_queries, course, cohort, trainer, learners, tests_count
):
    pages = add_tests(course, tests_count)
    _fill(cohort, pages, learners)
    now = timezone.now()
    Session.objects.create(
        cohort=cohort, title="Бюджет", starts_at=now - timedelta(hours=3), ends_at=now
    )
    client.force_login(trainer)
    client.get(book_url(cohort))
    with django_assert_num_queries(GRADEBOOK_QUERIES):
        html = client.get(book_url(cohort)).content.decode()
    assert html.count("data-total=") == learners


GRADEBOOK_QUERIES = 23  # the assignments: their pages, their marks
