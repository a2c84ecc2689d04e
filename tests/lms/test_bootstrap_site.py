"""bootstrap_site: an empty production database made ready without the demo seed."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page, Revision, Site

from cms.models import HomePage
from lms.models import User
from lms.operations import site_address

SITE_URL = "https://akim.example.kz"


def _bootstrap() -> str:
    out = io.StringIO()
    call_command("bootstrap_site", stdout=out)
    return out.getvalue()


def _state() -> dict:
    """Everything bootstrap_site could touch, to compare two runs."""
    return {
        "pages": list(
            Page.objects.order_by("path").values_list(
                "pk", "path", "title", "live", "latest_revision_id", "last_published_at"
            )
        ),
        "revisions": Revision.objects.count(),
        "sites": list(
            Site.objects.values_list(
                "pk", "hostname", "port", "root_page_id", "site_name", "is_default_site"
            )
        ),
        "groups": list(Group.objects.order_by("name").values_list("name", flat=True)),
        "users": User.objects.count(),
    }


@pytest.fixture
def production(settings):
    settings.IS_PRODUCTION = True
    settings.SITE_URL = SITE_URL
    return settings


def test_it_refuses_without_site_url_and_says_so(db, settings):
    settings.SITE_URL = ""
    before = _state()
    with pytest.raises(CommandError, match="SITE_URL is not set"):
        _bootstrap()
    assert _state() == before


def test_an_empty_database_gets_home_pages_in_three_languages_and_its_site(db, production, client):
    output = _bootstrap()
    russian = HomePage.objects.get(depth=2, locale__language_code="ru")
    homes = {
        page.locale.language_code: page.specific
        for page in russian.get_translations(inclusive=True).select_related("locale")
    }
    assert set(homes) == {"ru", "kk", "en"}
    assert all(page.live for page in homes.values())
    assert homes["kk"].title == "Ауыл әкімдері академиясы"
    # Wagtail's "Welcome" placeholder is gone; the Russian home is the root.
    assert not Page.objects.filter(depth=2, content_type__model="page").exists()
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_page_id) == ("akim.example.kz", 443, russian.pk)
    assert site.root_url == SITE_URL
    # The roles the migrations made are there, and no demo content came with it.
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Learners",
        "Trainers",
        "Methodologists",
        "Registrars",
    }
    assert not User.objects.exists()
    assert "createsuperuser" in output
    assert "The site is ready." in output
    page = client.get("/kk/")
    assert page.status_code == 200
    assert "Ауыл әкімдері академиясы" in page.content.decode()


def test_running_it_again_changes_nothing(db, production):
    _bootstrap()
    first = _state()
    output = _bootstrap()
    assert _state() == first
    assert "nothing changed" in output


def test_an_editors_changes_survive_a_second_run(db, production):
    _bootstrap()
    kazakh = HomePage.objects.get(locale__language_code="kk")
    kazakh.title = "Әкімдер академиясы"
    kazakh.save_revision().publish()
    _bootstrap()
    kazakh.refresh_from_db()
    assert kazakh.title == "Әкімдер академиясы"


def test_a_new_site_url_moves_the_site(db, production):
    _bootstrap()
    production.SITE_URL = "http://127.0.0.1:8000"
    _bootstrap()
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8000)
    assert Site.objects.count() == 1


def test_a_page_tree_that_is_someones_work_is_left_alone(db, production):
    welcome = Page.objects.get(depth=2)
    welcome.add_child(instance=Page(title="Наша страница", slug="ours"))
    before = _state()
    with pytest.raises(CommandError, match="empty database only"):
        _bootstrap()
    assert _state() == before


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("https://akim.example.kz", ("akim.example.kz", 443)),
        ("http://akim.example.kz", ("akim.example.kz", 80)),
        ("https://akim.example.kz:8443", ("akim.example.kz", 8443)),
    ],
)
def test_site_address(url, address):
    assert site_address(url) == address
