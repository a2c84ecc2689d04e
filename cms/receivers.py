"""Keeping cached pages fresh: the page cache and, when one is configured, a proxy's cache.

Any publish, unpublish, move or deletion of a page, and any edit of an author, a
category, an image or a document, makes every page in the server-side cache stale (one
generation bump: news appears on the home page, the index, archives, tags and feeds at
once). When a front-end proxy is configured (``WAGTAILFRONTENDCACHE``), an article's
change also purges the lists that show it; Wagtail purges the article itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms import page_cache
from cms.models import ArticleCategory, ArticlePage, Person


def purge_articles(articles: Iterable[ArticlePage]) -> None:
    """Purge the proxy's copies of the lists that show these articles."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    batch = PurgeBatch()
    for article in articles:
        batch.add_page(article)
        index = article.get_parent()
        if index is None:
            continue
        index = index.specific
        batch.add_page(index)
        batch.add_page(index.get_parent())
        base = index.get_full_url(batch)
        if base:
            batch.add_urls(
                [f"{base}{article.date:%Y}/", f"{base}{article.date:%Y/%m}/"]
                + [f"{base}tag/{tag.slug}/" for tag in article.tags.all()]
            )
    batch.purge()


@receiver(page_published)
@receiver(page_unpublished)
def _page_changed(sender, instance, **kwargs) -> None:
    page_cache.invalidate()
    if isinstance(instance, ArticlePage):
        purge_articles([instance])


# What saving a draft writes to the page row: nothing the public sees.
DRAFT_FIELDS = {
    "wagtail_admin_comments",
    "latest_revision_created_at",
    "draft_title",
    "latest_revision",
    "has_unpublished_changes",
    "locked",
    "locked_at",
    "locked_by",
}


@receiver(post_save)
def _page_saved(sender, instance, update_fields=None, **kwargs) -> None:
    """A page saved live without a publish (a translation copied live, a page built
    by a command) changes the tree that menus, language links and routing keep; a
    draft saved in the admin does not."""
    if not isinstance(instance, Page):
        return
    if update_fields is not None and set(update_fields) <= DRAFT_FIELDS:
        return
    page_cache.invalidate()


@receiver(post_page_move)
def _page_moved(sender, instance, **kwargs) -> None:
    page_cache.invalidate()


@receiver(post_delete)
def _page_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        page_cache.invalidate()


@receiver(post_save, sender=Person)
@receiver(post_save, sender=ArticleCategory)
@receiver(post_delete, sender=Person)
@receiver(post_delete, sender=ArticleCategory)
def _snippet_changed(sender, **kwargs) -> None:
    page_cache.invalidate()


@receiver(post_save, sender=get_image_model())
@receiver(post_delete, sender=get_image_model())
@receiver(post_save, sender=get_document_model())
@receiver(post_delete, sender=get_document_model())
def _media_changed(sender, **kwargs) -> None:
    """Pages kept rendered (the lessons' bodies, stored pages) show an image's
    renditions and a document's title and size: an edit must reach them."""
    page_cache.invalidate()


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def _site_changed(sender, **kwargs) -> None:
    """The Site and home pages that routing keeps (cms.routing), and pages stored
    before a page was restricted, must not outlive the change."""
    page_cache.invalidate()
