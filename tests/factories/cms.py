"""Builders for news content: indexes per language, published articles, comments."""

from __future__ import annotations

import datetime
import io

from django.conf import settings
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Locale

from cms.models import ArticleCategory, ArticleIndexPage, ArticlePage, Comment, HomePage
from cms.services import home_pages_ensure
from lms.operations import site_address

INDEX_TITLES = {"ru": "Новости", "kk": "Жаңалықтар", "en": "News"}


def build_home_pages() -> HomePage:
    """The Russian home page as the site root, with its Kazakh and English translations,
    and the Site at SITE_URL's host and port."""
    hostname, port = site_address(settings.SITE_URL)
    return home_pages_ensure(hostname=hostname, port=port, refresh=True)


def build_indexes(home_pages: dict) -> dict[str, ArticleIndexPage]:
    """A published news index under each language's home page, as translations."""
    source = ArticleIndexPage(title=INDEX_TITLES["ru"], slug="news")
    home_pages["ru"].add_child(instance=source)
    source.save_revision().publish()
    indexes = {"ru": source}
    for code in ("kk", "en"):
        copy = source.copy_for_translation(Locale.objects.get(language_code=code))
        copy.title = copy.draft_title = INDEX_TITLES[code]
        copy.save_revision().publish()
        indexes[code] = copy
    return indexes


def build_category(language: str, slug: str, name: str) -> ArticleCategory:
    return ArticleCategory.objects.create(
        locale=Locale.objects.get(language_code=language), slug=slug, name=name
    )


def build_image(title: str = "photo"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (640, 360), "#2b6a8f").save(buffer, format="PNG")
    image = get_image_model()(title=title, file=ImageFile(buffer, name=f"{title}.png"))
    image.save()
    return image


def build_article(
    index: ArticleIndexPage,
    *,
    title: str,
    slug: str | None = None,
    date: datetime.date | str = "2021-10-04",
    lead: str = "Короткое изложение новости.",
    tags: tuple[str, ...] = (),
    category: ArticleCategory | None = None,
    publish: bool = True,
    **fields,
) -> ArticlePage:
    if isinstance(date, str):
        date = datetime.date.fromisoformat(date)
    article = ArticlePage(
        title=title,
        slug=slug or f"article-{ArticlePage.objects.count() + 1}",
        date=date,
        lead=lead,
        body=[("paragraph", "<p>Текст новости.</p>")],
        category=category,
        live=publish,
        **fields,
    )
    index.add_child(instance=article)
    article.tags.set(list(tags))
    revision = article.save_revision()
    if publish:
        revision.publish()
    return article


def translate_article(article: ArticlePage, language: str, **fields) -> ArticlePage:
    copy = article.copy_for_translation(Locale.objects.get(language_code=language))
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.draft_title = copy.title
    copy.save_revision().publish()
    return copy


def build_comment(article: ArticlePage, *, status=Comment.Status.APPROVED, **fields) -> Comment:
    body = fields.pop("body", "Полезная новость, спасибо.")
    defaults = {"name": "Читатель", "email": "reader@example.com"}
    return Comment.objects.create(
        article=article,
        body=body,
        status=status,
        **{**defaults, **fields},
    )
