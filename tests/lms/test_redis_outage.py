"""Redis is a performance component, not a single point of failure (QUALITY.md 28).

Every test here runs twice: with the cache on a closed port of 127.0.0.1 (refused at
once) and on a listener that accepts connections and never answers (each attempt
costs the socket timeout). Pages, sign-in, rate limits and lockout must go on.
"""

import time

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.test import Client

from certification import services as certification_services
from courses.models import LessonPage
from courses.services import enrolment_create
from tests.factories import PASSWORD, UserFactory
from tests.factories.cms import build_article, build_indexes
from tests.factories.courses import build_cohort, build_course


@pytest.fixture
def site(home_pages, redis_down):
    """News, a course with an enrolled learner holding a certificate, all built while
    Redis is down (publishing must not fail either)."""
    indexes = build_indexes(home_pages)
    article = build_article(indexes["ru"], title="Форум акимов", slug="forum")
    course = build_course(home_pages["ru"], modules=1, lessons=2)
    learner = UserFactory(email="akim@example.com", full_name="Ерлан Сейітов")
    enrolment_create(learner=learner, cohort=build_cohort(course))
    registrar = UserFactory(email="registrar@example.com", groups=["Registrars"])
    certificate, _created = certification_services.certificate_issue_manual(
        holder=learner, course=course, actor=registrar
    )
    return {
        "article": article,
        "lesson": LessonPage.objects.descendant_of(course).first(),
        "learner": learner,
        "certificate": certificate,
    }


PUBLIC = [
    "/ru/",
    "/kk/",
    "/ru/news/",
    "/ru/news/forum/",
    "/ru/courses/",
    "/ru/news/rss/",
    "/ru/news/atom/",
    "/sitemap.xml",
    "/robots.txt",
    "/accounts/login/",
    "/ru/certificates/check/",
]


def test_public_pages_answer(site):
    client = Client()
    for url in PUBLIC:
        assert client.get(url).status_code == 200, url
    # The page cache is bypassed: every view is rendered afresh.
    assert client.get("/ru/news/forum/")["X-Page-Cache"] == "miss"
    assert client.get("/ru/news/forum/")["X-Page-Cache"] == "miss"
    number = site["certificate"].printed_number
    assert client.get(f"/v/{number}").status_code == 200
    response = client.get(f"/v/{number}", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["status"] == "VALID"


def test_sign_in_and_learner_pages(site):
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "akim@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/ru/dashboard/"
    # The session was written to the database, and is read back from there.
    session = Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)
    assert session.get_decoded()["_auth_user_id"] == str(site["learner"].pk)
    dashboard = client.get("/ru/dashboard/")
    assert dashboard.status_code == 200
    assert "Ерлан Сейітов" in dashboard.content.decode()
    assert client.get(site["lesson"].url).status_code == 200
    assert client.get("/ru/news/forum/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/ru/dashboard/").status_code == 302


def test_redis_is_tried_at_most_once_per_pause(site, redis_down):
    """Ten page views cost at most one Redis timeout, not one per cache call."""
    client = Client()
    client.get("/ru/")
    started = time.monotonic()
    for url in PUBLIC[:10]:
        client.get(url)
    elapsed = time.monotonic() - started
    # One failed attempt since Redis went down (while the site was built), then none.
    assert caches["default"].breaker.failures == 1
    if redis_down is not None:  # the listener: each attempt is a new connection
        assert len(redis_down.connections) == 1
    # Generous: one 5 s default timeout per request would take minutes.
    assert elapsed < 10


def test_verification_is_still_rate_limited(site, settings):
    settings.CERTIFICATE_VERIFY_RATE = 3
    client = Client()
    number = site["certificate"].printed_number
    statuses = [
        client.get(f"/v/{number}", HTTP_ACCEPT="application/json").status_code for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


def test_sign_in_lockout_still_locks(site):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "akim@example.com", "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"username": "akim@example.com", "password": PASSWORD}
    )
    assert response.status_code == 429
    # django-axes keeps the attempts in the database, not in the cache.
    attempt = AccessAttempt.objects.get(username="akim@example.com")
    assert attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT


def test_healthz_says_the_cache_is_down(site):
    response = Client().get("/healthz/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["cache"]["status"] == "down"


def test_staff_sign_in_to_the_admin(site):
    UserFactory(email="trainer@example.com", groups=["Trainers"], is_staff=True)
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "trainer@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/pages/").status_code == 200
