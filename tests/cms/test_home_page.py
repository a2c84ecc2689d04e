"""Home pages in three languages, the language switcher, and the page-tree rules."""

import re

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cms.models import ArticleIndexPage, HomePage, StandardPage
from cms.services import HOME_CONTENT
from courses.models import CourseIndexPage
from tests.factories import UserFactory
from tests.factories.cms import build_home_pages


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_home_renders_in_each_language(client, home_pages, language):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert f"<h1>{HOME_CONTENT[language]['title']}</h1>" in html


@pytest.mark.parametrize(
    ("accept", "target"),
    [
        ("kk", "/kk/"),
        ("en-GB,en;q=0.9", "/en/"),
        ("ru-RU,ru;q=0.9", "/ru/"),
        ("de", "/ru/"),
        ("", "/ru/"),
    ],
)
def test_root_redirects_by_accept_language(client, home_pages, accept, target):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == target


def _switcher_links(html: str) -> dict[str, str]:
    nav = re.search(r'<nav class="languages".*?</nav>', html, re.S).group(0)
    return {lang: href for href, lang in re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', nav)}


def test_switcher_links_to_the_translations_of_the_page(client, home_pages):
    ru_home = home_pages["ru"]
    about = StandardPage(title="О программе", slug="about", intro="Программа обучения акимов.")
    ru_home.add_child(instance=about)
    about.save_revision().publish()
    kk_about = about.copy_for_translation(home_pages["kk"].locale, copy_parents=False)
    kk_about.title = "Бағдарлама туралы"
    kk_about.save_revision().publish()

    html = client.get("/ru/about/").content.decode()
    links = _switcher_links(html)
    assert links["kk"] == "/kk/about/"
    # No English translation yet: the switcher offers the English home page.
    assert links["en"] == "/en/"
    assert '<span aria-current="true" lang="ru">' in html

    kk_html = client.get("/kk/about/").content.decode()
    assert "<h1>Бағдарлама туралы</h1>" in kk_html
    assert _switcher_links(kk_html)["ru"] == "/ru/about/"


def test_switcher_on_a_prefixed_view_keeps_the_path(client, learners, home_pages):
    client.force_login(learners["learner@example.com"])
    links = _switcher_links(client.get("/ru/dashboard/").content.decode())
    assert links == {"kk": "/kk/dashboard/", "en": "/en/dashboard/"}


def test_switcher_outside_the_prefix_is_a_form(client, home_pages):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert 'name="language" value="kk"' in html
    response = client.post("/i18n/setlang/", {"language": "kk", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert client.get("/accounts/login/").content.decode().startswith("<!DOCTYPE html>")
    assert '<html lang="kk">' in client.get("/accounts/login/").content.decode()


def test_sitemap_lists_every_language(client, home_pages):
    body = client.get("/sitemap.xml").content.decode()
    for language in ["kk", "ru", "en"]:
        assert f"/{language}/</loc>" in body


def test_robots_txt_points_at_the_sitemap_and_hides_private_areas(client, db):
    body = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in body
    assert "Disallow: /kk/dashboard/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_unknown_page_is_a_translated_404(client, home_pages):
    response = client.get("/kk/no-such-page/")
    assert response.status_code == 404
    assert '<html lang="kk">' in response.content.decode()


def test_draft_pages_are_not_served(client, home_pages):
    draft = StandardPage(title="Черновик", slug="draft", live=False)
    home_pages["ru"].add_child(instance=draft)
    assert client.get("/ru/draft/").status_code == 404
    assert "/ru/draft/" not in client.get("/sitemap.xml").content.decode()


class TestPageTree(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = build_home_pages()

    def test_home_pages_sit_at_the_root_and_hold_standard_pages(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(HomePage, {StandardPage, ArticleIndexPage, CourseIndexPage})
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})

    def test_pages_are_renderable_and_previewable(self):
        page = StandardPage(title="Контакты", slug="contacts", intro="Астана")
        self.home.add_child(instance=page)
        self.assertPageIsRenderable(page)
        self.assertPageIsPreviewable(
            page,
            post_data=nested_form_data(
                {
                    "title": "Контакты",
                    "slug": "contacts",
                    "intro": "Астана",
                    "body": streamfield([("paragraph", rich_text("<p>Телефон</p>"))]),
                }
            ),
        )
        self.assertPageIsRenderable(self.home)

    def test_trainers_can_create_a_standard_page_in_the_admin(self):
        trainer = UserFactory(email="trainer@example.com")
        trainer.groups.add(Group.objects.get(name="Trainers"))
        self.client.force_login(trainer)
        self.assertCanCreate(
            self.home,
            StandardPage,
            nested_form_data(
                {
                    "title": "Контакты",
                    "slug": "contacts",
                    "intro": "Астана",
                    "body": streamfield([("heading", {"text": "Адрес", "level": "h2"})]),
                }
            ),
            publish=False,  # trainers save drafts and submit; methodologists publish
        )


def test_images_come_as_small_lazy_webp_renditions(client, home_pages):
    import json
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images.models import Image

    buffer = BytesIO()
    PILImage.new("RGB", (1600, 900), "#00597a").save(buffer, "JPEG")
    image = Image.objects.create(title="Семинар", file=ImageFile(buffer, name="seminar.jpg"))
    page = StandardPage(
        title="Фото",
        slug="photo",
        body=json.dumps(
            [
                {
                    "type": "figure",
                    "value": {
                        "image": {"image": image.pk, "decorative": False, "alt_text": "Участники"},
                        "caption": "Семинар в Есиле",
                    },
                }
            ]
        ),
    )
    home_pages["ru"].add_child(instance=page)
    html = client.get("/ru/photo/").content.decode()
    assert 'loading="lazy"' in html
    assert "srcset=" in html and "400w" in html and "800w" in html
    assert ".webp" in html
    assert "Семинар в Есиле" in html
