"""Local development: DEBUG on, mail to the console, an insecure key that never ships."""

from lms import env, observability

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = env.env_str("DJANGO_SECRET_KEY") or "dev-only-insecure-key-never-use-in-production"
ALLOWED_HOSTS = env.env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
# Where `make run` serves; set SITE_URL to try another address.
SITE_URL = SITE_URL or "http://127.0.0.1:8000"
WAGTAILADMIN_BASE_URL = SITE_URL
EMAIL_BACKEND = env.env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Serve unhashed static files so a fresh clone needs no collectstatic.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# One process serves everything in development, so its own memory is shared enough.
PAGE_CACHE_ENABLED = env.env_bool("PAGE_CACHE_ENABLED", True)

# A readable console; LOG_FORMAT=json shows what production writes.
LOG_FORMAT = env.env_str("LOG_FORMAT", "text")
LOGGING = observability.logging_config(log_format=LOG_FORMAT, level=LOG_LEVEL)

# The demo content and its seed_demo command: development and tests only, never production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
