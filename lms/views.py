"""Site-wide views: health check, robots.txt, sign-in."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lms import health


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """JSON with the state of each dependency; 503 only when the site cannot serve."""
    body, status = health.report()
    return JsonResponse(body, status=status)


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    private = ["/admin/", "/accounts/"]
    private += [f"/{code}/dashboard/" for code, _name in settings.LANGUAGES]
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in private)]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def language_of_path(path: str) -> str | None:
    """The language prefix of a site path ("/kk/dashboard/" → "kk"), if it has one."""
    prefix = path.split("/")[1] if path.startswith("/") else ""
    return prefix if prefix in dict(settings.LANGUAGES) else None


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
