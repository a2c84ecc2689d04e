"""The demo news: written for the project, in the languages each story exists in."""

from django.test import Client

from cms.models import ArticlePage, Comment
from demo.news import article_texts, news, seed_home_pages, seed_news


def test_demo_news_in_their_languages_with_pictures_and_comments(db):
    home = seed_home_pages()
    seed_news(home=home)
    seed_news(home=home)  # again: nothing doubles
    by_language = {
        code: set(
            ArticlePage.objects.filter(locale__language_code=code).values_list("slug", flat=True)
        )
        for code in ("kk", "ru", "en")
    }
    articles = news()["articles"]
    for article in articles:
        translations = article_texts(article["slug"])
        for code in ("kk", "ru", "en"):
            assert (article["slug"] in by_language[code]) == (code in translations)
    assert len(articles) >= 12
    press_release = [a for a in articles if a["category"] == "press-releases"]
    assert any(set(article_texts(a["slug"])) == {"kk", "ru"} for a in press_release)
    # Translations share their source's key, so the switcher links them.
    keys = ArticlePage.objects.filter(slug="akmola-programme-opens").values_list(
        "translation_key", flat=True
    )
    assert len(set(keys)) == 1 and len(keys) == 2
    assert not ArticlePage.objects.filter(cover_image__isnull=True).exists()
    assert Comment.objects.filter(status="pending").exists()
    assert Comment.objects.filter(status="approved", parent__isnull=False).exists()
    html = Client().get("/kk/news/akmola-programme-opens/").content.decode()
    assert 'hreflang="ru"' in html
