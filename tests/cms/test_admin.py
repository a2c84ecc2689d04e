"""News in the Wagtail admin: writing an article, moderating comments, who may do what."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.models import ArticlePage, Comment
from tests.factories import UserFactory
from tests.factories.cms import build_article, build_comment


def _staff(group: str):
    return UserFactory(groups=[group])


@pytest.fixture
def methodologist(db):
    return _staff("Methodologists")


@pytest.fixture
def article(indexes):
    return build_article(indexes["ru"], title="Форум акимов", slug="forum")


def test_a_trainer_writes_an_article_in_the_admin(client, indexes):
    client.force_login(_staff("Trainers"))
    url = reverse("wagtailadmin_pages:add", args=("cms", "articlepage", indexes["ru"].pk))
    assert client.get(url).status_code == 200
    data = nested_form_data(
        {
            "title": "Семинар в Кокшетау",
            "slug": "kokshetau",
            "date": "2026-11-20",
            "lead": "Акимы обсудили бюджет.",
            "cover_caption": "",
            "cover_credit": "",
            "body": streamfield([("paragraph", rich_text("<p>Отчёт о семинаре.</p>"))]),
            "article_authors": inline_formset([]),
            "related_courses": inline_formset([]),
            "tags": "бюджет, семинар",
            "comments_open": "on",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    article = ArticlePage.objects.get(slug="kokshetau")
    assert not article.live  # trainers submit; methodologists publish
    assert sorted(article.tags.names()) == ["бюджет", "семинар"]


def test_comments_list_and_filters(client, methodologist, article):
    build_comment(article, name="Ждёт", status="pending")
    build_comment(article, name="Одобрен", status="approved")
    client.force_login(methodologist)
    url = reverse("wagtailsnippets_cms_comment:list")
    html = client.get(url).content.decode()
    assert "Ждёт" in html and "Одобрен" in html
    html = client.get(url, {"status": "pending"}).content.decode()
    assert "Ждёт" in html and "Одобрен" not in html


def test_bulk_approve_shows_comments_on_the_site(client, methodologist, article):
    comments = [build_comment(article, body=f"Вопрос {n}", status="pending") for n in range(3)]
    assert "Вопрос 0" not in client.get(article.url).content.decode()
    client.force_login(methodologist)
    url = reverse("wagtail_bulk_action", args=("cms", "comment", "approve"))
    query = "?" + "&".join(f"id={comment.pk}" for comment in comments[:2])
    assert client.get(url + query).status_code == 200  # the confirmation
    response = client.post(url + query)
    assert response.status_code == 302
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert [statuses[c.pk] for c in comments] == ["approved", "approved", "pending"]
    client.logout()
    html = client.get(article.url).content.decode()
    assert "Вопрос 0" in html and "Вопрос 1" in html and "Вопрос 2" not in html


@pytest.mark.parametrize(("action", "status"), [("reject", "rejected"), ("spam", "spam")])
def test_bulk_reject_and_spam(client, methodologist, article, action, status):
    comment = build_comment(article, status="approved")
    client.force_login(methodologist)
    url = reverse("wagtail_bulk_action", args=("cms", "comment", action))
    client.post(f"{url}?id={comment.pk}")
    comment.refresh_from_db()
    assert comment.status == status
    assert comment.moderated_by == methodologist


def test_the_edit_form_decides_but_does_not_rewrite(client, methodologist, article):
    comment = build_comment(article, body="Исходный текст", status="pending")
    client.force_login(methodologist)
    url = reverse("wagtailsnippets_cms_comment:edit", args=(comment.pk,))
    html = client.get(url).content.decode()
    assert "Исходный текст" in html and 'name="body"' not in html
    response = client.post(url, {"status": "approved", "body": "Подмена", "email": "x@x.kz"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.status, comment.body, comment.email) == (
        "approved",
        "Исходный текст",
        "reader@example.com",
    )
    assert comment.moderated_by == methodologist
    assert "Исходный текст" in client.get(article.url).content.decode()


@pytest.mark.parametrize("group", ["Trainers", "Registrars", "Learners"])
def test_only_moderators_may_moderate(client, article, group):
    comment = build_comment(article, status="pending")
    client.force_login(_staff(group))
    assert client.get(reverse("wagtailsnippets_cms_comment:list")).status_code in (302, 403)
    url = reverse("wagtail_bulk_action", args=("cms", "comment", "approve"))
    client.post(f"{url}?id={comment.pk}")
    comment.refresh_from_db()
    assert comment.status == "pending"
