"""Content-Security-Policy and friends on public, learner and admin pages (QUALITY.md 2)."""

import re

import pytest


def _directives(header: str) -> dict[str, str]:
    return {
        part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2]
        for part in header.split(";")
        if part.strip()
    }


@pytest.mark.parametrize("path", ["/ru/", "/kk/", "/accounts/login/"])
def test_public_pages_enforce_a_strict_policy(client, home_pages, path):
    response = client.get(path)
    assert response.status_code == 200
    csp = _directives(response["Content-Security-Policy"])
    assert csp["frame-ancestors"] == "'none'"
    assert csp["script-src"] == "'self'"
    assert csp["object-src"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_learner_pages_enforce_the_policy(client, learners):
    client.force_login(learners["learner@example.com"])
    response = client.get("/ru/dashboard/")
    assert response.status_code == 200
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_admin_is_report_only(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
    assert "frame-ancestors 'self'" in response["Content-Security-Policy-Report-Only"]


def test_pages_carry_no_inline_script(client, home_pages):
    body = client.get("/ru/").content.decode()
    # only the site's one deferred file (it registers the offline service worker)
    assert re.findall(r"<script\b[^>]*>", body) == ['<script src="/static/js/offline.js" defer>']
    assert "</script>" in body and "<script>" not in body
    assert " style=" not in body


def test_video_players_may_be_framed_but_nothing_else(client, home_pages):
    """Lessons and articles embed YouTube or Vimeo players; other sites stay out."""
    sources = _directives(client.get("/ru/")["Content-Security-Policy"])["frame-src"].split()
    assert "'self'" in sources
    assert "https://www.youtube-nocookie.com" in sources and "https://player.vimeo.com" in sources
    assert "*" not in sources and "https:" not in sources
