import functools

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language, get_language_from_path
from wagtail.contrib.redirects.middleware import RedirectMiddleware as WagtailRedirectMiddleware

# Areas outside the language prefix. Django would answer a 404 there with a redirect to
# /<language>/<same path> (our page tree matches any path), turning every missing
# admin object or verify number into a redirect instead of a plain 404.
UNPREFIXED = (
    "/admin/",
    "/accounts/",
    "/documents/",
    "/healthz/",
    "/i18n/",
    "/static/",
    "/media/",
    "/v/",
    "/certificates/",
    "/files/",
    "/.well-known/",
    "/metrics",
    "/manifest.webmanifest",
    "/sw.js",
)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, plus: the language of a page read under a prefix (reached by the
    language switcher's links, say) is remembered in the language cookie, which then
    outranks Accept-Language where there is no prefix (verify pages, sign-in)."""

    def process_response(self, request, response):
        if request.path_info.startswith(UNPREFIXED):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", get_language())
            return response
        response = super().process_response(request, response)
        language = get_language_from_path(request.path_info)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if (
            language
            and language != chosen
            and request.method == "GET"
            and response.status_code == 200
        ):
            remember_language(response, language)
        return response


def remember_language(response, language: str) -> None:
    """Set the language cookie as Django's ``set_language`` view does."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


# Set on a response whose 404 is the view's own final answer, not a missing page.
FINAL_404 = "final_404"


def final_404(view):
    """Mark the view's 404 answers as final: no redirect is looked up for them.

    Wagtail's redirects middleware looks up the site and a redirect for every 404 (two
    queries). A verify URL answers "no such certificate" by itself, and a malformed
    number must cost no query at all (enumeration, QUALITY.md 7)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        setattr(response, FINAL_404, True)
        return response

    return wrapped


class RedirectMiddleware(WagtailRedirectMiddleware):
    """Wagtail's redirects, except for the 404s a view marked with :func:`final_404`."""

    def process_response(self, request, response):
        if getattr(response, FINAL_404, False):
            return response
        return super().process_response(request, response)


# What a view or decorator may set on a response to change its policy (django-csp).
_CSP_OVERRIDES = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


class CSPMiddleware(DjangoCSPMiddleware):
    """django-csp's, with the two headers built once rather than on every response.

    django-csp turns the settings into header text per response (a third of what the
    whole middleware stack cost a trivial view). Unless the response asks for a policy
    of its own (``@csp_update`` and the like) or the page used a nonce, the text is
    the same every time: it is kept, and made again when the settings change (tests
    override them).
    """

    _memo: tuple = (None, None, "", "")

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None for name in _CSP_OVERRIDES
        ):
            return super().process_response(request, response)
        if response.status_code in (404, 500) and settings.DEBUG:
            return response
        policy, policy_ro = self._policies()
        ro_setting = "CONTENT_SECURITY_POLICY_REPORT_ONLY"
        for header, value, exempt, setting in (
            (HEADER, policy, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
            (HEADER_REPORT_ONLY, policy_ro, "_csp_exempt_ro", ro_setting),
        ):
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if (
                value
                and header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(tuple(prefixes))
            ):
                response[header] = value
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def _policies(self) -> tuple[str, str]:
        config = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        config_ro = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        memo = self._memo
        if memo[0] is not config or memo[1] is not config_ro:
            memo = (config, config_ro, build_policy(), build_policy(report_only=True))
            type(self)._memo = memo
        return memo[2], memo[3]
