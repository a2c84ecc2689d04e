"""Blocks of the lesson page drawn once per process (``{% drawn %}``): reused for the
same values, drawn anew for others, in the page's language, with the page's token."""

import re
from datetime import timedelta

import pytest
from django.middleware.csrf import get_token
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.utils import timezone, translation

from courses.models import CohortItemDates, LessonPage

BLOCK = (
    "{% load courses_tags i18n %}{% drawn shown %}{% translate 'Mark as done' %}: "
    "{{ shown }} {{ left_out }}{% enddrawn %}"
)


def draw(template, **context):
    return template.render(Context(context))


def test_a_block_is_drawn_once_for_the_values_it_is_given():
    template = Template(BLOCK)
    with translation.override("en"):
        assert draw(template, shown=1, left_out="a") == "Mark as done: 1 a"
        # what is not in the key is not looked at again: the contract of the tag
        assert draw(template, shown=1, left_out="b") == "Mark as done: 1 a"
        assert draw(template, shown=2, left_out="b") == "Mark as done: 2 b"
    with translation.override("ru"):
        assert draw(template, shown=1, left_out="c") == "Отметить как пройденный: 1 c"
    # the same text loaded again (a template edited in development) draws anew
    with translation.override("en"):
        assert draw(Template(BLOCK), shown=1, left_out="d") == "Mark as done: 1 d"


def test_the_values_escape_as_the_page_does():
    template = Template("{% load courses_tags %}{% drawn shown %}{{ shown }}{% enddrawn %}")
    assert draw(template, shown="<b>") == "&lt;b&gt;"
    off = Template(
        "{% load courses_tags %}{% autoescape off %}{% drawn shown %}{{ shown }}"
        "{% enddrawn %}{% endautoescape %}"
    )
    assert draw(off, shown="<b>") == "<b>"


def test_each_page_gets_its_own_csrf_token_in_a_drawn_block():
    template = Template(
        "{% load courses_tags %}{% drawn %}<form>{% csrf_token %}</form>{% enddrawn %}"
    )
    tokens = set()
    for _ in range(3):
        token = get_token(RequestFactory().get("/"))
        html = draw(template, csrf_token=token)
        assert (
            html == f'<form><input type="hidden" name="csrfmiddlewaretoken" value="{token}"></form>'
        )
        tokens.add(token)
    assert len(tokens) == 3
    # without a token the field is left out, as {% csrf_token %} leaves it
    assert draw(template) == "<form></form>"
    assert draw(template, csrf_token="NOTPROVIDED") == "<form></form>"


@pytest.fixture
def lesson(course):
    return LessonPage.objects.descendant_of(course).order_by("path").first()


def test_the_done_form_posts_with_the_pages_token(learner, lesson, enrolment):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    for _ in range(2):  # drawn, then reused
        html = client.get(lesson.url).text
        token = re.search(r'action="/ru/learn/lessons/\d+/done/".*?value="(\w+)"', html, re.S)
        assert token
    response = client.post(
        f"/ru/learn/lessons/{lesson.pk}/done/", {"csrfmiddlewaretoken": token[1]}
    )
    assert response.status_code == 302
    html = client.get(lesson.url).text
    assert "/done/" not in html  # shown as done, no button
    assert "Вы отметили этот урок как пройденный." in html


def notice(html: str) -> str:
    return re.search(r'<p class="release-notice">.*?</p>', html, re.S).group()


def test_the_due_date_and_the_minutes_follow_their_changes(
    client, learner, lesson, enrolment, cohort
):
    client.force_login(learner)
    assert "release-notice" not in client.get(lesson.url).text
    due = (timezone.now() + timedelta(days=3)).replace(hour=12, minute=0, second=0, microsecond=0)
    dates = CohortItemDates.objects.create(
        cohort=cohort, item_key=lesson.get_parent().translation_key, due_at=due
    )
    first = notice(client.get(lesson.url).text)
    dates.due_at = due + timedelta(days=1)
    dates.save()
    second = notice(client.get(lesson.url).text)
    assert first != second
    assert "release--overdue" not in second

    lesson.estimated_minutes = 42
    lesson.save_revision().publish()
    assert "Примерно 42 минуты" in client.get(lesson.url).text


LINKED = (
    "{% load courses_tags %}{% drawn_links shown %}{{ shown }} {{ left_out }}{% enddrawn_links %}"
)


def test_a_block_of_links_is_kept_while_the_page_generation_stands(rf):
    from lms.page_generation import bump

    template = Template(LINKED)

    def linked(request, **context):
        return template.render(Context({"request": request, **context}))

    assert linked(rf.get("/"), shown=1, left_out="a") == "1 a"
    assert linked(rf.get("/"), shown=1, left_out="b") == "1 a"
    assert linked(rf.get("/", HTTP_HOST="example.org"), shown=1, left_out="c") == "1 c"
    bump()  # a page published, moved or deleted, a site edited
    assert linked(rf.get("/"), shown=1, left_out="d") == "1 d"
    # without a request (no site to link from) it is drawn each time
    assert draw(template, shown=1, left_out="e") == "1 e"
    assert draw(template, shown=1, left_out="f") == "1 f"


def test_the_lessons_links_follow_a_published_title_and_address(client, learner, lesson, enrolment):
    client.force_login(learner)
    following = lesson.get_next_siblings().specific().first()
    html = client.get(lesson.url).text
    assert f'<a rel="next" href="{following.url}">{following.title} →</a>' in html
    following.title, following.slug = "Новое название", "novoe-nazvanie"
    following.save_revision().publish()
    following.refresh_from_db()
    assert following.url.endswith("/novoe-nazvanie/")
    html = client.get(lesson.url).text
    assert f'<a rel="next" href="{following.url}">Новое название →</a>' in html
    module = lesson.get_parent().specific
    module.title = "Модуль переименован"
    module.save_revision().publish()
    html = client.get(lesson.url).text
    assert re.search(r'class="breadcrumb">.*Модуль переименован</a>', html, re.S)
