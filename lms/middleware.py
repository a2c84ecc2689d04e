import functools

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.signals import setting_changed
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
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


@functools.lru_cache(maxsize=256)
def _language_of_first_segment(segment: str) -> str | None:
    return get_language_from_path(f"/{segment}/")


def language_from_path(path: str) -> str | None:
    """Django's ``get_language_from_path``, kept per first path segment.

    Django keeps the language it finds, but not a miss: for ``/admin/``, ``/v/`` or
    ``/static/`` it walks the language list again (and raises and catches an error)
    each time, and its middleware asks three times a request, a third of what the
    whole middleware stack cost a trivial view. The first segment decides the answer,
    so that is the key; the cache is bounded, so made-up segments cannot grow it.
    """
    segment = path.split("/", 2)[1] if path.startswith("/") else ""
    return _language_of_first_segment(segment)


def _forget_languages(*, setting: str, **kwargs) -> None:
    if setting in ("LANGUAGES", "LANGUAGE_CODE"):
        _language_of_first_segment.cache_clear()


setting_changed.connect(_forget_languages)


def _urlconf(request):
    return getattr(request, "urlconf", settings.ROOT_URLCONF)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, asking the path's language once (:func:`language_from_path`), plus:
    the language of a page read under a prefix (reached by the language switcher's
    links, say) is remembered in the language cookie, which then outranks
    Accept-Language where there is no prefix (verify pages, sign-in)."""

    def process_request(self, request):
        i18n_patterns_used, prefixed_default = is_language_prefix_patterns_used(_urlconf(request))
        from_path = language_from_path(request.path_info) if i18n_patterns_used else None
        # What Django's ``get_language_from_request(check_path=True)`` answers.
        language = from_path or translation.get_language_from_request(request)
        if not from_path and i18n_patterns_used and not prefixed_default:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        if request.path_info.startswith(UNPREFIXED):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", get_language())
            return response
        language = language_from_path(request.path_info)
        if response.status_code == 404 and not language:
            # Django's redirect to the same path under a language prefix.
            return super().process_response(request, response)
        if not (language and is_language_prefix_patterns_used(_urlconf(request))[0]):
            patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", get_language())
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
_CSP_OVERRIDES = frozenset(
    (
        "_csp_config",
        "_csp_update",
        "_csp_replace",
        "_csp_config_ro",
        "_csp_update_ro",
        "_csp_replace_ro",
    )
)


class CSPMiddleware(DjangoCSPMiddleware):
    """django-csp's, with the two headers built once rather than on every response.

    django-csp turns the settings into header text per response (a third of what the
    whole middleware stack cost a trivial view). Unless the response asks for a policy
    of its own (``@csp_update`` and the like) or the page used a nonce, the text is
    the same every time: it is kept, and made again when the settings change (tests
    override them).
    """

    _memo: tuple = (None, None, ())

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or not _CSP_OVERRIDES.isdisjoint(
            response.__dict__
        ):
            return super().process_response(request, response)
        if response.status_code in (404, 500) and settings.DEBUG:
            return response
        for header, value, exempt, prefixes in self._headers():
            if (
                header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(prefixes)
            ):
                response[header] = value
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def _headers(self) -> tuple:
        """(header, text, exemption attribute, excluded path prefixes) of each policy
        the settings set, made again when they change."""
        config = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        config_ro = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        memo = self._memo
        if memo[0] is not config or memo[1] is not config_ro:
            headers = []
            for header, report_only, exempt, setting in (
                (HEADER, False, "_csp_exempt", config),
                (HEADER_REPORT_ONLY, True, "_csp_exempt_ro", config_ro),
            ):
                value = build_policy(report_only=report_only)
                if value:
                    prefixes = tuple((setting or {}).get("EXCLUDE_URL_PREFIXES") or ())
                    headers.append((header, value, exempt, prefixes))
            memo = (config, config_ro, tuple(headers))
            type(self)._memo = memo
        return memo[2]
