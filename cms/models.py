"""Pages of the public site: the home page of each language and plain content pages."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import BaseStreamBlock


class HomePage(Page):
    """The root of one language's site (one per locale, linked as translations)."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.StandardPage", "courses.CourseIndexPage"]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

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
