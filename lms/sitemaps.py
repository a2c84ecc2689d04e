from collections import defaultdict

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from lms.links import rebased


class MultilingualSitemap(Sitemap):
    """Wagtail's sitemap lists one language's tree; ours lists every language's, and
    links each page to its translations (``hreflang`` alternates). Every address is on
    SITE_URL, whatever the request's host or the Site record say."""

    def items(self):
        roots = self.get_wagtail_site().root_page.get_translations(inclusive=True)
        in_a_tree = Q()
        for root in roots.only("path"):
            in_a_tree |= Q(path__startswith=root.path)
        return (
            Page.objects.filter(in_a_tree)
            .live()
            .public()
            .select_related("locale")
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    @staticmethod
    def _on_site_url(urls: list[dict]) -> list[dict]:
        """Wagtail makes each location from the Site record; the sitemap names SITE_URL."""
        return [{**url, "location": rebased(url["location"])} for url in urls]

    def _urls(self, page, protocol, domain):
        """Wagtail's URL entries, with each page's translations as alternates.

        Every language's pages are in the same list, so translations are found by
        grouping it by translation key (within one sitemap page of 50,000 URLs).
        """
        entries = [
            (item, self._on_site_url(item.get_sitemap_urls(self.request)))
            for item in self.paginator.page(page).object_list
        ]
        by_key = defaultdict(list)
        for item, urls in entries:
            if urls:
                by_key[item.translation_key].append(
                    {"lang_code": item.locale.language_code, "location": urls[0]["location"]}
                )
        result = []
        for item, urls in entries:
            alternates = by_key[item.translation_key]
            for url in urls:
                if len(alternates) > 1:
                    url["alternates"] = alternates
                result.append(url)
        last_mods = {url.get("lastmod") for url in result}
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return result
