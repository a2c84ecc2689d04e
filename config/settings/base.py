"""Settings shared by every environment. Secure by default: DEBUG is off here."""

from datetime import timedelta
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from lms import env, observability

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = False
# Production settings turn this on; demo tooling refuses to run then.
IS_PRODUCTION = False
SECRET_KEY = env.env_str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# The site's public base URL (https://akim.example.kz): the only source of absolute
# URLs (certificates, credentials, e-mails, feeds, sitemap; lms/links.py), and where
# bootstrap_site points the Wagtail Site. Production refuses to start without it.
SITE_URL = env.site_url_from_env()
# The deployed version (a tag or commit): reported with errors, written into backups.
APP_RELEASE = env.env_str("APP_RELEASE")

INSTALLED_APPS = [
    # Before the apps it patches: registers the per-language columns of quizzes/translation.py.
    "modeltranslation",
    "lms",
    "base",
    "cms",
    "courses",
    "quizzes",
    "certification",
    "schedule",
    "notifications",
    "discussions",
    "evaluations",
    "gradebook",
    "assignments",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.redirects",
    "wagtail.contrib.table_block",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "lms.apps.LmsUsersAppConfig",  # wagtail.users with forms for our User model
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # The request id, metrics and request log wrap everything, so cached pages, static
    # files and redirects are counted and logged too (lms/observability.py).
    "lms.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lms.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Anonymous page requests are answered here from the shared cache, before the
    # session or the user is looked at (see cms/page_cache.py).
    "cms.page_cache.PageCacheMiddleware",
    # The Site and home pages every page request starts from, kept in the process
    # until the next publish (cms/routing.py).
    "cms.routing.SiteMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-csp's, with the header text kept between responses (lms.middleware).
    "lms.middleware.CSPMiddleware",
    # Wagtail's redirects, leaving alone the 404s a view marks as final (lms.middleware).
    "lms.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env.database_from_env(default_sqlite_path=BASE_DIR / "db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = {"default": env.cache_from_env()}

# Background work (django-tasks). Tasks run inline unless a worker backend is named,
# e.g. TASKS_BACKEND=django_tasks_db.DatabaseBackend with `manage.py db_worker`.
# Two queues, each with its own worker process in production (see the Procfile): PDF
# renders wait in "documents", so a registrar's bulk run or a trainer's question import
# in "default" never queues behind thousands of them.
TASK_QUEUES = ["default", "documents"]
TASKS = {
    "default": {
        "BACKEND": env.env_str("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
        "QUEUES": TASK_QUEUES,
    }
}
# A worker writes a heartbeat this often; one silent for TASK_WORKER_STALE_SECONDS is
# taken for dead and the tasks it was running go back to their queue (lms/background.py).
TASK_WORKER_HEARTBEAT_SECONDS = env.env_seconds("TASK_WORKER_HEARTBEAT_SECONDS", 10)
TASK_WORKER_STALE_SECONDS = env.env_seconds("TASK_WORKER_STALE_SECONDS", 60)
# Finished task results are kept this many days: successes briefly, failures longer.
TASK_RESULTS_KEEP_DAYS = env.env_int("TASK_RESULTS_KEEP_DAYS", 7)
TASK_FAILURES_KEEP_DAYS = env.env_int("TASK_FAILURES_KEEP_DAYS", 30)
# /healthz/ reports a queue whose oldest task has waited longer than this as down.
TASK_WAIT_ALERT_SECONDS = env.env_seconds("TASK_WAIT_ALERT_SECONDS", 600)

# Printed on certificates and in the verification page, in each language: English is
# CERTIFICATE_ISSUER (also the signed credentials' issuer). Another issuer set in English
# alone is shown as set in every language rather than the Academy's names.
_ACADEMY = {
    "kk": "Қазақстан Республикасы Президентінің жанындағы Мемлекеттік басқару академиясы",
    "ru": "Академия государственного управления при Президенте Республики Казахстан",
    "en": "Academy of Public Administration under the President of the Republic of Kazakhstan",
}
CERTIFICATE_ISSUER = env.env_str("CERTIFICATE_ISSUER", _ACADEMY["en"])
CERTIFICATE_ISSUER_NAMES = {
    "kk": env.env_str(
        "CERTIFICATE_ISSUER_KK",
        _ACADEMY["kk"] if CERTIFICATE_ISSUER == _ACADEMY["en"] else CERTIFICATE_ISSUER,
    ),
    "ru": env.env_str(
        "CERTIFICATE_ISSUER_RU",
        _ACADEMY["ru"] if CERTIFICATE_ISSUER == _ACADEMY["en"] else CERTIFICATE_ISSUER,
    ),
    "en": CERTIFICATE_ISSUER,
}
# Verification lookups allowed per address per minute (shared cache).
CERTIFICATE_VERIFY_RATE = env.env_int("CERTIFICATE_VERIFY_RATE", 30)

# Public pages for anonymous visitors are kept in the shared cache (cms/page_cache.py)
# until something is published or a comment approved, and at most this long.
# It needs a cache every process shares (Redis): with per-process memory a publish
# would reach only the process that made it, so without REDIS_URL it is off.
PAGE_CACHE_ENABLED = env.env_bool("PAGE_CACHE_ENABLED", bool(env.env_str("REDIS_URL")))
PAGE_CACHE_SECONDS = env.env_int("PAGE_CACHE_SECONDS", 600)
PAGE_CACHE_BROWSER_SECONDS = env.env_int("PAGE_CACHE_BROWSER_SECONDS", 60)
# Article views gather in each process and reach the shared cache this often.
ARTICLE_VIEWS_FLUSH_SECONDS = env.env_int("ARTICLE_VIEWS_FLUSH_SECONDS", 10)

# Offline use (README "Offline"): a page kept on the phone is shown without a signal
# for at most this many days after it was last fetched online; a lesson heavier than
# the budget (first view, images and documents included) is flagged to its author.
OFFLINE_MAX_AGE_DAYS = env.env_int("OFFLINE_MAX_AGE_DAYS", 14)
# Static scripts the service worker loads (importScripts): each may handle the worker's
# events of its own, as the offline test answers do for Background Sync ("quiz-answers").
SERVICE_WORKER_SCRIPTS = ["quizzes/answer-outbox.js"]
LESSON_WEIGHT_BUDGET_BYTES = env.env_int("LESSON_WEIGHT_BUDGET_BYTES", 300_000)
# Comments one address may send in COMMENT_RATE_SECONDS.
COMMENT_RATE = env.env_int("COMMENT_RATE", 5)
COMMENT_RATE_SECONDS = env.env_int("COMMENT_RATE_SECONDS", 600)
# A learner idle this many days while others in the cohort progress is nudged.
FALLING_BEHIND_DAYS = env.env_int("FALLING_BEHIND_DAYS", 5)
# Questions and answers one person may post under lessons in QNA_POST_RATE_SECONDS.
QNA_POST_RATE = env.env_int("QNA_POST_RATE", 10)
QNA_POST_RATE_SECONDS = env.env_int("QNA_POST_RATE_SECONDS", 600)

# A caching proxy in front (Varnish, nginx) that accepts HTTP PURGE: Wagtail purges the
# pages a publish changes. Unset, nothing is purged (there is no proxy to tell).
if env.env_str("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": env.env_str("FRONTEND_CACHE_PURGE_URL"),
        }
    }

# A quiz hosted in a course is for that course's learners (see courses/quiz_integration.py).
QUIZZES_ACCESS_POLICY = "courses.quiz_integration.can_take"
# Trainers read the quiz results of the learners of the cohorts they teach.
QUIZZES_RESULTS_SCOPE = "courses.quiz_integration.results_scope"
# A quiz a course requires must show learners their results (quizzes.admin_views).
QUIZZES_REQUIRED_BY_HOST = "courses.quiz_integration.required_by_a_course"
# A final exam of a course is never answered offline.
QUIZZES_FINAL_EXAM_BY_HOST = "courses.quiz_integration.final_exam_of_a_course"
# A hosted quiz's pages lead back to its course and module (quizzes.selectors.host_links).
QUIZZES_HOST_LINKS = "courses.quiz_integration.host_links"

# Accounts
AUTH_USER_MODEL = "lms.User"
AUTHENTICATION_BACKENDS = [
    # django-axes' and Django's, each loading the signed-in account with one statement
    # written out once per process (lms/backends.py)
    "lms.backends.AxesBackend",  # checks the lockout, then steps aside
    "lms.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "/"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3  # invited akims may read mail only every few days

# Login lockout: per (e-mail, address) pair, so a district office behind one shared
# address is not locked out by a single person mistyping.
AXES_FAILURE_LIMIT = env.env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env.env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Django's sign-in form posts the e-mail as "username" (axes would look for "email").
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "lms.security.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_CLIENT_IP_CALLABLE = "lms.security.client_ip"
AXES_VERBOSE = False
# How many reverse proxies in front of the app append to X-Forwarded-For. With 0 the
# header is ignored, so a client cannot pick the address it is locked out by.
TRUSTED_PROXY_COUNT = env.env_int("TRUSTED_PROXY_COUNT", 0)

# Sessions read from the cache first: one less query on every signed-in page.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview views override this with SAMEORIGIN

DEFAULT_FRAME_SOURCES = [
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
]
# Content-Security-Policy. Public and learner pages get the strict policy; the Wagtail
# admin relies on inline scripts and styles, so there it is reported, not enforced.
_CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "media-src": ["'self'"],
    # Video providers whose players lessons and articles embed.
    "frame-src": ["'self'", *env.env_list("CSP_FRAME_SOURCES", DEFAULT_FRAME_SOURCES)],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": _CSP_DIRECTIVES,
}
CONTENT_SECURITY_POLICY_REPORT_ONLY = {
    "DIRECTIVES": {**_CSP_DIRECTIVES, "frame-ancestors": ["'self'"]},
}

# Languages: Russian by default, Kazakh and English.
LANGUAGE_CODE = "ru"
LANGUAGES = [
    ("kk", "Қазақша"),
    ("ru", "Русский"),
    ("en", "English"),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = [("ru", "Русский"), ("en", "English"), ("kk", "Қазақша")]
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Quiz texts have a column per language on the same row (quizzes/translation.py): a text
# missing in the page language falls back to Russian, then Kazakh, then English.
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANSLATION_FALLBACK_LANGUAGES = ("ru", "kk", "en")
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
# Project-wide catalogues: Kazakh for the Django strings its own kk catalogue lacks.
# They take precedence over every app's catalogue.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True
# Kazakh date formats (Django has none for kk).
FORMAT_MODULE_PATH = ["lms.formats"]

# Static and media files. Uploads and generated files are private by default
# (certificate PDFs, signatures, documents, original images: PRIVATE_MEDIA_ROOT, or the
# private/ prefix of a bucket); only image renditions are public (MEDIA_ROOT/MEDIA_URL,
# or public/). See lms/storage.py; AWS_STORAGE_BUCKET_NAME switches to object storage.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "lms" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.env_path("MEDIA_ROOT", BASE_DIR / "media")
PRIVATE_MEDIA_ROOT = env.env_path("PRIVATE_MEDIA_ROOT", BASE_DIR / "private")
# How long a link to a private file (an avatar or a signature in the admin) works.
PRIVATE_FILE_URL_SECONDS = env.env_int("PRIVATE_FILE_URL_SECONDS", 300)
STORAGES = {
    **env.storages_from_env(private_file_url_seconds=PRIVATE_FILE_URL_SECONDS),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WAGTAILIMAGES_RENDITION_STORAGE = "public"
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365  # hashed names, so a year is safe

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# E-mail
EMAIL_BACKEND = env.env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env.env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env.env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env.env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env.env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env.env_str("DEFAULT_FROM_EMAIL", "Akim Academy <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Notifications' messenger channels (notifications/channels.py); each is offered only
# when configured. Telegram: the bot's token and @username (for the "Connect" link) and
# the secret Telegram sends with each webhook call (setWebhook's secret_token).
TELEGRAM_BOT_TOKEN = env.env_str("TELEGRAM_BOT_TOKEN")
TELEGRAM_BOT_USERNAME = env.env_str("TELEGRAM_BOT_USERNAME").lstrip("@")
TELEGRAM_API_URL = env.env_str("TELEGRAM_API_URL", "https://api.telegram.org")
TELEGRAM_WEBHOOK_SECRET = env.env_str("TELEGRAM_WEBHOOK_SECRET")
# An HTTP SMS gateway: POST JSON {to, text, sender} with "Authorization: Bearer <token>".
SMS_GATEWAY_URL = env.env_str("SMS_GATEWAY_URL")
SMS_GATEWAY_TOKEN = env.env_str("SMS_GATEWAY_TOKEN")
SMS_SENDER = env.env_str("SMS_SENDER", "AkimAcademy")

# Wagtail
WAGTAIL_SITE_NAME = _("Akim Academy")
# Links in Wagtail's notification e-mails: the public address, whatever else is set.
WAGTAILADMIN_BASE_URL = SITE_URL
# The admin's password reset mails the link in the recipient's language.
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "lms.forms.AdminPasswordResetForm"  # noqa: S105 (a class)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
# The largest file a learner may hand in with an assignment (each assignment may set less).
ASSIGNMENT_MAX_FILE_MB = env.env_int("ASSIGNMENT_MAX_FILE_MB", 20)
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Library images (lessons, articles, certificate logos): formats every browser shows, no
# TIFF, BMP, ICO or PCX; Wagtail checks the content against the name. Renditions decode
# the whole picture (3–4 bytes a pixel), so 40 million pixels (a large phone photo)
# is the most an upload may have.
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no third-party requests from the admin

# Logs: one JSON object a line, UTC, with request id, actor and address
# (lms/observability.py); LOG_FORMAT=text for a readable console.
LOG_FORMAT = env.env_str("LOG_FORMAT", "json")
LOG_LEVEL = env.env_str("LOG_LEVEL", "WARNING").upper()
LOGGING = observability.logging_config(log_format=LOG_FORMAT, level=LOG_LEVEL)
LOGGING_CONFIG = "lms.observability.configure_logging"

# Prometheus metrics at /metrics, for these addresses and networks only (after
# TRUSTED_PROXY_COUNT has picked the client's address).
METRICS_ALLOWED_IPS = env.env_networks("METRICS_ALLOWED_IPS", ["127.0.0.1", "::1"])
