"""The installable site: manifest, service worker, offline page, sign-out clearing."""

from __future__ import annotations

import json

import pytest

from tests.factories import UserFactory


def test_manifest_is_valid_json_per_language(client, db):
    response = client.get("/manifest.webmanifest?lang=kk")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    body = json.loads(response.content)
    assert body["lang"] == "kk"
    assert body["start_url"] == "/kk/dashboard/"
    assert body["scope"] == "/"
    assert body["display"] == "standalone"
    assert body["theme_color"] == "#00597a"
    assert body["name"] == "Әкімдер академиясы" or body["name"] != "Akim Academy"
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in body["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in body["icons"]:
        assert client.get(icon["src"]).status_code == 200


@pytest.mark.parametrize("language", ["ru", "en"])
def test_manifest_names_in_each_language(client, db, language):
    body = json.loads(client.get(f"/manifest.webmanifest?lang={language}").content)
    assert body["lang"] == language
    assert (body["name"] == "Akim Academy") == (language == "en")


def test_manifest_ignores_an_unknown_language(client, db):
    body = json.loads(client.get("/manifest.webmanifest?lang=<script>").content)
    assert body["lang"] in {"kk", "ru", "en"}


def test_service_worker_is_served_from_the_root_with_its_scope(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    text = response.content.decode()
    config = json.loads(text.split("const CONFIG = ", 1)[1].split(";\n", 1)[0])
    assert config["offlinePages"] == {
        "kk": "/kk/offline/",
        "ru": "/ru/offline/",
        "en": "/en/offline/",
    }
    assert config["maxAgeMs"] == 14 * 24 * 3600 * 1000
    assert "/static/css/site.css" in config["shell"]
    # the offline test answers' outbox, so Background Sync sends them with the page closed
    assert config["scripts"] == ["/static/quizzes/answer-outbox.js"]
    assert "importScripts(...CONFIG.scripts)" in text
    # precached without cookies: an offline page must not set the language cookie
    assert 'credentials: "omit"' in text


def test_service_worker_changes_with_the_settings(client, db, settings):
    first = client.get("/sw.js").content
    settings.OFFLINE_MAX_AGE_DAYS = 3
    second = client.get("/sw.js").content
    assert first != second
    assert b"259200000" in second


def test_pages_link_the_manifest_and_the_registration_script(client, db, home_pages):
    html = client.get("/en/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest?lang=en">' in html
    assert "/static/js/offline.js" in html
    assert "<script>" not in html  # no inline script: the CSP allows none


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_offline_page_shows_nothing_personal(client, db, home_pages, language):
    user = UserFactory(email="akim@example.com", full_name="Ерлан Сейітов")
    client.force_login(user)
    response = client.get(f"/{language}/offline/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ерлан" not in html and "lms-user" not in html
    assert "csrfmiddlewaretoken" not in html
    assert f'lang="{language}"' in html
    assert '<meta name="lms-offline-page" content="1">' in html


def test_offline_page_is_translated(client, db, home_pages):
    assert "No connection" in client.get("/en/offline/").content.decode()
    assert "No connection" not in client.get("/ru/offline/").content.decode()
    assert "No connection" not in client.get("/kk/offline/").content.decode()


def test_signed_in_pages_name_the_user_for_the_service_worker(client, db, home_pages):
    user = UserFactory(email="akim@example.com")
    client.force_login(user)
    assert f'<meta name="lms-user" content="{user.pk}">' in client.get("/en/").content.decode()


def test_sign_out_clears_what_the_site_stored(client, db):
    user = UserFactory(email="akim@example.com")
    client.force_login(user)
    response = client.post("/accounts/logout/", {"next": "/en/"})
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session
