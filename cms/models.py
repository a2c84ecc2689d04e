"""Pages of the public site: home pages, plain pages, and the news.

News is ``ArticleIndexPage`` → ``ArticlePage``, one index per language. Articles have
authors (``Person`` snippets), a category, tags, regions and related courses; readers
leave comments that wait for moderation. Anonymous visitors get these pages from the
page cache (:mod:`cms.page_cache`).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from base.blocks import BaseStreamBlock
from base.text import comment_html
from cms import page_cache
from cms.blocks import ArticleStreamBlock
from cms.feeds import article_feed
from cms.page_forms import CommentForm
from lms.pagination import paginate
from lms.security import client_ip

ARTICLES_PER_PAGE = 10
# Slugs an article may not take: they are the index page's own routes.
RESERVED_SLUGS = {"tag", "category", "rss", "atom"}


class Person(TranslatableMixin, models.Model):
    """An author of news: a press officer, a trainer, a guest writer."""

    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldPanel("name"), FieldPanel("role"), FieldPanel("photo")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ArticleCategory(TranslatableMixin, models.Model):
    """What kind of news an article is: seminars, forums, press releases, announcements."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, allow_unicode=False)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("news category")
        verbose_name_plural = _("news categories")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["locale", "slug"], name="category_slug_per_locale")
        ]

    def __str__(self) -> str:
        return self.name


class HomePage(Page):
    """The root of one language's site (one per locale, linked as translations)."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.StandardPage", "cms.ArticleIndexPage", "courses.CourseIndexPage"]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        from cms import selectors

        context = super().get_context(request, *args, **kwargs)
        context["news_index"] = selectors.news_index_for(locale_id=self.locale_id)
        context["latest_articles"] = selectors.latest_articles(locale_id=self.locale_id)
        context["courses"] = selectors.catalogue_courses(locale_id=self.locale_id)
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        return page_cache.cacheable(request, response, public=True)

    @property
    def localized(self):
        """This home page in the active language, as Wagtail's ``localized`` finds it,
        but kept in the process until the next publish (routing starts here on every
        page request; see :mod:`cms.routing`)."""
        from cms.routing import localized_home

        return localized_home(self)

    def route(self, request, path_components):
        """Find a page deep in the tree in two queries, not two per level.

        Wagtail walks the path one level at a time; a lesson sits five levels down.
        All the pages on the path are fetched at once by their URL paths; anything
        unusual (a missing page, a route handled by a page's own ``route``) falls
        back to Wagtail's walk, which also answers the 404.
        """
        if not path_components:
            return super().route(request, path_components)
        url_paths = [
            f"{self.url_path}{'/'.join(path_components[:depth])}/"
            for depth in range(1, len(path_components) + 1)
        ]
        chain = list(
            Page.objects.filter(url_path__in=url_paths, path__startswith=self.path).order_by(
                "depth"
            )
        )
        if len(chain) != len(url_paths):
            return super().route(request, path_components)
        target = chain[-1].specific
        target._cached_parent_obj = chain[-2] if len(chain) > 1 else self
        return target.route(request, [])


class StandardPage(Page):
    """A plain content page: about the programme, contacts, accessibility statement."""

    intro = models.TextField(_("introduction"), blank=True, max_length=500)
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")


class ArticleIndexPage(RoutablePageMixin, Page):
    """The news of one language: the list, archives by month, tags, categories, feeds."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ArticlePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news index")
        verbose_name_plural = _("news indexes")

    def articles(self):
        from cms import selectors

        return selectors.index_articles(index=self)

    def get_context(self, request, *args, **kwargs):
        from cms import selectors

        context = super().get_context(request, *args, **kwargs)
        context["months"] = selectors.archive_months(index=self)
        context["categories"] = selectors.categories(locale_id=self.locale_id)
        context["popular"] = selectors.popular_articles(locale_id=self.locale_id)
        return context

    def get_cached_paths(self):
        """What a proxy keeps of the index: the list, its feeds and the category pages."""
        paths = ["/", "rss/", "atom/"]
        for slug in ArticleCategory.objects.filter(locale_id=self.locale_id).values_list(
            "slug", flat=True
        ):
            paths += [f"category/{slug}/", f"category/{slug}/rss/", f"category/{slug}/atom/"]
        return paths

    def _listing(
        self, request, queryset, *, heading: str = "", feed_base: str = "", allow_empty=True
    ):
        articles = paginate(request, queryset, per_page=ARTICLES_PER_PAGE, allow_empty=allow_empty)
        response = self.render(
            request,
            context_overrides={
                "articles": articles,
                "heading": heading,
                "feed_base": feed_base or self.get_url(request),
            },
        )
        return page_cache.cacheable(request, response, public=True)

    @path("")
    def news(self, request):
        return self._listing(request, self.articles())

    @path("<int:year>/")
    def archive_year(self, request, year: int):
        if not 1900 < year < 3000:
            raise Http404("No such year")
        articles = self.articles().filter(date__year=year)
        return self._listing(request, articles, heading=str(year), allow_empty=False)

    @path("<int:year>/<int:month>/")
    def archive_month(self, request, year: int, month: int):
        if not (1900 < year < 3000 and 1 <= month <= 12):
            raise Http404("No such month")
        articles = self.articles().filter(date__year=year, date__month=month)
        heading = f"{MONTHS[month]} {year}"
        return self._listing(request, articles, heading=heading, allow_empty=False)

    @path("tag/<str:tag>/")
    def tag(self, request, tag: str):
        name = Tag.objects.filter(slug=tag).values_list("name", flat=True).first()
        if name is None:
            raise Http404("No such tag")
        articles = self.articles().filter(tags__slug=tag)
        return self._listing(request, articles, heading=f"#{name}", allow_empty=False)

    def _category(self, slug: str) -> ArticleCategory:
        category = ArticleCategory.objects.filter(locale_id=self.locale_id, slug=slug).first()
        if category is None:
            raise Http404("No such category")
        return category

    @path("category/<slug:slug>/")
    def category(self, request, slug: str):
        category = self._category(slug)
        return self._listing(
            request,
            self.articles().filter(category=category),
            heading=category.name,
            feed_base=f"{self.get_url(request)}{self.reverse_subpage('category', args=[slug])}",
        )

    def _feed(self, request, kind: str, category: ArticleCategory | None = None):
        response = article_feed(request, index=self, kind=kind, category=category)
        return page_cache.cacheable(request, response, public=True)

    @path("rss/")
    def rss(self, request):
        return self._feed(request, "rss")

    @path("atom/")
    def atom(self, request):
        return self._feed(request, "atom")

    @path("category/<slug:slug>/rss/")
    def category_rss(self, request, slug: str):
        return self._feed(request, "rss", self._category(slug))

    @path("category/<slug:slug>/atom/")
    def category_atom(self, request, slug: str):
        return self._feed(request, "atom", self._category(slug))


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "cms.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticlePage(RoutablePageMixin, Page):
    """A news report, press release or announcement."""

    date = models.DateField(_("publication date"), default=timezone.localdate, db_index=True)
    lead = models.TextField(
        _("lead paragraph"),
        max_length=500,
        help_text=_("One or two sentences that say what happened; shown in lists and feeds."),
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cover_caption = models.CharField(_("cover caption"), max_length=300, blank=True)
    cover_credit = models.CharField(_("cover photo credit"), max_length=200, blank=True)
    body = StreamField(ArticleStreamBlock(), verbose_name=_("body"))
    category = models.ForeignKey(
        ArticleCategory,
        verbose_name=pgettext_lazy("news", "category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True, verbose_name=_("tags"))
    regions = ParentalManyToManyField(
        "lms.Region", verbose_name=_("related regions"), blank=True, related_name="+"
    )
    comments_open = models.BooleanField(_("comments are open"), default=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("lead"),
        MultiFieldPanel(
            [FieldPanel("cover_image"), FieldPanel("cover_caption"), FieldPanel("cover_credit")],
            heading=_("Cover"),
        ),
        FieldPanel("body"),
        InlinePanel("article_authors", label=_("Authors")),
        MultiFieldPanel(
            [FieldPanel("category"), FieldPanel("tags"), FieldPanel("regions")],
            heading=_("Classification"),
        ),
        InlinePanel("related_courses", label=_("Related courses")),
        FieldPanel("comments_open"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    parent_page_types = ["cms.ArticleIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS or self.slug.isdigit():
            raise ValidationError(
                {"slug": _("This address is used by the news index; choose another.")}
            )

    def get_context(self, request, *args, **kwargs):
        from cms import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.article_context(article=self, request=request))
        context.setdefault("comment_form", CommentForm())
        return context

    @path("")
    def article(self, request):
        response = self.render(request)
        # The comment form carries a per-visitor CSRF token: a shared proxy must not keep it.
        return page_cache.cacheable(
            request, response, public=not self.comments_open, article_id=self.pk
        )

    def _with_comment_form(self, request, form, status: int, error: str = ""):
        response = self.render(
            request, context_overrides={"comment_form": form, "comment_error": error}
        )
        response.status_code = status
        return response

    @path("comments/")
    def post_comment(self, request):
        """Take a comment (or a reply) for moderation, then back to the article."""
        from cms import services

        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        form = CommentForm(request.POST)
        if not form.is_valid():
            return self._with_comment_form(request, form, 400)
        data = form.cleaned_data
        try:
            services.comment_submit(
                article=self,
                name=data["name"],
                email=data["email"],
                body=data["body"],
                parent_id=data["parent"],
                honeypot=data["website"],
                seconds_on_form=page_cache.seconds_since_started(request.POST.get("started", "")),
                ip_address=client_ip(request) or None,
            )
        except services.CommentsClosed:
            return self._with_comment_form(
                request, form, 403, gettext("Comments on this article are closed.")
            )
        except services.CommentTooSoon:
            # Nothing is kept: the form comes back with the text and a new start time.
            return self._with_comment_form(
                request,
                form,
                400,
                gettext(
                    "Your comment was sent within seconds of opening the page, as spam robots "
                    "do, so it was not accepted. Your text is below: please send it again."
                ),
            )
        except services.CommentRateLimited:
            response = self._with_comment_form(
                request,
                form,
                429,
                gettext("You have sent several comments in a short time. Please try again later."),
            )
            response["Retry-After"] = "600"
            return response
        except ValidationError as error:
            form.add_error(None, error)
            return self._with_comment_form(request, form, 400)
        messages.success(
            request,
            gettext(
                "Thank you. Your comment is awaiting moderation and will appear once approved."
            ),
        )
        return redirect(f"{self.get_url(request)}#comments", permanent=False)

    @path("comments/<int:comment_id>/reply/")
    def reply_to_comment(self, request, comment_id: int):
        """A page with one approved comment and a form to answer it."""
        from cms import selectors

        if request.method not in ("GET", "HEAD") or not self.comments_open:
            raise Http404
        parent = selectors.reply_parent(article=self, comment_id=comment_id)
        if parent is None:
            raise Http404("No such comment")
        form = CommentForm(initial={"parent": parent.pk})
        context = {"page": self, "self": self, "parent": parent, "comment_form": form}
        response = TemplateResponse(request, "cms/comment_reply.html", context)
        response["X-Robots-Tag"] = "noindex"
        return response

    def comments_url(self, request=None) -> str:
        return f"{self.get_url(request)}{self.reverse_subpage('post_comment')}"


class ArticleAuthor(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="article_authors")
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("person")]


class ArticleRelatedCourse(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="related_courses")
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("course")]


class ArticleDailyViews(models.Model):
    """Views of an article on one day, folded in from the cache (see cms.services)."""

    page = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="daily_views")
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "day"], name="one_view_count_per_day")
        ]
        indexes = [models.Index(fields=["day", "page"])]


class Comment(models.Model):
    """A reader's comment on an article. Shown only once a moderator approves it.

    The e-mail is for moderators only: it is never rendered on a public page.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting moderation")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        SPAM = "spam", _("spam")

    article = models.ForeignKey(
        ArticlePage, verbose_name=_("article"), on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    name = models.CharField(_("name"), max_length=80)
    email = models.EmailField(_("e-mail"))
    body = models.TextField(_("comment"))  # plain text, cleaned with bleach
    body_html = models.TextField(editable=False)  # ``body`` escaped, links nofollow ugc
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now, db_index=True)
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["article", "status", "created_at"])]

    def save(self, *args, **kwargs):
        # Rendered once here rather than on every page view: a thousand comments would
        # otherwise be linkified on each render of an article.
        self.body_html = comment_html(self.body)
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        excerpt = self.body[:60] + ("…" if len(self.body) > 60 else "")
        return f"{self.name}: {excerpt}"
