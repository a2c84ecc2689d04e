"""Fast, deterministic settings for the test suite."""

import os

from lms import env

from .base import *  # noqa: F403

DEBUG = False
# The demo content and its seed_demo command: development and tests only, never production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "lms-test",
    }
}
# Inline, except in the worker processes that some tests start (they name the database
# backend in TASKS_BACKEND).
TASKS = {
    "default": {
        "BACKEND": env.env_str("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
        "QUEUES": TASK_QUEUES,
    }
}
STORAGES = {
    **STORAGES,
    "default": {"BACKEND": "lms.storage.PrivateInMemoryStorage"},
    "public": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The test client's host, so that absolute URLs and the pages' own links agree.
SITE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"

# Find static files through the finders: no collectstatic before tests or runserver.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Every view straight to the cache, so tests see the counts at once.
ARTICLE_VIEWS_FLUSH_SECONDS = 0
PAGE_CACHE_ENABLED = True

# A PostgreSQL test database of this run's own: two runs against one server (a
# developer's and CI's, or the unit and browser suites side by side) never flush or
# restore each other's rows. The processes a test starts are given its exact name.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}
