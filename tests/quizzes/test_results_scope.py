"""Whose quiz results staff may read: a trainer the learners of the cohorts they teach
(in those cohorts' courses), methodologists and registrars everyone. Every route
(list, CSV, XLSX, the essay queue, marking) goes through one selector."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from quizzes import selectors
from quizzes.models import Answer, Attempt, Question
from tests.factories import UserFactory
from tests.quizzes.test_admin import host, in_group, make_quiz, take


def results_url(**query) -> str:
    url = reverse("quizzes_results:index")
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def world(home_pages, bank):
    """Two cohorts in two courses. Cohort A (trainer A): akim1, akim2, in the course
    hosting "Бюджет аула". Cohort B (trainer B): akim3, in the course hosting
    "Госзакупки". akim1 also sat "Госзакупки", which their course does not host."""
    budget = make_quiz("Бюджет аула", [bank["single"], bank["essay"]])
    procurement = make_quiz("Госзакупки", [bank["single"], bank["essay"]])
    trainer_a = in_group("Trainers", email="trainer-a@example.com")
    trainer_b = in_group("Trainers", email="trainer-b@example.com")
    akims = [UserFactory(email=f"akim{n}@example.com", full_name=f"Аким {n}") for n in (1, 2, 3)]
    host(home_pages["ru"], [budget], slug="a", trainers=[trainer_a], learners=akims[:2])
    host(home_pages["ru"], [procurement], slug="b", trainers=[trainer_b], learners=akims[2:])
    attempts = {
        "akim1-budget": take(budget, akims[0], right=True, essay="<p>План А1</p>"),
        "akim2-budget": take(budget, akims[1], right=False, essay="<p>План А2</p>"),
        "akim3-procurement": take(procurement, akims[2], right=True, essay="<p>План Б3</p>"),
        "akim1-procurement": take(procurement, akims[0], right=True, essay="<p>Вне курса</p>"),
    }
    return {
        "trainer_a": trainer_a,
        "trainer_b": trainer_b,
        "attempts": attempts,
        "budget": budget,
        "procurement": procurement,
    }


def essay_of(attempt: Attempt) -> Answer:
    return Answer.objects.get(attempt=attempt, question__type=Question.Type.ESSAY)


def _csv_emails_and_quizzes(response) -> set[tuple[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return {(row[1], row[2]) for row in list(csv.reader(io.StringIO(text)))[1:]}


def test_the_selector_gives_a_trainer_their_cohorts_attempts_in_their_course(world):
    seen = set(selectors.attempts_visible_to(world["trainer_a"]))
    a = world["attempts"]
    assert seen == {a["akim1-budget"], a["akim2-budget"]}
    assert set(selectors.attempts_visible_to(world["trainer_b"])) == {a["akim3-procurement"]}


def test_a_trainer_reads_only_their_learners_on_every_route(client, world):
    a = world["attempts"]
    client.force_login(world["trainer_a"])
    html = client.get(results_url()).content.decode()
    assert "akim1@example.com" in html and "akim2@example.com" in html
    assert "akim3@example.com" not in html and "Аким 3" not in html
    assert "Госзакупки" not in html.split('id="attempts"')[1]  # akim1's other test
    # The essay queue holds their two learners' essays only.
    assert reverse("quizzes_results:mark", args=[essay_of(a["akim1-budget"]).pk]) in html
    assert reverse("quizzes_results:mark", args=[essay_of(a["akim3-procurement"]).pk]) not in html
    assert reverse("quizzes_results:mark", args=[essay_of(a["akim1-procurement"]).pk]) not in html

    rows = _csv_emails_and_quizzes(client.get(results_url(export="csv")))
    assert rows == {("akim1@example.com", "Бюджет аула"), ("akim2@example.com", "Бюджет аула")}

    response = client.get(results_url(export="xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    emails = {row[1] for row in list(sheet.iter_rows(values_only=True))[1:]}
    assert emails == {"akim1@example.com", "akim2@example.com"}

    # Filtering by another cohort's learner or quiz finds nothing rather than them.
    html = client.get(results_url(user="akim3")).content.decode()
    assert "akim3@example.com" not in html


def test_a_trainer_cannot_open_or_mark_another_cohorts_essay(client, world):
    foreign = essay_of(world["attempts"]["akim3-procurement"])
    outside_course = essay_of(world["attempts"]["akim1-procurement"])
    client.force_login(world["trainer_a"])
    for essay in (foreign, outside_course):
        url = reverse("quizzes_results:mark", args=[essay.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"mark": "2", "comment": "Отлично"}).status_code == 404
        essay.refresh_from_db()
        assert essay.mark is None and essay.marked_by is None
    own = essay_of(world["attempts"]["akim1-budget"])
    url = reverse("quizzes_results:mark", args=[own.pk])
    assert client.post(url, {"mark": "2", "comment": ""}).status_code == 302
    own.refresh_from_db()
    assert own.mark == Decimal("2.00")


def test_a_trainer_who_teaches_no_cohort_reads_no_results(client, world):
    idle = in_group("Trainers", email="idle@example.com")
    client.force_login(idle)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("quizzes_results:index") not in home
    for url in (results_url(), results_url(export="csv"), results_url(export="xlsx")):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert b"akim1@example.com" not in b"".join(
            getattr(response, "streaming_content", [response.content])
        )
    essay = essay_of(world["attempts"]["akim1-budget"])
    url = reverse("quizzes_results:mark", args=[essay.pk])
    assert client.get(url).status_code in (302, 403)
    assert client.post(url, {"mark": "2"}).status_code in (302, 403)
    essay.refresh_from_db()
    assert essay.mark is None


@pytest.mark.parametrize("role", ["Methodologists", "Registrars"])
def test_methodologists_and_registrars_read_everyone_but_do_not_mark(client, world, role):
    reader = in_group(role, email=f"{role.lower()}@example.com")
    client.force_login(reader)
    rows = _csv_emails_and_quizzes(client.get(results_url(export="csv")))
    assert rows == {
        ("akim1@example.com", "Бюджет аула"),
        ("akim2@example.com", "Бюджет аула"),
        ("akim3@example.com", "Госзакупки"),
        ("akim1@example.com", "Госзакупки"),
    }
    essay = essay_of(world["attempts"]["akim3-procurement"])
    url = reverse("quizzes_results:mark", args=[essay.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="mark"' not in page.content.decode()
    assert client.post(url, {"mark": "2", "comment": ""}).status_code in (302, 403)
    essay.refresh_from_db()
    assert essay.mark is None


def test_trainers_no_longer_hold_the_read_everything_permission(db):
    trainer = in_group("Trainers", email="t@example.com")
    assert not trainer.has_perm("quizzes.view_all_results")
    registrar = in_group("Registrars", email="r@example.com")
    assert registrar.has_perm("quizzes.view_all_results")
