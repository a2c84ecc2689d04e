"""Results in the admin: shown per group from five responses, scoped, exported."""

import csv
import io

import pytest
from openpyxl import load_workbook

from evaluations.models import MIN_RESPONSES
from tests.evaluations.conftest import add_responses, make_user

pytestmark = pytest.mark.django_db
URL = "/admin/evaluations/results/"
HIDDEN = "Not enough answers to show without identifying anyone."


def page(client, user, **params) -> str:
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_four_responses_show_nothing_five_show_the_results(client, trainer, survey, cohort):
    add_responses(survey, cohort, MIN_RESPONSES - 1, score=2, text="Мало практики")
    html = page(client, trainer)
    assert HIDDEN in html and "Мало практики" not in html and "mean 2.00" not in html
    add_responses(survey, cohort, 1, score=5, text="Всё понравилось")
    html = page(client, trainer)
    assert HIDDEN not in html
    assert "mean 2.60" in html  # (4 × 2 + 5) / 5
    assert "Мало практики" in html and "Всё понравилось" in html


def test_free_texts_come_in_alphabetical_order(client, trainer, survey, cohort):
    for text in ["Яснее слайды", "Больше практики", "Кофе-брейки", "Аудитория тесная", "Всё"]:
        add_responses(survey, cohort, 1, text=text)
    html = page(client, trainer)
    positions = [
        html.index(text)
        for text in ["Аудитория тесная", "Больше практики", "Всё", "Кофе-брейки", "Яснее слайды"]
    ]
    assert positions == sorted(positions)


def test_free_text_is_shown_escaped(client, trainer, survey, cohort):
    add_responses(survey, cohort, 5, text="<img src=x onerror=alert(1)>")
    html = page(client, trainer)
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_results_per_trainer_across_their_cohorts(
    client, methodologist, survey, course, cohort, trainer, other_trainer
):
    from tests.factories.courses import build_cohort

    second = build_cohort(course, name="Поток 3", trainers=[trainer, other_trainer])
    add_responses(survey, cohort, 5, score=5)
    add_responses(survey, second, 5, score=1)
    html = page(client, methodologist)
    by_trainer = html[html.index("By trainer") :]
    assert "Гульнара Сейткали" in by_trainer and "10 responses" in by_trainer
    assert "mean 3.00" in by_trainer  # both cohorts
    assert "Асхат Нурланов" in by_trainer and "mean 1.00" in by_trainer


def test_a_trainers_results_leave_out_cohorts_too_small_to_show(
    client, methodologist, survey, course, cohort, trainer
):
    from tests.factories.courses import build_cohort

    small = build_cohort(course, name="Поток 3", trainers=[trainer])
    add_responses(survey, cohort, 5, score=5)
    add_responses(survey, small, 2, score=1)
    by_trainer = page(client, methodologist).split("By trainer")[1]
    # Seven would let the small cohort's two be read off by subtraction.
    assert "5 responses" in by_trainer and "mean 5.00" in by_trainer


def test_a_trainer_sees_their_cohorts_and_themselves_only(
    client, trainer, survey, cohort, other_cohort
):
    add_responses(survey, cohort, 5, text="Наш поток")
    add_responses(survey, other_cohort, 5, text="Чужой поток")
    html = page(client, trainer)
    assert "Наш поток" in html and "Чужой поток" not in html
    assert "Поток 2" not in html and "Асхат Нурланов" not in html


def test_a_trainer_does_not_see_a_co_trainers_own_results(
    client, trainer, other_trainer, survey, cohort
):
    cohort.trainers.add(other_trainer)
    add_responses(survey, cohort, 5)
    by_trainer = page(client, trainer).split("By trainer")[1]
    assert "Гульнара Сейткали" in by_trainer and "Асхат Нурланов" not in by_trainer


def test_methodologists_see_every_cohort(client, methodologist, survey, cohort, other_cohort):
    add_responses(survey, cohort, 5, text="Наш поток")
    add_responses(survey, other_cohort, 5, text="Чужой поток")
    html = page(client, methodologist)
    assert "Наш поток" in html and "Чужой поток" in html


def test_a_survey_of_another_trainers_course_is_404(
    client, home_pages, survey, other_trainer, trainer
):
    from evaluations.models import Survey
    from tests.factories.courses import build_cohort, build_course

    other_course = build_course(home_pages["ru"], modules=1, lessons=1, slug="other")
    build_cohort(other_course, trainers=[other_trainer])
    other_survey = Survey.objects.create(course=other_course)
    client.force_login(trainer)
    assert client.get(URL, {"survey": other_survey.pk}).status_code == 404


def test_learners_are_refused(client, survey):
    learner = make_user("akim@example.com", "Learners")
    client.force_login(learner)
    assert client.get(URL).status_code in {302, 403}
    assert client.get(URL, {"export": "csv"}).status_code in {302, 403}


def test_csv_export_has_aggregates_and_texts_never_a_learners_row(client, trainer, survey, cohort):
    add_responses(survey, cohort, 5, score=4, text='=HYPERLINK("http://x")')
    client.force_login(trainer)
    response = client.get(URL, {"survey": survey.pk, "export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode()[1:])))
    header, *body = rows
    assert header[:6] == ["Group", "Name", "Responses", "Question", "Answers", "Mean"]
    cohort_rows = [row for row in body if row[0] == "Cohort"]
    assert cohort_rows[0][3:] == ["The course was useful", "5", "4.00", "0", "0", "0", "5", "0", ""]
    texts = [row[-1] for row in body if row[-1]]
    assert texts == ['\'=HYPERLINK("http://x")'] * 10  # five in the cohort, five for the trainer
    assert len(body) == 2 * (2 + 5)  # per group: two scales, five texts


def test_export_of_a_small_group_gives_only_its_count(client, trainer, survey, cohort):
    add_responses(survey, cohort, 3, text="Секрет")
    client.force_login(trainer)
    response = client.get(URL, {"survey": survey.pk, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "Секрет" not in values and 3 in values


@pytest.mark.parametrize("n", [10, 1000])
def test_the_results_page_makes_as_many_queries_for_10_as_for_1000_responses(
    client, django_assert_num_queries, methodologist, survey, cohort, other_cohort, n
):
    add_responses(survey, cohort, n, text="Текст")
    add_responses(survey, other_cohort, n, text="Другой")
    client.force_login(methodologist)
    client.get(URL)
    with django_assert_num_queries(RESULTS_QUERIES):
        html = client.get(URL).content.decode()
    assert html.count("Текст") == 2 * n  # in the cohort and for its trainer


RESULTS_QUERIES = 20
