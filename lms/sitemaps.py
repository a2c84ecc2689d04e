from collections import defaultdict

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class MultilingualSitemap(Sitemap):
    """Wagtail's sitemap lists one language's tree; ours lists every language's, and
    links each page to its translations (``hreflang`` alternates)."""

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

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        # Every language's pages are in this list: group them by translation key.
        by_key = defaultdict(list)
        for item in self.paginator.page(page).object_list:
            by_key[item.translation_key].append(item)
        locations = {}
        for item in self.paginator.page(page).object_list:
            for url in item.get_sitemap_urls(self.request):
                locations[url["location"]] = item
        for url in urls:
            item = locations.get(url["location"])
            siblings = by_key.get(item.translation_key, []) if item else []
            if len(siblings) > 1:
                url["alternates"] = [
                    {
                        "lang_code": sibling.locale.language_code,
                        "location": sibling.get_full_url(self.request),
                    }
                    for sibling in siblings
                ]
        return urls
