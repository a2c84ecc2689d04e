"""Site-wide views: health check, robots.txt, private files by signed link, sign-in."""

from __future__ import annotations

import hashlib
import json
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lms import health
from lms.forms import PasswordResetForm
from lms.links import absolute_url, site_url
from lms.storage import private_file_name


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """JSON with the state of each dependency; 503 only when the site cannot serve."""
    body, status = health.report()
    return JsonResponse(body, status=status)


@require_GET
def private_file(request: HttpRequest, token: str) -> FileResponse:
    """A file of the private storage, for whoever holds a link the app signed in the
    last PRIVATE_FILE_URL_SECONDS (lms/storage.py). Always a download, in a sandbox:
    an uploaded file never runs as a page of this site."""
    name = private_file_name(token)
    if name is None:
        raise Http404
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=PurePosixPath(name).name)
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    private = ["/admin/", "/accounts/"]
    private += [f"/{code}/dashboard/" for code, _name in settings.LANGUAGES]
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in private)]
    lines.append(f"Sitemap: {absolute_url(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def language_of_path(path: str) -> str | None:
    """The language prefix of a site path ("/kk/dashboard/" → "kk"), if it has one."""
    prefix = path.split("/")[1] if path.startswith("/") else ""
    return prefix if prefix in dict(settings.LANGUAGES) else None


class PasswordResetView(auth_views.PasswordResetView):
    """Password reset whose e-mailed link is on SITE_URL. Django's own takes the host
    of the request, so a request with a forged ``Host`` header would mail a link to
    another site, with a valid reset token in it."""

    form_class = PasswordResetForm
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        self.extra_email_context = {**(self.extra_email_context or {}), "site_url": site_url()}
        return super().form_valid(form)


class LoginView(auth_views.LoginView):
    """Sign in; with no ``next``, go to the dashboard in the person's preferred language.

    The sign-in page lives outside the language prefix, so it speaks the language of
    the page the visitor came from (its ``next``), falling back to the usual choice.
    """

    redirect_authenticated_user = True

    def dispatch(self, request, *args, **kwargs):
        language = language_of_path(self.get_redirect_url())
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return super().dispatch(request, *args, **kwargs)

    def get_default_redirect_url(self) -> str:
        language = getattr(self.request.user, "preferred_language", "") or None
        with translation.override(language):
            return reverse("dashboard")


# The installable site (README "Offline") -----------------------------------------

THEME_COLOUR = "#00597a"  # --brand in css/site.css


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest in the request's language (the ``lang`` parameter, else
    the language cookie or Accept-Language): names, start page and icons."""
    language = request.GET.get("lang")
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language_from_request(request)
    with translation.override(language):
        body = {
            "name": gettext("Akim Academy"),
            "short_name": gettext("Academy"),
            "description": gettext(
                "An online school for the heads of Kazakhstan's villages and rural districts."
            ),
            "lang": language,
            "dir": "ltr",
            "id": "/",
            "start_url": f"/{language}/dashboard/",
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": THEME_COLOUR,
            "icons": [
                {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
                {
                    "src": static("icons/icon-maskable-512.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                },
            ],
        }
    response = JsonResponse(body, content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=86400"
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, at the root so that its scope is the whole site.

    A template, not a static file: the static files' hashed names and the settings go
    into it, so a deploy changes its bytes and browsers install the new one. Never
    cached for long, as browsers would keep running an old worker.
    """
    languages = [code for code, _name in settings.LANGUAGES]
    config = {
        "version": "",
        "maxAgeMs": settings.OFFLINE_MAX_AGE_DAYS * 24 * 3600 * 1000,
        "languages": languages,
        "offlinePages": {code: f"/{code}/offline/" for code in languages},
        "shell": [static(name) for name in OFFLINE_SHELL_ASSETS],
        "scripts": [static(name) for name in settings.SERVICE_WORKER_SCRIPTS],
    }
    config["version"] = hashlib.sha256(json.dumps(config).encode()).hexdigest()[:12]
    response = render(
        request,
        "lms/sw.js",
        {"config": json.dumps(config)},
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache, max-age=0"
    return response


# what every page needs, kept by the service worker from its installation on
OFFLINE_SHELL_ASSETS = ("css/site.css", "js/offline.js", "icons/icon-192.png")


@require_GET
def offline_page(request: HttpRequest) -> HttpResponse:
    """What the service worker shows for a page that is not saved, with no signal.

    Rendered as for an anonymous visitor: the worker keeps one copy for everyone who
    uses the phone, so nothing personal may be in it.
    """
    request.user = AnonymousUser()
    return render(request, "lms/offline.html")


class LogoutView(auth_views.LogoutView):
    """Sign out, and tell the browser to drop what this site stored on the phone: the
    pages and lessons saved for offline use and the queue of work not yet sent are the
    signed-out person's, and the next person on a shared phone must not see them."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response
