"""The demo seed's home pages: brought back to their first title, at SITE_URL's address."""

from wagtail.models import Site

from demo.news import seed_home_pages


def test_the_demo_seed_still_refreshes_its_home_pages(db, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    home = seed_home_pages()
    home.title = "Другое"
    home.save_revision().publish()
    assert seed_home_pages().title == "Академия сельских акимов"
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8000)
