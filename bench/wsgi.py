"""What gunicorn serves in the bench: the site, and beside it the same Django project
with Django's default middleware only, for the "trivial view" control.

Requests under ``/bench/default/`` go to a second Django handler in the same worker
whose middleware is the list ``django-admin startproject`` writes; everything else goes
to the site's own handler (``config.wsgi.application``) unchanged. Both handlers share
the settings, URLs and database, so ``/bench/ping/`` over ``/bench/default/ping/`` is
the cost of our middleware stack and nothing else.
"""

from django.core.handlers.wsgi import WSGIHandler
from django.test.utils import override_settings

from config.wsgi import application as site_application

DEFAULT_PREFIX = "/bench/default/"
# Django 5.2's startproject template.
DJANGO_DEFAULT_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]


class DefaultMiddlewareHandler(WSGIHandler):
    """Django's WSGI handler built with the default middleware list."""

    def load_middleware(self, is_async=False):
        with override_settings(MIDDLEWARE=DJANGO_DEFAULT_MIDDLEWARE):
            super().load_middleware(is_async=is_async)


default_application = DefaultMiddlewareHandler()


def application(environ, start_response):
    if environ.get("PATH_INFO", "").startswith(DEFAULT_PREFIX):
        return default_application(environ, start_response)
    return site_application(environ, start_response)
