"""The lesson Q&A pages: who sees what, posting without JavaScript, the trainer's lists."""

import re
import uuid

import pytest
from django.urls import reverse
from django.utils import translation

from courses.models import LessonPage
from discussions.forms import QuestionForm
from discussions.models import Answer, CourseQuestionRule, Question, Status
from discussions.panels import blank_question_fields
from discussions.services import post_language
from tests.factories.courses import build_course
from tests.factories.discussions import build_answer, build_question


def lesson_url(cohort, lesson):
    return reverse("discussions_lesson", args=[cohort.pk, lesson.pk])


def question_url(question):
    return reverse("discussions_question", args=[question.pk])


def ask_form(**fields):
    return {"title": "Кто утверждает бюджет?", "body": "", "submit_key": uuid.uuid4(), **fields}


@pytest.fixture
def thread(cohort, lesson, learner, classmate, trainer):
    question = build_question(cohort, lesson, learner, title="Вопрос потока")
    build_answer(question, classmate, body="Ответ однокурсника")
    build_question(cohort, lesson, classmate, title="Ждёт одобрения", status=Status.PENDING)
    build_question(cohort, lesson, classmate, title="Скрытый вопрос", status=Status.HIDDEN)
    return question


def test_the_lesson_shows_the_latest_questions_and_the_ask_form(client, learner, thread, lesson):
    client.force_login(learner)
    html = client.get(lesson.url).content.decode()
    assert "Вопрос потока" in html and re.search(r"\b1 ответ\b", html)
    assert "Ждёт одобрения" not in html and "Скрытый вопрос" not in html
    form = re.search(r'<form[^>]*class="question-form".*?</form>', html, re.S).group()
    assert re.search(r'name="csrfmiddlewaretoken" value="\w+"', form)
    assert 'name="submit_key"' in form
    assert '<label for="id_title">' in html


def test_the_lesson_and_its_thread_list_the_newest_questions_first(client, learner, cohort, lesson):
    """The panel shows the five newest and the thread page pages newest first (the
    answer counts' GROUP BY would otherwise leave them in no order)."""
    for number in range(1, 8):
        build_question(cohort, lesson, learner, title=f"Вопрос номер {number}")
    client.force_login(learner)
    html = client.get(lesson.url).content.decode()
    shown = [int(n) for n in re.findall(r"Вопрос номер (\d)", html)]
    assert shown == [7, 6, 5, 4, 3]
    html = client.get(lesson_url(cohort, lesson)).content.decode()
    assert [int(n) for n in re.findall(r"Вопрос номер (\d)", html)] == list(range(7, 0, -1))


def _ask_form(html: str) -> str:
    return re.search(r'<form[^>]*class="question-form".*?</form>', html, re.S).group()


def test_each_lesson_page_gets_its_own_submit_key_and_the_page_token(client, learner, lesson):
    """The blank form's fields are drawn once per language in the process (the submit
    key filled in each time) and the form carries the page's CSRF token."""
    client.force_login(learner)
    keys = set()
    for _ in range(2):
        html = client.get(lesson.url).content.decode()
        form = _ask_form(html)
        keys.add(re.search(r'name="submit_key" value="([0-9a-f-]{36})"', form).group(1))
        tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="(\w+)"', html))
        assert len(tokens) == 1  # the sign-out, "done" and ask forms: one token
        assert str(uuid.UUID(int=0)) not in html
    assert len(keys) == 2
    assert 'name="title"' in form and 'name="body"' in form


def test_the_blank_ask_form_is_drawn_for_each_language():
    for language in ("ru", "kk", "en"):
        with translation.override(language):
            label = str(QuestionForm.base_fields["title"].label)
            html = blank_question_fields()
        assert f'<label for="id_title">{label}</label>' in html
    with translation.override("ru"):
        assert blank_question_fields() != blank_question_fields()  # a key of its own


def test_the_lesson_counts_all_the_questions_it_does_not_list(
    client, learner, classmate, thread, lesson
):
    # with the thread's visible question and the learner's own pending one
    for n in range(5):
        build_question(thread.cohort, lesson, classmate, title=f"Ещё вопрос {n}")
    build_question(thread.cohort, lesson, learner, title="Мой вопрос", status=Status.PENDING)
    client.force_login(learner)
    html = client.get(lesson.url).content.decode()
    listed = re.search(r'<ul class="questions">.*?</ul>', html, re.S).group()
    assert listed.count("<li>") == 5  # the latest five
    assert "Все вопросы вашего потока: 7" in html


def test_what_people_wrote_is_marked_as_theirs(client, learner, classmate, trainer, thread, lesson):
    """The thread is shared by the lesson's language copies: the titles, texts and names
    people wrote are marked apart from the page's own words, which must be translated."""
    client.force_login(learner)
    html = client.get(lesson.url).content.decode()
    assert re.search(r"<a [^>]*data-user-content>Вопрос потока</a>", html)
    assert "<span data-user-content>Ерлан Сейітов</span>" in html
    assert not re.search(r"data-user-content>[^<]*ответ", html)  # the count is the page's
    client.force_login(trainer)
    html = client.get(question_url(thread)).content.decode()
    assert "<h1 data-user-content>Вопрос потока</h1>" in html
    assert re.search(r"<div data-user-content><p>Ответ однокурсника", html)
    assert "<span data-user-content>Айгүл Омарова</span>" in html


def test_the_lesson_shows_a_trainer_the_threads_of_their_cohorts(
    client, trainer, thread, lesson, cohort, other_cohort
):
    client.force_login(trainer)
    html = client.get(lesson.url).content.decode()
    assert lesson_url(cohort, lesson) in html
    assert lesson_url(other_cohort, lesson) not in html
    assert reverse("discussions_unanswered") in html


def test_the_lesson_qna_page_lists_what_the_viewer_may_see(
    client, learner, classmate, trainer, thread, cohort, lesson
):
    url = lesson_url(cohort, lesson)
    client.force_login(learner)
    html = client.get(url).content.decode()
    assert "Вопрос потока" in html and "Ждёт одобрения" not in html
    client.force_login(classmate)  # the pending question is their own
    html = client.get(url).content.decode()
    assert "Ждёт одобрения" in html and 'status--pending">ждёт одобрения<' in html
    client.force_login(trainer)
    html = client.get(url).content.decode()
    assert "Ждёт одобрения" in html and "Скрытый вопрос" in html


def test_asking_without_javascript_posts_and_redirects(client, learner, cohort, lesson):
    client.force_login(learner)
    response = client.post(lesson_url(cohort, lesson), ask_form())
    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"] == question_url(question)
    assert question.status == Status.VISIBLE


def test_double_submit_makes_one_question(client, learner, cohort, lesson):
    client.force_login(learner)
    form = ask_form()
    client.post(lesson_url(cohort, lesson), form)
    client.post(lesson_url(cohort, lesson), form)
    assert Question.objects.count() == 1


def test_a_premoderated_question_waits_and_says_so(client, learner, classmate, cohort, lesson):
    CourseQuestionRule.objects.create(course=cohort.course)
    client.force_login(learner)
    response = client.post(lesson_url(cohort, lesson), ask_form(), follow=True)
    assert "Тренер посмотрит запись" in response.content.decode()
    question = Question.objects.get()
    assert question.status == Status.PENDING
    assert client.get(question_url(question)).status_code == 200
    client.force_login(classmate)
    assert client.get(question_url(question)).status_code == 404


def test_a_100_kb_body_is_refused_with_the_form_again(client, learner, cohort, lesson):
    client.force_login(learner)
    response = client.post(lesson_url(cohort, lesson), ask_form(body="а" * 100_000))
    assert response.status_code == 400
    assert not Question.objects.exists()


def test_hostile_markup_never_reaches_the_page(client, learner, cohort, lesson):
    client.force_login(learner)
    body = '<script>alert(1)</script><a href="javascript:alert(2)">x</a> https://example.org'
    client.post(lesson_url(cohort, lesson), ask_form(title="<script>t</script>Вопрос", body=body))
    html = client.get(question_url(Question.objects.get())).content.decode()
    assert "<script>alert" not in html and "javascript:alert" not in html
    assert 'href="https://example.org" rel="nofollow ugc"' in html


def test_posting_too_fast_is_refused(client, settings, learner, cohort, lesson):
    settings.QNA_POST_RATE = 1
    client.force_login(learner)
    client.post(lesson_url(cohort, lesson), ask_form())
    response = client.post(lesson_url(cohort, lesson), ask_form())
    assert response.status_code == 429
    assert Question.objects.count() == 1


@pytest.mark.parametrize("who", ["outsider", "other_trainer", "withdrawn", "stranger"])
def test_outside_the_cohort_every_address_is_404(
    client, request, who, thread, cohort, lesson, django_user_model
):
    user = (
        django_user_model.objects.create_user(email="x@example.com", password="x")
        if who == "stranger"
        else request.getfixturevalue(who)
    )
    client.force_login(user)
    answer = thread.answers.get()
    assert client.get(lesson_url(cohort, lesson)).status_code == 404
    assert client.post(lesson_url(cohort, lesson), ask_form()).status_code == 404
    assert client.get(question_url(thread)).status_code == 404
    assert (
        client.post(question_url(thread), {"body": "x", "submit_key": uuid.uuid4()}).status_code
        == 404
    )
    accept = reverse("discussions_accept", args=[answer.pk])
    assert client.post(accept).status_code == 404
    hide = reverse("discussions_moderate", args=["question", thread.pk])
    assert client.post(hide, {"decision": "hide"}).status_code == 404
    assert Question.objects.filter(cohort=cohort).count() == 3
    assert Answer.objects.count() == 1
    thread.refresh_from_db()
    assert thread.status == Status.VISIBLE and thread.accepted_answer is None


def test_a_lesson_of_another_course_is_404(client, learner, cohort, home_pages):

    other = build_course(home_pages["ru"], modules=1, lessons=1, slug="other")
    other_lesson = (
        other.get_descendants().type(Question.item_key.field.model and type(other)).first()
    )

    other_lesson = LessonPage.objects.descendant_of(other).first()
    client.force_login(learner)
    assert client.get(lesson_url(cohort, other_lesson)).status_code == 404


def test_a_learner_cannot_mark_or_moderate(client, learner, classmate, thread):
    answer = thread.answers.get()
    client.force_login(learner)
    assert client.post(reverse("discussions_accept", args=[answer.pk])).status_code == 404
    moderate = reverse("discussions_moderate", args=["answer", answer.pk])
    assert client.post(moderate, {"decision": "hide"}).status_code == 404
    assert client.get(reverse("discussions_unanswered")).status_code == 404
    assert client.get(reverse("discussions_moderation")).status_code == 404


def test_classmates_answer_and_the_trainer_marks_the_answer(client, classmate, trainer, thread):
    client.force_login(classmate)
    response = client.post(question_url(thread), {"body": "Акимат", "submit_key": uuid.uuid4()})
    assert response.status_code == 302
    answer = Answer.objects.get(body="Акимат")
    assert not answer.by_trainer
    client.force_login(trainer)
    client.post(reverse("discussions_accept", args=[answer.pk]), {"accepted": "1"})
    thread.refresh_from_db()
    assert thread.accepted_answer == answer
    html = client.get(question_url(thread)).content.decode()
    assert "Ответ, отмеченный тренером" in html and "Снять отметку ответа" in html


def test_the_trainer_moderates_from_the_queue(client, trainer, classmate, thread):
    pending = build_answer(thread, classmate, body="Ждущий ответ", status=Status.PENDING)
    client.force_login(trainer)
    html = client.get(reverse("discussions_moderation")).content.decode()
    assert "Ждёт одобрения" in html and "Ждущий ответ" in html
    moderate = reverse("discussions_moderate", args=["answer", pending.pk])
    response = client.post(moderate, {"decision": "approve", "next": "https://evil.example/"})
    assert response["Location"] == reverse("discussions_moderation")
    pending.refresh_from_db()
    assert pending.status == Status.VISIBLE


def test_the_unanswered_list_spans_the_trainers_cohorts_only(
    client, trainer, thread, other_cohort, outsider, lesson
):
    build_question(other_cohort, lesson, outsider, title="Чужой вопрос")
    client.force_login(trainer)
    html = client.get(reverse("discussions_unanswered")).content.decode()
    assert "Вопрос потока" in html and "Чужой вопрос" not in html
    assert lesson.title in html


def test_posts_keep_the_language_they_were_written_in_and_say_so(
    client, learner, classmate, cohort, lesson
):
    client.force_login(learner)
    with translation.override("kk"):
        kk_lesson = lesson_url(cohort, lesson)
    assert kk_lesson.startswith("/kk/")
    client.post(kk_lesson, ask_form(title="Бюджетті кім бекітеді?", body="Толығырақ"))
    question = Question.objects.get()
    assert question.language == "kk"

    client.force_login(classmate)
    with translation.override("ru"):
        client.post(question_url(question), {"body": "Маслихат", "submit_key": uuid.uuid4()})
    assert Answer.objects.get().language == "ru"

    with translation.override("en"):
        html = client.get(question_url(question)).text
    assert '<h1 data-user-content lang="kk">Бюджетті кім бекітеді?</h1>' in html
    assert '<div data-user-content lang="kk"><p>Толығырақ</p></div>' in html
    assert '<div data-user-content lang="ru"><p>Маслихат</p></div>' in html
    with translation.override("en"):
        listing = client.get(lesson_url(cohort, lesson)).text
    assert 'data-user-content lang="kk">Бюджетті кім бекітеді?</a>' in listing


def test_a_post_of_unknown_language_has_no_lang(client, learner, cohort, lesson):
    question = build_question(cohort, lesson, learner, title="Старый вопрос")
    assert question.language == ""
    client.force_login(learner)
    assert "<h1 data-user-content>Старый вопрос</h1>" in client.get(question_url(question)).text


def test_only_a_site_language_is_kept():
    assert [post_language(code) for code in ("kk", "ru", "en")] == ["kk", "ru", "en"]
    assert post_language('en" onmouseover="x') == ""
    assert post_language("de") == ""
