"""RSS and Atom feeds of one language's news, and of one category.

Every link is on SITE_URL (lms/links.py): feed readers keep them, and neither the
request's host nor the Wagtail Site record may decide what they say."""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from lms.links import absolute_url, page_url

if TYPE_CHECKING:  # the pages import this module to answer their feed routes
    from cms.models import ArticleCategory, ArticleIndexPage, ArticlePage

FEED_ITEMS = 20


class ArticleFeed(Feed):
    def __init__(
        self, *, index: ArticleIndexPage, kind: str, category: ArticleCategory | None
    ) -> None:
        super().__init__()
        self.index = index
        self.category = category
        self.feed_type = Atom1Feed if kind == "atom" else Rss201rev2Feed

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self) -> str:
        if self.category:
            return f"{self.index.title}: {self.category.name}"
        return self.index.title

    def link(self) -> str:
        return page_url(self.index, self.request)

    def feed_url(self) -> str:
        return absolute_url(self.request.path)

    def description(self) -> str:
        return self.title()

    subtitle = description

    def items(self):
        articles = self.index.articles()
        if self.category:
            articles = articles.filter(category=self.category)
        return articles.prefetch_related("tagged_items__tag")[:FEED_ITEMS]

    def item_title(self, item: ArticlePage) -> str:
        return item.title

    def item_description(self, item: ArticlePage) -> str:
        return item.lead

    def item_link(self, item: ArticlePage) -> str:
        return page_url(item, self.request)

    def item_guid(self, item: ArticlePage) -> str:
        return page_url(item, self.request)

    def item_pubdate(self, item: ArticlePage) -> datetime:
        return timezone.make_aware(datetime.combine(item.date, time(9, 0)))

    def item_updateddate(self, item: ArticlePage) -> datetime | None:
        return item.last_published_at

    def item_categories(self, item: ArticlePage) -> list[str]:
        names = [tagged.tag.name for tagged in item.tagged_items.all()]
        if item.category:
            names.insert(0, item.category.name)
        return names


def article_feed(
    request: HttpRequest,
    *,
    index: ArticleIndexPage,
    kind: str,
    category: ArticleCategory | None = None,
) -> HttpResponse:
    return ArticleFeed(index=index, kind=kind, category=category)(request)
