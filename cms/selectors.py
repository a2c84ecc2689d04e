"""Reads for the public pages, each a fixed number of queries however much news there is."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import get_language
from wagtail.images import get_image_model

from cms.models import (
    ArticleCategory,
    ArticleIndexPage,
    ArticlePage,
    Comment,
)
from courses.models import CoursePage
from lms.i18n import page_translations
from lms.links import absolute_url

POPULAR_DAYS = 30
OG_LOCALES = {"kk": "kk_KZ", "ru": "ru_RU", "en": "en_US"}


def _renditions(lookup: str) -> Prefetch:
    """The renditions of the images behind ``lookup``, fetched in one query."""
    return Prefetch(lookup, queryset=get_image_model().get_rendition_model().objects.all())


def _with_covers(queryset: QuerySet) -> QuerySet:
    """Articles with their category and cover image renditions: no query per card."""
    return queryset.select_related("category", "cover_image").prefetch_related(
        _renditions("cover_image__renditions")
    )


def _published(locale_id: int) -> QuerySet:
    return ArticlePage.objects.live().public().filter(locale_id=locale_id)


def index_articles(*, index: ArticleIndexPage) -> QuerySet:
    """The index's published articles, newest first."""
    return _with_covers(ArticlePage.objects.child_of(index).live().public()).order_by(
        "-date", "-first_published_at", "-pk"
    )


def news_index_for(*, locale_id: int) -> ArticleIndexPage | None:
    return ArticleIndexPage.objects.live().filter(locale_id=locale_id).first()


def latest_articles(*, locale_id: int, limit: int = 3) -> list[ArticlePage]:
    return list(
        _with_covers(_published(locale_id)).order_by("-date", "-first_published_at", "-pk")[:limit]
    )


def catalogue_courses(*, locale_id: int, limit: int = 6) -> list:
    return list(
        CoursePage.objects.live()
        .public()
        .filter(locale_id=locale_id)
        .only("id", "title", "path", "url_path", "depth", "summary", "academic_hours")
        .order_by("path")[:limit]
    )


def archive_months(*, index: ArticleIndexPage) -> list[date]:
    """The months that have news, newest first (one query)."""
    return list(
        ArticlePage.objects.child_of(index).live().public().dates("date", "month", order="DESC")
    )


def categories(*, locale_id: int) -> list[ArticleCategory]:
    return list(ArticleCategory.objects.filter(locale_id=locale_id).order_by("name"))


def popular_articles(
    *, locale_id: int, limit: int = 5, days: int = POPULAR_DAYS, today: date | None = None
) -> list[ArticlePage]:
    """The most read articles of the last ``days`` days (views counted by cms.services)."""
    since = (today or timezone.localdate()) - timedelta(days=days)
    return list(
        _published(locale_id)
        .annotate(recent_views=Sum("daily_views__views", filter=Q(daily_views__day__gte=since)))
        .filter(recent_views__gt=0)
        .order_by("-recent_views", "-date")
        .only("id", "title", "path", "url_path", "depth", "date")[:limit]
    )


def read_also(*, article: ArticlePage, tag_ids: list[int], limit: int = 4) -> list[ArticlePage]:
    """Articles of the same language sharing a tag or the category, newest first."""
    related = Q()
    if tag_ids:
        related |= Q(tagged_items__tag_id__in=tag_ids)
    if article.category_id:
        related |= Q(category_id=article.category_id)
    if not related:
        return []
    ids = (
        _published(article.locale_id)
        .exclude(pk=article.pk)
        .filter(related)
        .values_list("pk", flat=True)
        .distinct()
    )
    return list(
        ArticlePage.objects.filter(pk__in=ids)
        .order_by("-date", "-pk")
        .only("id", "title", "path", "url_path", "depth", "date")[:limit]
    )


@dataclass
class CommentThread:
    comment: Comment
    replies: list[Comment] = field(default_factory=list)


def comment_tree(*, article: ArticlePage) -> list[CommentThread]:
    """Approved comments, oldest first, with their approved replies (one level deep).

    The e-mail is not even loaded: it is never shown.
    """
    comments = (
        Comment.objects.filter(article=article, status=Comment.Status.APPROVED)
        .only("id", "parent_id", "name", "body_html", "created_at")
        .order_by("created_at", "pk")
    )
    threads: dict[int, CommentThread] = {}
    replies: list[Comment] = []
    for comment in comments:
        if comment.parent_id is None:
            threads[comment.pk] = CommentThread(comment=comment)
        else:
            replies.append(comment)
    for reply in replies:
        if reply.parent_id in threads:
            threads[reply.parent_id].replies.append(reply)
    return list(threads.values())


def reply_parent(*, article: ArticlePage, comment_id: int) -> Comment | None:
    """The approved top-level comment of ``article`` a reader may answer."""
    return (
        Comment.objects.filter(
            pk=comment_id, article=article, parent__isnull=True, status=Comment.Status.APPROVED
        )
        .only("id", "name", "body_html", "created_at")
        .first()
    )


def article_context(*, article: ArticlePage, request) -> dict:
    """Everything an article page shows besides its own fields."""
    tags = list(article.tags.all())
    course_keys = list(article.related_courses.values_list("course__translation_key", flat=True))
    courses = []
    if course_keys:
        courses = list(
            CoursePage.objects.live()
            .public()
            .filter(translation_key__in=course_keys, locale_id=article.locale_id)
            .only("id", "title", "path", "url_path", "depth", "academic_hours")
        )
    threads = comment_tree(article=article)
    canonical_url = absolute_url(article.get_url(request))
    og_image = None
    if article.cover_image_id:
        rendition = article.cover_image.get_rendition("fill-1200x630|format-jpeg")
        og_image = absolute_url(rendition.url)
    authors = [
        author.person
        for author in article.article_authors.select_related(
            "person", "person__photo"
        ).prefetch_related(_renditions("person__photo__renditions"))
    ]
    own = page_translations(article, request)[0]
    language = get_language()
    return {
        "other_languages": [
            {"code": code, "name": name, "url": own[code]}
            for code, name in settings.LANGUAGES
            if code in own and code != language
        ],
        "og_locale": OG_LOCALES.get(language, language),
        "canonical_url": canonical_url,
        "og_image": og_image,
        "authors": authors,
        "tags": tags,
        "regions": list(article.regions.all()),
        "category": article.category,
        "related_courses": courses,
        "read_also": read_also(article=article, tag_ids=[tag.pk for tag in tags]),
        "comment_threads": threads,
        "comment_count": sum(1 + len(thread.replies) for thread in threads),
        "schema": schema_org(article=article, authors=authors, url=canonical_url, image=og_image),
    }


def _publisher_name() -> str:
    """The Academy's name in the page's language."""
    names = settings.CERTIFICATE_ISSUER_NAMES
    return names.get((get_language() or "")[:2]) or settings.CERTIFICATE_ISSUER


def schema_org(*, article: ArticlePage, authors: list, url: str, image: str | None) -> dict:
    """schema.org ``NewsArticle`` data for search engines and link previews."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": article.lead,
        "datePublished": article.date.isoformat(),
        "dateModified": (article.last_published_at or timezone.now()).isoformat(),
        "inLanguage": get_language(),
        "mainEntityOfPage": url,
        "author": [{"@type": "Person", "name": person.name} for person in authors],
        "publisher": {"@type": "Organization", "name": _publisher_name()},
    }
    if image:
        data["image"] = [image]
    return data
