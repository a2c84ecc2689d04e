"""The quizzes in the Wagtail admin: the question bank, quizzes and their preview,
results with exports, essay marking, item statistics, and who may see them."""

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from wagtail.test.utils.form_data import inline_formset, nested_form_data
from wagtail.users.models import UserProfile

from courses.models import ModulePage, QuizPage
from courses.services import enrolment_create
from quizzes import services
from quizzes.models import (
    Answer,
    Attempt,
    Category,
    Question,
    Quiz,
    QuizSlot,
    Scale,
)
from tests.factories import UserFactory
from tests.factories.courses import build_cohort, build_course

# Data -----------------------------------------------------------------------------


def in_group(name: str, **fields):
    """Staff in a role, with the admin in English so that the tests read its texts."""
    user = UserFactory(**fields)
    user.groups.add(Group.objects.get(name=name))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def trainer(db):
    return in_group("Trainers", email="trainer@example.com", full_name="Гульнара Тренер")


@pytest.fixture
def methodologist(db):
    return in_group("Methodologists", email="method@example.com")


@pytest.fixture
def registrar(db):
    return in_group("Registrars", email="registrar@example.com")


@pytest.fixture
def learners(db):
    return [UserFactory(email=f"akim{n}@example.com", full_name=f"Аким {n}") for n in range(1, 4)]


def make_quiz(title: str, questions, **settings) -> Quiz:
    quiz = Quiz.objects.create(title=title, published=True, **settings)
    for order, question in enumerate(questions):
        QuizSlot.objects.create(quiz=quiz, question=question, sort_order=order)
    return quiz


@pytest.fixture
def quiz(bank):
    return make_quiz("Бюджет аула", [bank["single"], bank["short"], bank["essay"]])


@pytest.fixture
def other_quiz(bank):
    return make_quiz("Госзакупки", [bank["single"]])


def take(quiz, user, *, right: bool, essay: str = "") -> Attempt:
    attempt = services.attempt_start(quiz=quiz, user=user)
    for question in Question.objects.filter(pk__in=attempt.question_ids):
        if question.type == Question.Type.SINGLE:
            response = {"choice": question.choices.get(fraction=1 if right else 0).pk}
        elif question.type == Question.Type.SHORT:
            response = {"text": "Налог на имущество" if right else "НДС"}
        elif essay:
            response = {"text": essay}
        else:
            continue
        services.answer_save(attempt=attempt, user=user, question_id=question.pk, response=response)
    return services.attempt_submit(attempt=attempt, user=user)


def host(home, quizzes, *, slug: str = "course", trainers=(), learners=()):
    """A course whose only module hosts ``quizzes``, and a cohort of ``learners``
    taught by ``trainers``."""
    course = build_course(home, modules=1, lessons=0, slug=slug)
    module = ModulePage.objects.child_of(course).get()
    for n, hosted in enumerate(quizzes):
        module.add_child(instance=QuizPage(title=hosted.title, slug=f"test-{n}", quiz=hosted))
    cohort = build_cohort(course, name=f"Поток {slug}", trainers=trainers)
    for learner in learners:
        enrolment_create(learner=learner, cohort=cohort)
    return cohort


@pytest.fixture
def teaching(home_pages, trainer, quiz, other_quiz, learners):
    """The trainer teaches the cohort of the three learners, in the course hosting both
    quizzes."""
    return host(home_pages["ru"], [quiz, other_quiz], trainers=[trainer], learners=learners)


@pytest.fixture
def results(teaching, quiz, other_quiz, learners):
    """akim1: awaiting marking; akim2: all wrong, no essay; akim3: other quiz, passed."""
    first = take(quiz, learners[0], right=True, essay="<p>Сначала <b>сход</b></p>")
    second = take(quiz, learners[1], right=False)
    third = take(other_quiz, learners[2], right=True)
    return first, second, third


# Who may see what -----------------------------------------------------------------


def admin_urls(quiz, essay_answer) -> list[str]:
    urls = [
        reverse(f"quizzes_{name}:{view}")
        for name in ("quiz", "question", "category", "scale")
        for view in ("index", "add")
    ]
    return [
        *urls,
        reverse("quizzes_quiz:edit", args=[quiz.pk]),
        reverse("quizzes_quiz:preview", args=[quiz.pk]),
        reverse("quizzes_quiz:statistics", args=[quiz.pk]),
        reverse("quizzes_results:index"),
        reverse("quizzes_results:index") + "?export=csv",
        reverse("quizzes_results:mark", args=[essay_answer.pk]),
    ]


def test_a_learner_cannot_open_any_quiz_admin_view(client, quiz, results, learners):
    essay = Answer.objects.get(question__type=Question.Type.ESSAY, mark__isnull=True)
    client.force_login(learners[0])
    for url in admin_urls(quiz, essay):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "Аким 1" not in response.content.decode()
    response = client.post(reverse("quizzes_results:mark", args=[essay.pk]), {"mark": "2"})
    assert response.status_code in (302, 403)
    essay.refresh_from_db()
    assert essay.mark is None


def test_staff_without_quiz_permissions_are_refused(client, quiz, results):
    essay = Answer.objects.get(question__type=Question.Type.ESSAY, mark__isnull=True)
    staff = UserFactory()
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    for url in admin_urls(quiz, essay):
        assert client.get(url).status_code in (302, 403), url


def test_a_trainer_sees_the_quizzes_menu_and_every_view(client, trainer, quiz, results):
    essay = Answer.objects.get(question__type=Question.Type.ESSAY, mark__isnull=True)
    client.force_login(trainer)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("quizzes_results:index") in home
    assert reverse("quizzes_question:index") in home
    for url in admin_urls(quiz, essay):
        assert client.get(url).status_code == 200, url


def test_a_methodologist_reads_results_but_cannot_mark_or_edit(
    client, methodologist, quiz, results
):
    essay = Answer.objects.get(question__type=Question.Type.ESSAY, mark__isnull=True)
    client.force_login(methodologist)
    assert client.get(reverse("quizzes_results:index")).status_code == 200
    assert client.get(reverse("quizzes_quiz:statistics", args=[quiz.pk])).status_code == 200
    page = client.get(reverse("quizzes_results:mark", args=[essay.pk]))
    assert page.status_code == 200
    assert 'name="mark"' not in page.content.decode()
    url = reverse("quizzes_results:mark", args=[essay.pk])
    assert client.post(url, {"mark": "2", "comment": ""}).status_code in (302, 403)
    essay.refresh_from_db()
    assert essay.mark is None
    assert client.get(reverse("quizzes_question:add")).status_code in (302, 403)


# The question bank ----------------------------------------------------------------


def test_a_trainer_lists_searches_and_filters_questions(client, trainer, bank):
    client.force_login(trainer)
    index = reverse("quizzes_question:index")
    html = client.get(index).content.decode()
    assert "Кто утверждает бюджет" in html
    assert "Налог на имущество" in html

    html = client.get(index, {"q": "Налог"}).content.decode()
    assert "Налог на имущество" in html
    assert "Кто утверждает бюджет" not in html

    html = client.get(index, {"q": "сельского округа"}).content.decode()  # in the text
    assert "Кто утверждает бюджет" in html

    html = client.get(index, {"type": "essay"}).content.decode()
    assert "Эссе о бюджете" in html
    assert "Кто утверждает бюджет" not in html

    html = client.get(index, {"category": bank["revenues"].pk}).content.decode()
    assert "Налог на имущество" in html
    assert "Эссе о бюджете" not in html


def test_a_trainer_creates_a_question_with_two_choices(client, trainer, bank):
    scale = Scale.objects.create(name="Координатор")
    client.force_login(trainer)
    data = nested_form_data(
        {
            "category": bank["budget"].pk,
            "type": Question.Type.SINGLE,
            "name": "Срок утверждения бюджета",
            "text_ru": "<p>Когда утверждают бюджет?</p>",
            "default_mark": "1",
            "feedback_correct_ru": "Верно.",
            "feedback_incorrect_ru": "Посмотрите урок 3.",
            "explanation_ru": "",
            "shuffle_choices": "on",
            "correct_bool": "",
            "rating_max": "0",
            "rating_points": "10",
            "choices": inline_formset(
                [
                    {"text_ru": "До 25 декабря", "fraction": "1", "feedback_ru": "", "scale": ""},
                    {
                        "text_ru": "В марте",
                        "fraction": "0",
                        "feedback_ru": "Поздно.",
                        "scale": scale.pk,
                    },
                ]
            ),
            "accepted_answers": inline_formset([]),
        }
    )
    response = client.post(reverse("quizzes_question:add"), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    question = Question.objects.get(name="Срок утверждения бюджета")
    choices = list(question.choices.all())
    assert [(c.text, c.fraction, c.sort_order) for c in choices] == [
        ("До 25 декабря", Decimal("1"), 0),
        ("В марте", Decimal("0"), 1),
    ]
    assert choices[1].scale == scale
    assert choices[1].feedback == "Поздно."


def test_editing_a_question_reorders_and_removes_choices(client, trainer, bank):
    single = bank["single"]
    first, second = single.choices.all()
    client.force_login(trainer)
    data = nested_form_data(
        {
            "category": bank["budget"].pk,
            "type": Question.Type.SINGLE,
            "name": single.name,
            "text_ru": single.text,
            "default_mark": "1",
            "shuffle_choices": "",
            "correct_bool": "",
            "rating_max": "0",
            "rating_points": "10",
            "choices": inline_formset(
                [
                    {"id": first.pk, "text_ru": first.text, "fraction": "1", "ORDER": "2"},
                    {"id": second.pk, "text_ru": second.text, "fraction": "0", "ORDER": "1"},
                    {"text_ru": "Лишний", "fraction": "0", "DELETE": "1"},
                ],
                initial=2,
            ),
            "accepted_answers": inline_formset([]),
        }
    )
    response = client.post(reverse("quizzes_question:edit", args=[single.pk]), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert [c.pk for c in single.choices.all()] == [second.pk, first.pk]


def question_form(bank, **texts) -> dict:
    return nested_form_data(
        {
            "category": bank["budget"].pk,
            "type": Question.Type.SHORT,
            "name": "Орган, утверждающий бюджет",
            "default_mark": "1",
            "shuffle_choices": "",
            "correct_bool": "",
            "rating_max": "0",
            "rating_points": "10",
            **texts,
            "choices": inline_formset([]),
            "accepted_answers": inline_formset(
                [
                    {
                        "text_kk": "аудандық мәслихат",
                        "text_ru": "районный маслихат",
                        "text_en": "district maslikhat",
                        "tolerance": "0",
                        "fraction": "1",
                        "feedback_kk": "Дұрыс.",
                        "feedback_ru": "Верно.",
                        "feedback_en": "Right.",
                    }
                ]
            ),
        }
    )


def test_a_trainer_writes_a_question_in_three_languages(client, trainer, bank):
    client.force_login(trainer)
    form = client.get(reverse("quizzes_question:add")).content.decode()
    for name in ("Қазақша", "Русский", "English"):  # a group per language
        assert name in form
    for field in (
        "text_kk",
        "text_ru",
        "text_en",
        "explanation_kk",
        "accepted_answers-__prefix__-text_kk",
    ):
        assert f'name="{field}"' in form
    texts = {
        "text_kk": "<p>Ауыл бюджетін кім бекітеді?</p>",
        "text_ru": "<p>Кто утверждает бюджет села?</p>",
        "text_en": "<p>Who approves the village budget?</p>",
        "explanation_kk": "Аудандық мәслихат бекітеді.",
        "explanation_ru": "Утверждает районный маслихат.",
        "explanation_en": "The district maslikhat approves it.",
    }
    response = client.post(reverse("quizzes_question:add"), question_form(bank, **texts))
    assert response.status_code == 302, response.content.decode()[-3000:]
    question = Question.objects.get(name="Орган, утверждающий бюджет")
    assert {field: getattr(question, field) for field in texts} == texts
    answer = question.accepted_answers.get()
    assert (answer.text_kk, answer.text_ru, answer.text_en) == (
        "аудандық мәслихат",
        "районный маслихат",
        "district maslikhat",
    )
    assert (answer.feedback_kk, answer.feedback_en) == ("Дұрыс.", "Right.")
    edit = client.get(reverse("quizzes_question:edit", args=[question.pk])).content.decode()
    assert "Ауыл бюджетін кім бекітеді?" in edit and "district maslikhat" in edit


def test_a_question_needs_its_text_in_at_least_one_language(client, trainer, bank):
    client.force_login(trainer)
    response = client.post(reverse("quizzes_question:add"), question_form(bank, text_kk=" "))
    assert response.status_code == 200
    assert "Write this in at least one language." in response.content.decode()
    assert not Question.objects.filter(name="Орган, утверждающий бюджет").exists()
    # Kazakh alone is enough: the other languages fall back to it.
    response = client.post(
        reverse("quizzes_question:add"), question_form(bank, text_kk="<p>Кім бекітеді?</p>")
    )
    assert response.status_code == 302
    question = Question.objects.get(name="Орган, утверждающий бюджет")
    assert (question.text_kk, question.text_ru, question.text_en) == (
        "<p>Кім бекітеді?</p>",
        None,
        None,
    )


def test_a_trainer_names_a_category_and_a_quiz_in_three_languages(client, trainer, bank):
    client.force_login(trainer)
    response = client.post(
        reverse("quizzes_category:add"),
        {"name_kk": "Сатып алу", "name_ru": "Закупки", "name_en": "Procurement", "parent": ""},
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    category = Category.objects.get(name_en="Procurement")
    assert (category.name_kk, category.name_ru) == ("Сатып алу", "Закупки")
    # Another category without a Kazakh name beside it: an empty name is no name.
    response = client.post(
        reverse("quizzes_category:add"), {"name_kk": "", "name_ru": "Бюджет 2", "parent": ""}
    )
    assert response.status_code == 302
    data = quiz_form([{"question": bank["single"].pk, "random_count": 1}])
    data.update(
        {
            "title_kk": "Ауыл бюджеті: қорытынды тест",
            "title_en": "Village budget: final test",
            "success_text_kk": "Құттықтаймыз!",
        }
    )
    response = client.post(reverse("quizzes_quiz:add"), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    quiz = Quiz.objects.get(title_en="Village budget: final test")
    assert (quiz.title_kk, quiz.title_ru, quiz.success_text_kk) == (
        "Ауыл бюджеті: қорытынды тест",
        "Сельский бюджет: итоговый тест",
        "Құттықтаймыз!",
    )


def test_a_category_cannot_move_inside_its_own_subcategory(client, trainer, bank):
    client.force_login(trainer)
    budget, revenues = bank["budget"], bank["revenues"]
    response = client.post(
        reverse("quizzes_category:edit", args=[budget.pk]),
        {"name_ru": budget.name, "parent": revenues.pk, "description_ru": ""},
    )
    assert response.status_code == 200
    assert "subcategories" in response.content.decode()
    budget.refresh_from_db()
    assert budget.parent is None
    html = client.get(reverse("quizzes_category:index")).content.decode()
    assert "Доходы" in html and "Бюджет" in html


# Quizzes and their preview --------------------------------------------------------


def quiz_form(slots) -> dict:
    return nested_form_data(
        {
            "title_ru": "Сельский бюджет: итоговый тест",
            "description_ru": "",
            "kind": Quiz.Kind.GRADED,
            "published": "on",
            "pass_mark": "60",
            "success_text_ru": "",
            "fail_text_ru": "",
            "attempts_allowed": "2",
            "grading": Quiz.Grading.HIGHEST,
            "opens_at": "",
            "closes_at": "",
            "time_limit_minutes": "30",
            "max_questions": "",
            "review_when": Quiz.ReviewWhen.IMMEDIATELY,
            "review_answers": "on",
            "review_marks": "on",
            "exam_paper": "on",
            "slots": inline_formset(slots),
        }
    )


def test_a_trainer_builds_a_quiz_from_fixed_and_random_questions(client, trainer, bank):
    client.force_login(trainer)
    slots = [
        {"question": bank["essay"].pk, "random_category": "", "random_count": "1", "mark": "5"},
        {
            "question": "",
            "random_category": bank["budget"].pk,
            "random_count": "2",
            "include_subcategories": "on",
            "mark": "",
        },
    ]
    response = client.post(reverse("quizzes_quiz:add"), quiz_form(slots))
    assert response.status_code == 302, response.content.decode()[-3000:]
    quiz = Quiz.objects.get(title="Сельский бюджет: итоговый тест")
    assert quiz.time_limit_minutes == 30 and quiz.attempts_allowed == 2
    assert [(s.question_id, s.random_category_id, s.sort_order) for s in quiz.slots.all()] == [
        (bank["essay"].pk, None, 0),
        (None, bank["budget"].pk, 1),
    ]


def test_a_slot_needs_a_question_or_a_category_but_not_both(client, trainer, bank):
    client.force_login(trainer)
    slots = [
        {
            "question": bank["single"].pk,
            "random_category": bank["budget"].pk,
            "random_count": "1",
            "mark": "",
        }
    ]
    response = client.post(reverse("quizzes_quiz:add"), quiz_form(slots))
    assert response.status_code == 200
    assert "Choose either a question or a category" in response.content.decode()
    assert not Quiz.objects.exists()


def test_preview_shows_questions_and_choices_but_no_answer_key(client, trainer, bank):
    quiz = make_quiz("Бюджет аула", [bank["single"]])
    QuizSlot.objects.create(quiz=quiz, random_category=bank["revenues"], random_count=1)
    client.force_login(trainer)
    response = client.get(reverse("quizzes_quiz:preview", args=[quiz.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Кто утверждает бюджет сельского округа?" in html
    assert "Маслихат района" in html and "Сход жителей" in html
    assert "Какой налог поступает в бюджет аула?" in html  # drawn from «Доходы»
    assert "1.00000" not in html and "0.00000" not in html
    assert "data-correct" not in html
    assert "налог на имущество" not in html  # the accepted answer
    assert not Attempt.objects.exists()


def test_quiz_listing_links_to_the_preview(client, trainer, quiz):
    client.force_login(trainer)
    html = client.get(reverse("quizzes_quiz:index")).content.decode()
    assert reverse("quizzes_quiz:preview", args=[quiz.pk]) in html
    html = client.get(reverse("quizzes_quiz:edit", args=[quiz.pk])).content.decode()
    assert reverse("quizzes_quiz:preview", args=[quiz.pk]) in html
    assert reverse("quizzes_quiz:statistics", args=[quiz.pk]) in html


# Results --------------------------------------------------------------------------

RESULTS = "quizzes_results:index"


def test_results_list_essays_awaiting_a_mark_first(client, trainer, results):
    first, second, third = results
    assert first.needs_marking and not second.needs_marking
    client.force_login(trainer)
    html = client.get(reverse(RESULTS)).content.decode()
    essay = Answer.objects.get(attempt=first, question__type=Question.Type.ESSAY)
    mark_url = reverse("quizzes_results:mark", args=[essay.pk])
    assert mark_url in html
    queue, listing = html.split('id="attempts"')
    assert mark_url in queue
    # In the listing, the attempt awaiting marking comes before the newer ones.
    assert listing.index("akim1@example.com") < listing.index("akim3@example.com")
    assert listing.index("akim1@example.com") < listing.index("akim2@example.com")
    assert "awaiting marking" in listing


def test_results_filter_by_quiz_user_and_marking(client, trainer, results, quiz, other_quiz):
    client.force_login(trainer)
    html = client.get(reverse(RESULTS), {"quiz": other_quiz.pk}).content.decode()
    assert "akim3@example.com" in html
    assert "akim1@example.com" not in html and "akim2@example.com" not in html

    html = client.get(reverse(RESULTS), {"user": "AKIM2@"}).content.decode()
    assert "akim2@example.com" in html
    assert "akim1@example.com" not in html and "akim3@example.com" not in html

    html = client.get(reverse(RESULTS), {"needs_marking": "on"}).content.decode()
    assert "akim1@example.com" in html
    assert "akim2@example.com" not in html and "akim3@example.com" not in html


def test_results_export_as_csv(client, trainer, results, quiz):
    client.force_login(trainer)
    response = client.get(reverse(RESULTS), {"quiz": quiz.pk, "export": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="quiz-{quiz.pk}-results.csv"'
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["Learner", "E-mail", "Quiz", "Attempt"]
    body = {row[1]: row for row in rows[1:]}
    assert set(body) == {"akim1@example.com", "akim2@example.com"}
    assert body["akim2@example.com"][2:4] == ["Бюджет аула", "1"]
    assert body["akim2@example.com"][-2:] == ["0.00", "no"]
    assert body["akim1@example.com"][-1] == "awaiting marking"
    assert body["akim1@example.com"][-4:-2] == ["2.00", "4.00"]  # score, maximum


def test_results_export_as_xlsx_follows_the_filters(client, trainer, results):
    client.force_login(trainer)
    response = client.get(reverse(RESULTS), {"user": "akim3", "export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert len(rows) == 2
    assert rows[1][:4] == ["Аким 3", "akim3@example.com", "Госзакупки", 1]
    assert float(rows[1][7]) == 100.0
    assert rows[1][8] == "yes"


def test_results_and_question_listings_do_not_grow_queries_with_rows(
    client, trainer, teaching, results, quiz, bank
):
    client.force_login(trainer)
    urls = [reverse(RESULTS), reverse("quizzes_question:index")]
    before = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        before.append(len(queries))
    for n in range(3):
        learner = UserFactory()
        enrolment_create(learner=learner, cohort=teaching)
        take(quiz, learner, right=n % 2 == 0, essay="<p>Ещё одно эссе</p>")
        Question.objects.create(
            category=Category.objects.create(name=f"Раздел {n}", parent=bank["revenues"]),
            type=Question.Type.ESSAY,
            name=f"Эссе {n}",
            text="<p>?</p>",
        )
    after = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        after.append(len(queries))
    assert after == before


# Marking essays -------------------------------------------------------------------


def test_marking_an_essay_updates_the_attempt_grade(client, trainer, results):
    first = results[0]
    essay = Answer.objects.get(attempt=first, question__type=Question.Type.ESSAY)
    url = reverse("quizzes_results:mark", args=[essay.pk])
    client.force_login(trainer)
    page = client.get(url).content.decode()
    assert "Опишите, как вы готовите бюджет." in page
    assert "<b>сход</b>" in page  # the essay, cleaned, with its harmless tags

    back = reverse(RESULTS) + "?needs_marking=on"
    response = client.post(url, {"mark": "1.5", "comment": "Хорошо, но мало.", "next": back})
    assert response.status_code == 302
    assert response["Location"] == back
    essay.refresh_from_db()
    first.refresh_from_db()
    assert (essay.mark, essay.comment, essay.marked_by) == (
        Decimal("1.50"),
        "Хорошо, но мало.",
        trainer,
    )
    assert not first.needs_marking
    assert first.score == Decimal("3.50")
    assert first.percent == Decimal("87.50")
    assert first.passed is True
    html = client.get(reverse(RESULTS)).content.decode()
    assert url not in html


def test_an_out_of_range_mark_is_refused_and_changes_nothing(client, trainer, results):
    first = results[0]
    essay = Answer.objects.get(attempt=first, question__type=Question.Type.ESSAY)
    url = reverse("quizzes_results:mark", args=[essay.pk])
    client.force_login(trainer)
    for mark in ("5", "-1"):
        response = client.post(url, {"mark": mark, "comment": "Слишком щедро"})
        assert response.status_code == 200
        assert "The mark must be between 0 and 2.00." in response.content.decode()
    essay.refresh_from_db()
    first.refresh_from_db()
    assert essay.mark is None and essay.comment == "" and essay.marked_by is None
    assert first.needs_marking and first.percent == Decimal("50.00")


def test_an_external_next_address_is_ignored(client, trainer, results):
    essay = Answer.objects.get(attempt=results[0], question__type=Question.Type.ESSAY)
    client.force_login(trainer)
    response = client.post(
        reverse("quizzes_results:mark", args=[essay.pk]),
        {"mark": "2", "comment": "", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse(RESULTS)


def test_the_essay_is_cleaned_again_when_shown(client, trainer, results):
    essay = Answer.objects.get(attempt=results[0], question__type=Question.Type.ESSAY)
    Answer.objects.filter(pk=essay.pk).update(
        response={"text": '<p onclick="x()">Текст</p><script>alert(1)</script>'}
    )
    client.force_login(trainer)
    html = client.get(reverse("quizzes_results:mark", args=[essay.pk])).content.decode()
    assert "<p>Текст</p>" in html
    assert "<script>alert(1)</script>" not in html and "onclick" not in html


def test_only_essays_of_finished_attempts_can_be_marked(client, trainer, results, quiz, learners):
    single = Answer.objects.filter(question__type=Question.Type.SINGLE).first()
    client.force_login(trainer)
    assert client.get(reverse("quizzes_results:mark", args=[single.pk])).status_code == 404


# Item statistics ------------------------------------------------------------------


def sit_in(quiz, language: str, *, right: bool) -> None:
    """One finished attempt at a one-question quiz, on a page in ``language``."""
    user = UserFactory()
    with translation.override(language):
        attempt = services.attempt_start(quiz=quiz, user=user)
        question = Question.objects.get(pk=attempt.question_ids[0])
        choice = question.choices.get(fraction=1 if right else 0)
        services.answer_save(
            attempt=attempt, user=user, question_id=question.pk, response={"choice": choice.pk}
        )
        services.attempt_submit(attempt=attempt, user=user)


def statistics_page(client, quiz, django_assert_num_queries, queries: int) -> str:
    with django_assert_num_queries(queries):
        response = client.get(reverse("quizzes_quiz:statistics", args=[quiz.pk]))
    assert response.status_code == 200
    return response.content.decode()


STATISTICS_PAGE_QUERIES = 14


def test_statistics_per_language_flag_a_question_easy_in_russian_hard_in_kazakh(
    client, trainer, bank, django_assert_num_queries
):
    single = bank["single"]
    single.text_kk = "<p>Ауылдық округтің бюджетін кім бекітеді?</p>"
    single.save()
    quiz = make_quiz("Бюджет аула", [single])
    client.force_login(trainer)
    for n in range(2):
        sit_in(quiz, "ru", right=True)
        sit_in(quiz, "kk", right=n == 0)
    html = statistics_page(client, quiz, django_assert_num_queries, STATISTICS_PAGE_QUERIES)
    assert "— Kazakh" in html and "— Russian" in html
    assert "Check the translation" not in html  # 2 answers a language: nothing to test
    # 10 answers in Russian, 9 right; 10 in Kazakh, 3 right (see test_statistics.py).
    for n in range(8):
        sit_in(quiz, "ru", right=n < 7)
        sit_in(quiz, "kk", right=n < 2)
    html = statistics_page(client, quiz, django_assert_num_queries, STATISTICS_PAGE_QUERIES)
    assert (
        "The languages differ by more than chance explains (p = 0.0062): "
        "Russian 90.00%, Kazakh 30.00%. Check the translation." in html
    )
    assert "at least 10 answers" in html


def test_statistics_page_shows_the_table_and_the_chart(client, trainer, quiz, learners):
    take(quiz, learners[0], right=True)  # no essay written: 0 for it, nothing to mark
    take(quiz, learners[1], right=False)
    client.force_login(trainer)
    response = client.get(reverse("quizzes_quiz:statistics", args=[quiz.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "lms-bars" in html and "90–100%" in html
    assert "Кто утверждает бюджет" in html and "Налог на имущество" in html
    assert "50.00" in html  # facility of the two auto-graded questions
