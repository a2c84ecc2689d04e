"""Demo content of the public site for ``seed_demo``: the home page of each language,
the news index of each, and the demo articles (cms/demo_articles.py) with their pictures
(drawn by cms/demo_images.py) and a few comments."""

from __future__ import annotations

import io
from datetime import date

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
from cms.services import HOME_CONTENT, home_pages_ensure  # noqa: F401 (HOME_CONTENT: moved)
from demo import articles_tmp as demo_articles
from demo.covers import cover_png
from lms.models import Region


@transaction.atomic
def seed_home_pages() -> HomePage:
    """The Russian home page as the site root, with Kazakh and English translations,
    brought back to their first title and text; the Site at SITE_URL's host and port."""
    from lms.operations import site_address

    hostname, port = site_address(settings.SITE_URL)
    return home_pages_ensure(hostname=hostname, port=port, refresh=True)


# News ---------------------------------------------------------------------------------

NEWS_INDEX = {
    "ru": {
        "title": "Новости",
        "intro": "<p>Новости программы обучения сельских акимов: семинары, форумы, "
        "объявления о наборе и пресс-релизы.</p>",
    },
    "kk": {
        "title": "Жаңалықтар",
        "intro": "<p>Ауыл әкімдерін оқыту бағдарламасының жаңалықтары: семинарлар, "
        "форумдар, қабылдау туралы хабарландырулар және баспасөз релиздері.</p>",
    },
    "en": {
        "title": "News",
        "intro": "<p>News of the training programme for rural akims: seminars, forums, "
        "calls for new cohorts and press releases.</p>",
    },
}
ARTICLES_ABOUT_THE_COURSE = {
    "akmola-programme-opens",
    "project-management-module",
    "online-course-launch",
    "new-cohort-2026",
}
DEMO_COMMENTS = [
    # (article slug, language, name, e-mail, text, status, reply to the comment number)
    (
        "akmola-programme-opens",
        "ru",
        "Марат Жакупов",
        "marat@example.com",
        "Хорошо, что модуль о бюджете села идёт так рано: вопросов по четвёртому "
        "уровню бюджета у нас больше всего.",
        Comment.Status.APPROVED,
        None,
    ),
    (
        "akmola-programme-opens",
        "ru",
        "Пресс-служба",
        "press@example.com",
        "Спасибо! Материалы модуля доступны слушателям и в онлайн-курсе: "
        "https://example.org/akim-course",
        Comment.Status.APPROVED,
        0,
    ),
    (
        "akmola-programme-opens",
        "kk",
        "Гүлнар Әбдірахманова",
        "gulnar@example.com",
        "Оқу бағдарламасы қазақ тілінде де бар ма? Біздің ауылда интернет баяу.",
        Comment.Status.APPROVED,
        None,
    ),
    (
        "west-kazakhstan-akims-forum",
        "ru",
        "Читатель",
        "reader@example.com",
        "А будет ли такой форум в Актюбинской области?",
        Comment.Status.PENDING,
        None,
    ),
]


def _locales() -> dict[str, Locale]:
    return {locale.language_code: locale for locale in Locale.objects.all()}


def _news_indexes(home: HomePage) -> dict[str, ArticleIndexPage]:
    locales = _locales()
    source = ArticleIndexPage.objects.child_of(home).first()
    if source is None:
        source = ArticleIndexPage(slug="news", **NEWS_INDEX["ru"])
        home.add_child(instance=source)
        source.save_revision().publish()
    indexes = {"ru": source}
    for code in ("kk", "en"):
        translation = source.get_translation_or_none(locales[code])
        if translation is None:
            translation = source.copy_for_translation(locales[code])
            translation.title = translation.draft_title = NEWS_INDEX[code]["title"]
            translation.intro = NEWS_INDEX[code]["intro"]
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
    for person in demo_articles.PEOPLE:
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
    for slug, names in demo_articles.CATEGORIES.items():
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
    page.title = page.draft_title = text["title"]
    page.date = date.fromisoformat(article["date"])
    page.lead = text["lead"]
    page.cover_image = image
    page.cover_caption = text.get("cover_caption", "")
    page.cover_credit = "Akim Academy"
    page.body = [
        (kind, {"text": value, "level": "h2"} if kind == "heading" else value)
        for kind, value in text["body"]
    ]
    page.category = categories[article["category"]][code]
    page.regions = regions
    page.article_authors = [ArticleAuthor(person=people[key][code]) for key in article["authors"]]
    page.tags.set(text["tags"], clear=True)
    if course is not None and article["slug"] in ARTICLES_ABOUT_THE_COURSE:
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
    for article in demo_articles.ARTICLES:
        translations = article["translations"]
        codes = [code for code in ("ru", "kk", "en") if code in translations]
        source = None
        regions = list(Region.objects.filter(code__in=article["regions"]))
        image = _cover(article, translations[codes[0]].get("cover_caption", ""))
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
    for slug, code, name, email, text, status, reply_to in DEMO_COMMENTS:
        article = ArticlePage.objects.child_of(indexes[code]).filter(slug=slug).first()
        if article is None:
            continue
        comment = Comment.objects.filter(article=article, email=email, body=text).first()
        if comment is None:
            comment = Comment.objects.create(
                article=article,
                parent=made[reply_to] if reply_to is not None else None,
                name=name,
                email=email,
                body=text,
                status=status,
            )
        made.append(comment)
