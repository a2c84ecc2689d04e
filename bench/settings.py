"""Settings for ``make bench``: production settings, served over plain HTTP on loopback.

Only what plain HTTP on 127.0.0.1 and a throwaway database need differs from
production; everything else (middleware, templates, caches, storage) is production's.
"""

from pathlib import Path

from config.settings.production import *  # noqa: F403
from lms import env

BENCH_DIR = Path(__file__).resolve().parent
WORK_DIR = BENCH_DIR / ".work"

DEBUG = False
# seed_demo is the only reader of this flag. run.py lifts it for that one command on the
# bench's own database; the server under measurement keeps production's value.
IS_PRODUCTION = not env.env_bool("BENCH_ALLOW_DEMO_SEED", False)
# The bench measures the demo course, so it installs the demo app that production lacks
# (it adds a management command and data files: nothing a request goes through).
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405

# Plain HTTP on loopback: no redirect to HTTPS, no secure-only cookies.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

# Production keeps the page cache off without a shared cache (REDIS_URL). The bench
# measures it either way: with local memory each of the two workers keeps its own.
PAGE_CACHE_ENABLED = True

ROOT_URLCONF = "bench.urls"
# The minimal page control's bare template (bench/templates/bench/minimal_page.html).
TEMPLATES = [
    {**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BENCH_DIR / "templates"]},  # noqa: F405
    *TEMPLATES[1:],  # noqa: F405
]
DATABASES = {"default": env.database_from_env(default_sqlite_path=WORK_DIR / "bench.sqlite3")}
STATIC_ROOT = WORK_DIR / "static"
MEDIA_ROOT = WORK_DIR / "media"
PRIVATE_MEDIA_ROOT = WORK_DIR / "private"

# Quiet: a benchmark prints figures, not request logs. Errors still reach stderr.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "ERROR"},
    "loggers": {
        "django": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "lms.security": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}
