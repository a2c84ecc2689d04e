"""Comments: posted for moderation, cleaned, rate-limited, and kept from bots."""

import re
import time
from html.parser import HTMLParser

import pytest
import time_machine
from django.test import Client

from base import text
from cms import page_cache, services
from cms.models import Comment
from tests.factories import UserFactory
from tests.factories.cms import build_article, build_comment

XSS_CORPUS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "<svg onload=alert(1)><circle r=10 /></svg>",
    "<iframe src=//evil.example></iframe>",
    '"><script>alert(document.cookie)</script>',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<a href="&#106;avascript:alert(1)">x</a>',
    "<body onload=alert(1)>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
]


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def _elements(html: str) -> list:
    """Every element in ``html`` with its attributes, as a browser's parser sees them."""
    parser = _Elements()
    parser.feed(html)
    return parser.found


@pytest.fixture
def article(indexes):
    return build_article(indexes["ru"], title="Форум акимов", slug="forum")


def _form(client, url):
    """The comment form's hidden fields as a browser would send them."""
    html = client.get(url).content.decode()
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    return fields


def _post(client, article, *, wait=True, **data):
    fields = _form(client, article.url)
    fields.update({"name": "Марат", "email": "marat@example.com", "body": "Спасибо!"})
    fields.update(data)
    if wait:  # a person takes a while to write; a bot posts at once
        with time_machine.travel(time.time() + 30, tick=False):
            return client.post(article.comments_url(), fields)
    return client.post(article.comments_url(), fields)


def test_a_comment_waits_for_moderation(client, article):
    response = _post(client, article, body="Когда следующий семинар?")
    assert response.status_code == 302
    assert response["Location"] == "/ru/news/forum/#comments"
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert (comment.name, comment.email) == ("Марат", "marat@example.com")
    html = client.get(response["Location"]).content.decode()
    assert "ожидает модерации" in html or "awaiting moderation" in html
    assert "Когда следующий семинар?" not in html


def test_approved_comments_appear_and_the_email_never_does(client, article):
    _post(client, article, body="Когда следующий семинар?", email="secret-akim@example.com")
    comment = Comment.objects.get()
    services.comment_moderate(comments=[comment], status="approved", moderator=None)
    for url in (article.url, "/ru/news/", "/ru/news/rss/", "/ru/news/atom/", "/sitemap.xml"):
        html = Client().get(url).content.decode()
        assert "secret-akim" not in html, url
    assert "Когда следующий семинар?" in Client().get(article.url).content.decode()


def test_the_form_keeps_the_email_out_of_the_page(client, article):
    html = client.get(article.url).content.decode()
    assert 'type="email" name="email"' in html
    assert 'value="' not in html.split('name="email"')[1].split(">")[0]


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_xss_corpus_renders_inert(client, article, payload):
    build_comment(article, name=payload[:80], body=payload, status="approved")
    # What the service stores, as the form would: strip markup, escape, link safely.
    _post(client, article, name=payload[:80], body=payload)
    services.comment_moderate(
        comments=Comment.objects.filter(status="pending"), status="approved", moderator=None
    )
    html = Client().get(article.url).content.decode()
    comments = html.split('id="comments"')[1].split('class="comment-form"')[0]
    tags = _elements(comments)
    assert {name for name, _attrs in tags} <= {
        "h2",
        "h3",
        "article",
        "header",
        "strong",
        "time",
        "div",
        "p",
        "br",
        "a",
        "span",
        "section",
    }
    for _name, attrs in tags:
        for attribute, value in attrs:
            assert not attribute.startswith("on"), (attribute, value)
            assert attribute != "style"
            if attribute == "href":
                assert value.startswith(("http://", "https://", "/ru/")), value


def test_links_become_nofollow_ugc(article):
    html = text.comment_html("Подробнее: https://example.org/akim и www.example.kz")
    assert '<a href="https://example.org/akim" rel="nofollow ugc">' in html
    assert html.count('rel="nofollow ugc"') == 2
    assert text.comment_html("<b>жирный</b>") == "<p>&lt;b&gt;жирный&lt;/b&gt;</p>"


def test_stored_text_has_no_markup(client, article):
    _post(client, article, body="<b>Важно</b>: бюджет <script>x()</script>села")
    comment = Comment.objects.get()
    assert comment.body == "Важно: бюджет x()села"
    assert "<" not in comment.body_html.replace("<p>", "").replace("</p>", "")


def test_length_limits(client, article):
    response = _post(client, article, body="б" * 2001)
    assert response.status_code == 400
    assert "2000" in response.content.decode()
    response = _post(client, article, name="и" * 81)
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_required_fields_and_a_valid_email(client, article):
    response = _post(client, article, email="not-an-email", body="")
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count('class="field__error"') == 2
    assert not Comment.objects.exists()


def test_the_honeypot_field_is_hidden_and_stops_bots(client, article):
    html = client.get(article.url).content.decode()
    assert '<div class="hp">' in html and 'name="website"' in html
    response = _post(client, article, website="http://spam.example")
    assert response.status_code == 302  # told the same as anyone
    assert not Comment.objects.exists()


def test_a_form_sent_at_once_is_not_kept_and_the_sender_is_told(client, article):
    """Within COMMENT_MIN_SECONDS of opening the page: nothing kept, but the person is
    told (in the page's language) and finds their text in the form to send again."""
    response = _post(client, article, wait=False, body="Быстрый <b>вопрос</b> акиму")
    assert response.status_code == 400
    assert not Comment.objects.exists()
    html = response.content.decode()
    assert 'role="alert">Комментарий отправлен через несколько секунд' in html
    assert "Быстрый &lt;b&gt;вопрос&lt;/b&gt; акиму</textarea>" in html
    assert 'value="Марат"' in html and 'value="marat@example.com"' in html
    # The form it comes back with carries a new start time: sent later, it is kept.
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    fields.update({"name": "Марат", "email": "marat@example.com", "body": "Быстрый вопрос"})
    with time_machine.travel(time.time() + 30, tick=False):
        assert client.post(article.comments_url(), fields).status_code == 302
    assert Comment.objects.get().body == "Быстрый вопрос"


@pytest.mark.parametrize(
    ("language", "start"),
    [("kk", "Пікіріңіз бет ашылғаннан"), ("en", "Your comment was sent within seconds")],
)
def test_the_too_soon_message_is_in_the_pages_language(client, indexes, language, start):
    article = build_article(indexes[language], title="Форум", slug="forum")
    html = _post(client, article, wait=False).content.decode()
    assert f'role="alert">{start}' in html


def test_a_forged_start_time_is_not_kept(client, article):
    forged = page_cache.form_started_token()[:-3] + "abc"
    response = _post(client, article, started=forged)
    assert response.status_code == 302
    assert not Comment.objects.exists()


def test_comments_are_rate_limited_per_address(client, article, settings):
    settings.COMMENT_RATE = 3
    for number in range(3):
        assert _post(client, article, body=f"Комментарий {number}").status_code == 302
    response = _post(client, article, body="Ещё один")
    assert response.status_code == 429
    assert response["Retry-After"]
    assert Comment.objects.count() == 3
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert _post(other, article, body="С другого адреса").status_code == 302


def test_closed_comments_take_none(client, article):
    article.comments_open = False
    article.save_revision().publish()
    html = client.get(article.url).content.decode()
    assert 'class="comment-form"' not in html
    fields = {"name": "М", "email": "m@example.com", "body": "x", "started": "1"}
    with time_machine.travel(time.time() + 30):
        response = client.post(article.comments_url(), fields)
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_posting_needs_a_csrf_token(article):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        article.comments_url(), {"name": "М", "email": "m@example.com", "body": "x"}
    )
    assert response.status_code == 403
    response = _post(client, article)  # with the token the page gave
    assert response.status_code == 302
    assert Comment.objects.count() == 1


def test_comments_url_takes_only_post(client, article):
    assert client.get(article.comments_url()).status_code == 405


def test_a_reply_goes_under_an_approved_comment(client, article):
    parent = build_comment(article, name="Вопрос", body="Где взять материалы?")
    reply_url = f"{article.url}comments/{parent.pk}/reply/"
    html = client.get(reply_url).content.decode()
    assert "Где взять материалы?" in html
    assert f'name="parent" value="{parent.pk}"' in html
    fields = _form(client, reply_url)
    fields.update({"name": "Пресс-служба", "email": "press@example.com", "body": "В курсе."})
    with time_machine.travel(time.time() + 30):
        assert client.post(article.comments_url(), fields).status_code == 302
    reply = Comment.objects.get(parent=parent)
    assert reply.status == Comment.Status.PENDING


def test_replies_only_to_approved_top_level_comments_of_the_article(client, article, indexes):
    pending = build_comment(article, status="pending")
    approved = build_comment(article)
    nested = build_comment(article, parent=approved)
    elsewhere = build_comment(build_article(indexes["ru"], title="Другая"))
    for comment in (pending, nested, elsewhere):
        assert client.get(f"{article.url}comments/{comment.pk}/reply/").status_code == 404
        response = _post(client, article, parent=str(comment.pk))
        assert response.status_code == 400
    assert client.get(f"{article.url}comments/99999/reply/").status_code == 404
    assert Comment.objects.filter(name="Марат").count() == 0


@pytest.mark.parametrize("status", ["approved", "rejected", "spam"])
def test_moderation_records_who_and_when(article, status):
    moderator = UserFactory()
    comment = build_comment(article, status="pending")
    assert services.comment_moderate(comments=[comment], status=status, moderator=moderator) == 1
    comment.refresh_from_db()
    assert comment.status == status
    assert comment.moderated_by == moderator and comment.moderated_at is not None
    # Deciding again the same way changes nothing.
    assert services.comment_moderate(comments=[comment], status=status, moderator=moderator) == 0


def test_moderation_refuses_pending_as_a_decision(article):
    with pytest.raises(ValueError):
        services.comment_moderate(
            comments=[build_comment(article)], status="pending", moderator=None
        )


def test_moderation_is_logged(article, caplog):
    comment = build_comment(article, status="pending")
    with caplog.at_level("INFO", logger="lms.security"):
        services.comment_moderate(comments=[comment], status="spam", moderator=None)
    assert f"event=comment_moderate actor='' comment={comment.pk} status='spam'" in caplog.text
