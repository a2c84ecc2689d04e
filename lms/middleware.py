from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

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
    "/.well-known/",
    "/metrics",
)


class LocaleMiddleware(DjangoLocaleMiddleware):
    def process_response(self, request, response):
        if request.path_info.startswith(UNPREFIXED):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", get_language())
            return response
        return super().process_response(request, response)
