"""URLs of the certificate credentials: the signed credential, keys and status list.

``/v/<number>/credential.jwt``   the certificate as an Open Badges 3.0 VC-JWT
``/.well-known/jwks.json``        the public signing key(s), current and retired
``/.well-known/did.json``         the ``did:web`` document of the issuer
``/.well-known/status-list``      the signed Bitstring Status List of revocations

All sit outside the language prefix. See ``certification.credentials`` for the keys.
Every address in them (the issuer's ``did:web``, verification and status list URLs) is
made from ``SITE_URL``, never from the request's ``Host`` header: a forged header must
not change what a credential says.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, JsonResponse
from django.urls import path
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from certification import credentials, services
from certification.views import rate_limited, too_many_requests
from lms.links import site_url
from lms.middleware import final_404

JWT_CONTENT_TYPE = "application/jwt"


@never_cache
@require_GET
@final_404
def credential(request: HttpRequest, number: str) -> HttpResponse:
    """The signed credential; revoked certificates are served too (their bit says so)."""
    if rate_limited(request):
        return too_many_requests()
    certificate = services.verify(typed=number).certificate
    if certificate is None:
        return HttpResponseNotFound("No such certificate", content_type="text/plain")
    token = credentials.credential_jwt(certificate, base_url=site_url())
    response = HttpResponse(token, content_type=JWT_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{certificate.printed_number}.jwt"'
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _public_json(body: dict, content_type: str = "application/json") -> JsonResponse:
    response = JsonResponse(body, content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
@cache_control(public=True, max_age=3600)
def jwks(request: HttpRequest) -> HttpResponse:
    body = credentials.jwks(site_url())
    return _public_json(body, "application/jwk-set+json")


@require_GET
@cache_control(public=True, max_age=3600)
def did_document(request: HttpRequest) -> HttpResponse:
    body = credentials.did_document(site_url())
    return _public_json(body, "application/did+json")


@require_GET
@cache_control(public=True, max_age=300)
def status_list(request: HttpRequest) -> HttpResponse:
    token = credentials.status_list_jwt(base_url=site_url())
    response = HttpResponse(token, content_type=JWT_CONTENT_TYPE)
    response["Access-Control-Allow-Origin"] = "*"
    return response


urlpatterns = [
    path("v/<str:number>/credential.jwt", credential, name="certificate_credential"),
    path(".well-known/jwks.json", jwks, name="credentials_jwks"),
    path(".well-known/did.json", did_document, name="credentials_did"),
    path(".well-known/status-list", status_list, name="credentials_status_list"),
]
