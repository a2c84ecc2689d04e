"""The site's chrome (menu, language links, account links) and routing cost few queries.

A plain content page makes 4 queries for an anonymous visitor (the path's pages, the
page as its own type, the view restrictions of its branch: Wagtail's two) and one more
signed in (the user); the Site, the home page in the visitor's language, the menu and
the language links are kept in the process until the next change to the page tree.
"""

import pytest
from wagtail.models import Locale, PageViewRestriction, Site

from cms import routing
from cms.models import StandardPage
from courses.models import CourseIndexPage
from tests.factories import UserFactory
from tests.factories.cms import build_indexes

ANONYMOUS_QUERIES = 4
SIGNED_IN_QUERIES = 5


def _publish(page):
    page.save_revision().publish()
    return page


@pytest.fixture
def plain_page(home_pages):
    build_indexes(home_pages)
    home_pages["ru"].add_child(instance=CourseIndexPage(title="Курсы", slug="courses"))
    return _publish(
        home_pages["ru"].add_child(
            instance=StandardPage(title="О программе", slug="about", intro="Коротко.")
        )
    )


def _menu_of(home, pages: int) -> None:
    for number in range(pages):
        home.add_child(instance=StandardPage(title=f"Страница {number}", slug=f"page-{number}"))


@pytest.mark.parametrize("pages", [3, 30])
def test_an_anonymous_plain_page_makes_four_queries(
    client, plain_page, home_pages, pages, django_assert_num_queries
):
    _menu_of(home_pages["ru"], pages)
    client.get("/ru/about/")  # the process's memos are made once per change
    with django_assert_num_queries(ANONYMOUS_QUERIES):
        response = client.get("/ru/about/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/ru/news/"' in html and 'href="/ru/courses/"' in html  # the menu
    assert 'hreflang="kk"' in html or 'href="/kk/"' in html  # the language links


@pytest.mark.parametrize("pages", [3, 30])
def test_a_signed_in_plain_page_makes_five_queries(
    client, plain_page, home_pages, pages, django_assert_num_queries
):
    _menu_of(home_pages["ru"], pages)
    user = UserFactory(full_name="Ерлан Сейітов")
    client.force_login(user)
    client.get("/ru/about/")
    with django_assert_num_queries(SIGNED_IN_QUERIES):
        response = client.get("/ru/about/")
    assert "Ерлан Сейітов" in response.content.decode()


def test_a_new_translation_shows_in_the_language_links_at_once(client, plain_page):
    assert 'href="/kk/"' in client.get("/ru/about/").content.decode()  # its home, for now
    copy = plain_page.copy_for_translation(Locale.objects.get(language_code="kk"))
    copy.slug = "about-kk"
    copy.save_revision().publish()
    html = client.get("/ru/about/").content.decode()
    assert 'href="/kk/about-kk/"' in html


def test_a_renamed_news_index_shows_in_the_menu_at_once(client, plain_page, home_pages):
    client.get("/ru/about/")
    news = home_pages["ru"].get_children().get(slug="news").specific
    news.slug = "novosti"
    news.save_revision().publish()
    html = client.get("/ru/about/").content.decode()
    assert 'href="/ru/novosti/"' in html and 'href="/ru/news/"' not in html


def test_an_unpublished_home_translation_is_not_served(client, plain_page, home_pages):
    assert client.get("/kk/").status_code == 200
    home_pages["kk"].unpublish()
    # Wagtail falls back to the site's root page, as it would without the memo.
    response = client.get("/kk/")
    assert response.status_code == 200
    assert response.context["page"].locale.language_code == "ru"


def test_a_site_change_is_seen_on_the_next_request(client, plain_page, home_pages):
    assert client.get("/ru/about/").status_code == 200
    Site.objects.all().delete()
    assert client.get("/ru/about/").status_code == 404


def test_a_new_view_restriction_applies_on_the_next_request(client, plain_page):
    assert client.get("/ru/about/").status_code == 200
    PageViewRestriction.objects.create(page=plain_page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get("/ru/about/")
    assert response.status_code == 302 and "login" in response["Location"]


def _site_middleware(seen):
    def view(request):
        seen.append(Site.find_for_request(request))

    return routing.SiteMiddleware(view)


def test_requests_get_their_own_copies(rf, plain_page):
    seen = []
    middleware = _site_middleware(seen)
    for _ in range(3):
        middleware(rf.get("/ru/about/", HTTP_HOST="testserver"))
    first, second, third = seen
    assert second is not third and second.pk == third.pk == first.pk
    second.site_name = "changed by one request"
    assert third.site_name != "changed by one request"


def test_views_that_never_ask_for_the_site_do_not_look_it_up(rf, plain_page):
    calls = []
    middleware = routing.SiteMiddleware(lambda request: calls.append(request))
    middleware(rf.get("/ru/notifications/", HTTP_HOST="testserver"))
    assert "_wagtail_site" not in calls[0].__dict__
