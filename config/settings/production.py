"""Production: HTTPS only, secure cookies, HSTS; refuses to start without a secret key,
the public address (SITE_URL) or a certificate signing key."""

from django.core.exceptions import ImproperlyConfigured

from lms import env, observability

from .base import *  # noqa: F403

if not SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set in production (a long random string)."
    )

if not SITE_URL:
    raise ImproperlyConfigured(
        "SITE_URL must be set in production: the site's public address, e.g. "
        "SITE_URL=https://akim.example.kz. Certificates print it and QR-encode it, "
        "credentials, e-mails, feeds and the sitemap link to it."
    )
if not (env.env_str("CERTIFICATE_SIGNING_KEY") or env.env_str("CERTIFICATE_SIGNING_KEY_FILE")):
    raise ImproperlyConfigured(
        "CERTIFICATE_SIGNING_KEY (an Ed25519 private key in PEM) or "
        "CERTIFICATE_SIGNING_KEY_FILE (the path of one) must be set in production: "
        "certificates are issued as signed credentials. `manage.py check --deploy` "
        "also checks that the key can be read."
    )

DEBUG = False
IS_PRODUCTION = True
SECURE_SSL_REDIRECT = env.env_bool("SECURE_SSL_REDIRECT", True)
# The proxy in front terminates TLS and tells us so.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
# Load balancers probe over plain HTTP on the private network: no redirect for them.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]

# Error reporting, only when a DSN is given (lms/observability.py says what is sent).
SENTRY_ENABLED = observability.sentry_init(
    dsn=env.env_str("SENTRY_DSN"),
    environment=env.env_str("SENTRY_ENVIRONMENT", "production"),
    release=APP_RELEASE,
    traces_sample_rate=env.env_float("SENTRY_TRACES_SAMPLE_RATE", 0.0),
)
