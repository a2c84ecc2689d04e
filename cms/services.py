"""Rules of the public site: its home pages and Site, comments and their moderation,
and counting article views."""

from __future__ import annotations

import atexit
import functools
import re
import threading
import time
from collections import Counter
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page, Site

from base.text import strip_markup
from cms import page_cache
from cms.models import ArticleDailyViews, ArticlePage, Comment, HomePage
from cms.receivers import purge_articles
from lms.security import log_event, rate_limited

# Below this many seconds between serving the form and posting it, it was not a person.
COMMENT_MIN_SECONDS = 3
VIEW_KEY = "article-views:{}"
BOT_AGENTS = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|monitor|"
    r"curl|wget|python-requests|httpx|go-http-client|java/|libwww|scrapy|headlesschrome",
    re.IGNORECASE,
)


# Home pages and the Site ----------------------------------------------------------------

# The first title and text of each language's home page; editors change them later.
HOME_CONTENT = {
    "ru": {
        "title": "Академия сельских акимов",
        "intro": (
            "<p>Онлайн-школа для избранных сельских акимов Казахстана: бюджет села, "
            "государственные закупки, управление проектами и работа с жителями. "
            "Учитесь с телефона, в своём темпе, и получайте сертификат, который "
            "может проверить любой.</p>"
        ),
    },
    "kk": {
        "title": "Ауыл әкімдері академиясы",
        "intro": (
            "<p>Қазақстанның сайланған ауыл әкімдеріне арналған онлайн-мектеп: ауыл "
            "бюджеті, мемлекеттік сатып алу, жобаларды басқару және тұрғындармен жұмыс. "
            "Телефоннан, өз қарқыныңызбен оқып, кез келген адам тексере алатын "
            "сертификат алыңыз.</p>"
        ),
    },
    "en": {
        "title": "Academy for Rural Akims",
        "intro": (
            "<p>An online school for Kazakhstan's elected rural akims: the village "
            "budget, public procurement, project management and working with residents. "
            "Learn from your phone at your own pace and earn a certificate that anyone "
            "can verify.</p>"
        ),
    },
}


class SiteNotEmpty(Exception):
    """The page tree already has a root that is not ours; nothing is changed."""


def _publish_home(page: HomePage, *, title: str, intro: str, refresh: bool) -> bool:
    """Publish a home page that is not live, or (``refresh``) whose title or text
    differs from ``HOME_CONTENT``. Whether it published."""
    if page.live and not (refresh and (page.title != title or page.intro != intro)):
        return False
    page.title = page.draft_title = title
    page.intro = intro
    page.save_revision().publish()
    return True


@transaction.atomic
def home_pages_ensure(*, hostname: str, port: int, refresh: bool = False) -> HomePage:
    """The Russian home page as the root of the default Site, with Kazakh and English
    translations beside it; the Site answers at ``hostname``:``port``.

    Creates only what is missing, so running it again changes nothing, and an
    editor's later changes to the pages stay (``refresh`` brings them back to
    ``HOME_CONTENT``, as the demo seed wants). Wagtail's empty "Welcome" placeholder is
    replaced; any other root page means the tree is someone's work, and
    :class:`SiteNotEmpty` is raised before anything changes.
    """
    russian = Locale.objects.get(language_code="ru")
    home = HomePage.objects.filter(depth=2, locale=russian).first()
    if home is None:
        others = Page.objects.filter(depth=2)
        placeholder = others.filter(content_type__model="page", numchild=0)
        if others.exclude(pk__in=placeholder).exists():
            raise SiteNotEmpty(
                "The page tree already has a root page that is not a home page: "
                + ", ".join(others.exclude(pk__in=placeholder).values_list("title", flat=True))
            )
        # The placeholder holds the slug we want; deleting it deletes its Site too.
        placeholder.delete()
        home = HomePage(slug="home", locale=russian, **HOME_CONTENT["ru"])
        Page.get_first_root_node().add_child(instance=home)
        home.save_revision().publish()
    for code in ("kk", "en"):
        translation = home.get_translation_or_none(Locale.objects.get(language_code=code))
        if translation is None:
            translation = home.copy_for_translation(Locale.objects.get(language_code=code))
        _publish_home(translation.specific, **HOME_CONTENT[code], refresh=refresh)
    _publish_home(home, **HOME_CONTENT["ru"], refresh=refresh)
    _site_ensure(home=home, hostname=hostname, port=port, refresh=refresh)
    return home


def _site_ensure(*, home: HomePage, hostname: str, port: int, refresh: bool) -> Site:
    site = Site.objects.filter(is_default_site=True).first()
    wanted = {"hostname": hostname, "port": port, "root_page_id": home.pk}
    if refresh or site is None:
        wanted["site_name"] = HOME_CONTENT["ru"]["title"]
    if site is None:
        return Site.objects.create(is_default_site=True, **wanted)
    changed = [name for name, value in wanted.items() if getattr(site, name) != value]
    if changed:
        for name in changed:
            setattr(site, name, wanted[name])
        site.save(update_fields=[name.removesuffix("_id") for name in changed])
    return site


class CommentsClosed(Exception):
    """The article takes no more comments."""


class CommentRateLimited(Exception):
    """Too many comments from one address in a short time."""


class CommentTooSoon(Exception):
    """The form was sent sooner after the page opened than a person writes: the
    sender is told, so that a quick person can send it again."""


def comment_submit(
    *,
    article: ArticlePage,
    name: str,
    email: str,
    body: str,
    ip_address: str | None,
    parent_id: int | None = None,
    honeypot: str = "",
    seconds_on_form: float | None = None,
) -> Comment | None:
    """Keep a reader's comment for moderation.

    Returns ``None`` when the post is automated (the hidden field filled in, or the
    form's start time missing or forged): the sender is told the same as anyone, and
    nothing is stored. Raises :class:`CommentTooSoon` when the form came back within
    COMMENT_MIN_SECONDS (a person may be that quick, and is told), :class:`CommentsClosed`
    or :class:`CommentRateLimited`, or ``ValidationError`` for a reply to something that
    is not an approved comment of this article. Posts are counted per ``ip_address``
    (at most COMMENT_RATE in COMMENT_RATE_SECONDS).
    """
    if not article.comments_open:
        raise CommentsClosed
    if honeypot or seconds_on_form is None:
        log_event("comment_discarded", actor="anonymous", article=article.pk)
        return None
    if seconds_on_form < COMMENT_MIN_SECONDS:
        log_event("comment_too_soon", actor="anonymous", article=article.pk)
        raise CommentTooSoon
    if rate_limited(
        "comment",
        address=ip_address,
        limit=settings.COMMENT_RATE,
        seconds=settings.COMMENT_RATE_SECONDS,
    ):
        raise CommentRateLimited
    parent = None
    if parent_id is not None:
        parent = Comment.objects.filter(
            pk=parent_id, article=article, parent__isnull=True, status=Comment.Status.APPROVED
        ).first()
        if parent is None:
            raise ValidationError(_("The comment you are replying to is not there."))
    text = strip_markup(body)
    comment = Comment(
        article=article,
        parent=parent,
        name=strip_markup(name)[:80],
        email=email,
        body=text,
        ip_address=ip_address,
    )
    comment.full_clean()
    comment.save()
    log_event("comment_submit", actor="anonymous", article=article.pk, comment=comment.pk)
    return comment


def comment_moderate(*, comments: Iterable[Comment], status: str, moderator) -> int:
    """Approve, reject or mark comments as spam; returns how many changed.

    A change to what is shown (approving, or withdrawing an approved comment) makes
    the cached pages stale, so readers see it on their next request.
    """
    if status not in Comment.Status.values or status == Comment.Status.PENDING:
        raise ValueError(f"Not a moderation decision: {status!r}")
    ids = [comment.pk for comment in comments]
    with transaction.atomic():
        changing = list(
            Comment.objects.select_for_update()
            .filter(pk__in=ids)
            .exclude(status=status)
            .values_list("pk", "status", "article_id")
        )
        Comment.objects.filter(pk__in=[pk for pk, _status, _article in changing]).update(
            status=status, moderated_at=timezone.now(), moderated_by=moderator
        )
    shown_changed = [
        article_id for _pk, old, article_id in changing if Comment.Status.APPROVED in (old, status)
    ]
    if shown_changed:
        _pages_changed(set(shown_changed))
    for pk, _old, _article in changing:
        log_event(
            "comment_moderate", actor=getattr(moderator, "email", ""), comment=pk, status=status
        )
    return len(changing)


def _pages_changed(article_ids: set[int]) -> None:
    page_cache.invalidate()
    purge_articles(ArticlePage.objects.filter(pk__in=article_ids))


@functools.lru_cache(maxsize=2048)  # a crowd's browsers send few distinct agent strings
def is_bot(agent: str) -> bool:
    return not agent or bool(BOT_AGENTS.search(agent))


class _ViewBuffer:
    """Views counted in this process, added to the shared counters every few seconds.

    A read then costs no database write and, most of the time, no cache round trip
    either. Counts not yet flushed when a process stops are lost, which popularity
    can afford.
    """

    def __init__(self) -> None:
        self.counts: Counter[int] = Counter()
        self.flushed_at = time.monotonic()
        self.lock = threading.Lock()

    def add(self, article_id: int) -> None:
        with self.lock:
            self.counts[article_id] += 1
            due = time.monotonic() - self.flushed_at >= settings.ARTICLE_VIEWS_FLUSH_SECONDS
        if due:
            self.flush()

    def flush(self) -> None:
        with self.lock:
            counts, self.counts = self.counts, Counter()
            self.flushed_at = time.monotonic()
        for article_id, views in counts.items():
            key = VIEW_KEY.format(article_id)
            if not cache.add(key, views, None):
                try:
                    cache.incr(key, views)
                except ValueError:  # evicted in between
                    cache.set(key, views, None)


_views = _ViewBuffer()
atexit.register(_views.flush)


def article_view_record(*, article_id: int, method: str, user_agent: str) -> None:
    """Count a reader's view of an article: no database write per request.

    Bots, and HEAD requests, are not readers. Views gather in this process and go to
    the shared cache every ``ARTICLE_VIEWS_FLUSH_SECONDS``; :func:`article_views_fold`
    moves them into the database.
    """
    if method != "GET" or is_bot(user_agent):
        return
    _views.add(article_id)


def article_views_fold(*, today: date | None = None, chunk: int = 500) -> int:
    """Add the views counted in the cache to today's totals; returns how many views.

    Each counter is decremented by what was folded, so views counted meanwhile are kept
    for the next run.
    """
    _views.flush()
    today = today or timezone.localdate()
    ids = list(ArticlePage.objects.values_list("pk", flat=True))
    folded = 0
    for start in range(0, len(ids), chunk):
        keys = {VIEW_KEY.format(pk): pk for pk in ids[start : start + chunk]}
        counts = cache.get_many(list(keys))
        for key, views in counts.items():
            if not views:
                continue
            page_id = keys[key]
            with transaction.atomic():
                row, _created = ArticleDailyViews.objects.get_or_create(page_id=page_id, day=today)
                ArticleDailyViews.objects.filter(pk=row.pk).update(views=F("views") + views)
            try:
                cache.decr(key, views)
            except ValueError:  # evicted meanwhile, or the cache stopped answering
                pass
            folded += views
    return folded
