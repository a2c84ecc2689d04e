"""Demo home pages for ``seed_demo``: one per language, linked as translations."""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Locale, Page, Site

from cms.models import HomePage

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


def _publish(page: Page, *, title: str, intro: str) -> None:
    if page.title != title or page.intro != intro or not page.live:
        page.title = title
        page.draft_title = title
        page.intro = intro
        page.save_revision().publish()


@transaction.atomic
def seed_home_pages() -> HomePage:
    """The Russian home page as the site root, with Kazakh and English translations."""
    root = Page.get_first_root_node()
    russian = Locale.objects.get(language_code="ru")
    home = HomePage.objects.filter(depth=2, locale=russian).first()
    if home is None:
        # Wagtail's "Welcome" placeholder holds the slug we want; the site is re-pointed below.
        Page.objects.filter(depth=2, content_type__model="page").delete()
        content = HOME_CONTENT["ru"]
        home = HomePage(slug="home", locale=russian, **content)
        root.add_child(instance=home)
        home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "site_name": HOME_CONTENT["ru"]["title"],
            "root_page": home,
        },
    )
    for code in ("kk", "en"):
        locale = Locale.objects.get(language_code=code)
        translation = home.get_translation_or_none(locale)
        if translation is None:
            translation = home.copy_for_translation(locale)
        _publish(translation.specific, **HOME_CONTENT[code])
    _publish(home, **HOME_CONTENT["ru"])
    return home
