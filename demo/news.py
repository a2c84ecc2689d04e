"""Demo content of the public site for ``seed_demo``: the home page of each language,
the news index of each, and the demo articles (``demo/content/news``: ``news.yaml`` and
a file per article and language) with their pictures (drawn by ``demo.covers``) and a
few comments."""

from __future__ import annotations

import io
from datetime import date
from functools import cache
from pathlib import Path

import yaml
from django.conf import settings
from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import Locale

from cms.models import (
    ArticleAuthor,
    ArticleCategory,
    ArticleIndexPage,
    ArticlePage,
    ArticleRelatedCourse,
    Comment,
    HomePage,
    Person,
)
from cms.services import home_pages_ensure
from demo.covers import cover_png
from demo.documents import read_document
from lms.models import Region


@transaction.atomic
def seed_home_pages() -> HomePage:
    """The Russian home page as the site root, with Kazakh and English translations,
    brought back to their first title and text; the Site at SITE_URL's host and port."""
    from lms.operations import site_address

    hostname, port = site_address(settings.SITE_URL)
    return home_pages_ensure(hostname=hostname, port=port, refresh=True)


# News ---------------------------------------------------------------------------------

CONTENT = Path(__file__).resolve().parent / "content" / "news"


@cache
def news() -> dict:
    """``news.yaml``: the index of each language, authors, categories, the articles
    (oldest first) and the comments."""
    return yaml.safe_load((CONTENT / "news.yaml").read_text(encoding="utf-8"))


def article_texts(slug: str) -> dict[str, tuple[dict, list]]:
    """An article's translations by language: each file's fields and body blocks."""
    texts = {}
    for path in sorted(CONTENT.glob(f"{slug}.*.html")):
        fields, body = read_document(path)
        texts[fields["language"]] = (fields, body)
    return texts


def _locales() -> dict[str, Locale]:
    return {locale.language_code: locale for locale in Locale.objects.all()}


def _news_indexes(home: HomePage) -> dict[str, ArticleIndexPage]:
    locales = _locales()
    index = news()["index"]
    source = ArticleIndexPage.objects.child_of(home).first()
    if source is None:
        source = ArticleIndexPage(
            slug=index["slug"], title=index["title"]["ru"], intro=index["intro"]["ru"]
        )
        home.add_child(instance=source)
        source.save_revision().publish()
    indexes = {"ru": source}
    for code in ("kk", "en"):
        translation = source.get_translation_or_none(locales[code])
        if translation is None:
            translation = source.copy_for_translation(locales[code])
            translation.title = translation.draft_title = index["title"][code]
            translation.intro = index["intro"][code]
            translation.save_revision().publish()
        indexes[code] = translation.specific
    return indexes


def _translated_snippets(source, locales, values_by_code) -> dict:
    """``source`` and a translation of it per language, with that language's values."""
    found = {source.locale.language_code: source}
    for code, locale in locales.items():
        if code in found:
            continue
        translation = source.get_translation_or_none(locale)
        if translation is None:
            translation = source.copy_for_translation(locale)
            for field, value in values_by_code.get(code, {}).items():
                setattr(translation, field, value)
            translation.save()
        found[code] = translation
    return found


def _people(locales) -> dict[str, dict[str, Person]]:
    people = {}
    for person in news()["people"]:
        source = Person.objects.filter(locale=locales["ru"], name=person["name"]).first()
        if source is None:
            source = Person.objects.create(
                locale=locales["ru"], name=person["name"], role=person["role"]["ru"]
            )
        values = {code: {"role": role} for code, role in person["role"].items()}
        people[person["key"]] = _translated_snippets(source, locales, values)
    return people


def _categories(locales) -> dict[str, dict[str, ArticleCategory]]:
    categories = {}
    for slug, names in news()["categories"].items():
        source = ArticleCategory.objects.filter(locale=locales["ru"], slug=slug).first()
        if source is None:
            source = ArticleCategory.objects.create(
                locale=locales["ru"], slug=slug, name=names["ru"]
            )
        values = {code: {"name": name} for code, name in names.items()}
        categories[slug] = _translated_snippets(source, locales, values)
    return categories


def _cover(article: dict, caption: str):
    image_model = get_image_model()
    title = f"demo-cover-{article['slug']}"
    image = image_model.objects.filter(title=title).first()
    if image is None:
        data = cover_png(**article["cover"])
        image = image_model(
            title=title, description=caption, file=ImageFile(io.BytesIO(data), f"{title}.png")
        )
        image.save()
    return image


def _fill_article(page, *, article, text, code, people, categories, regions, image, course) -> None:
    fields, body = text
    page.title = page.draft_title = fields["title"]
    page.date = date.fromisoformat(article["date"])
    page.lead = fields["lead"]
    page.cover_image = image
    page.cover_caption = fields.get("cover_caption", "")
    page.cover_credit = "Akim Academy"
    page.body = body
    page.category = categories[article["category"]][code]
    page.regions = regions
    page.article_authors = [ArticleAuthor(person=people[key][code]) for key in article["authors"]]
    page.tags.set(fields["tags"], clear=True)
    if course is not None and article["about_the_course"]:
        page.related_courses = [ArticleRelatedCourse(course=course)]


def seed_news(*, home: HomePage, course=None) -> dict[str, ArticleIndexPage]:
    """The news index of each language and the demo articles, in the languages they
    were written in; the comments, some waiting for moderation. Safe to run again.

    Articles about the programme link to ``course`` (the demo course) when given.
    """
    locales = _locales()
    indexes = _news_indexes(home)
    people = _people(locales)
    categories = _categories(locales)
    for article in news()["articles"]:
        translations = article_texts(article["slug"])
        # The first of these languages the article has is the source of the others.
        codes = [code for code in ("ru", "kk", "en") if code in translations]
        source = None
        regions = list(Region.objects.filter(code__in=article["regions"]))
        image = _cover(article, translations[codes[0]][0].get("cover_caption", ""))
        for code in codes:
            existing = ArticlePage.objects.child_of(indexes[code]).filter(slug=article["slug"])
            page = existing.first()
            if page is not None:
                source = source or page
                continue
            fields = {
                "article": article,
                "text": translations[code],
                "code": code,
                "people": people,
                "categories": categories,
                "regions": regions,
                "image": image,
                "course": course,
            }
            if source is None:
                page = ArticlePage(slug=article["slug"], locale=locales[code])
                _fill_article(page, **fields)
                indexes[code].add_child(instance=page)
            else:
                page = source.copy_for_translation(locales[code])
                _fill_article(page, **fields)
            page.save_revision().publish()
            source = source or page
    _seed_comments(indexes)
    return indexes


def _seed_comments(indexes: dict[str, ArticleIndexPage]) -> None:
    made: list[Comment] = []
    for data in news()["comments"]:
        index = indexes[data["language"]]
        article = ArticlePage.objects.child_of(index).filter(slug=data["article"]).first()
        if article is None:
            continue
        comment = Comment.objects.filter(
            article=article, email=data["email"], body=data["text"]
        ).first()
        if comment is None:
            reply_to = data.get("reply_to")
            comment = Comment.objects.create(
                article=article,
                parent=made[reply_to] if reply_to is not None else None,
                name=data["name"],
                email=data["email"],
                body=data["text"],
                status=data["status"],
            )
        made.append(comment)
