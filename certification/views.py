"""The registry's public and personal pages: verification of a certificate by number or QR
code, its signed credential with the issuer's keys and status list, and the certificate's
PDF and preview for those who may see them.

Every address in a credential (the issuer's ``did:web``, verification and status list URLs)
is made from ``SITE_URL``, never from the request's ``Host`` header: a forged header must
not change what a credential says. See ``certification.credentials`` for the keys.
"""

from __future__ import annotations

from django.conf import settings
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotFound,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from certification import credentials, numbers, services
from certification.documents import certificate_document_issue, png_preview_cached
from certification.models import Certificate
from certification.selectors import course_title, may_open_documents
from lms.links import site_url
from lms.middleware import final_404
from lms.security import client_ip
from lms.security import rate_limited as security_rate_limited


def rate_limited(request: HttpRequest) -> bool:
    """At most CERTIFICATE_VERIFY_RATE lookups a minute per address (shared cache)."""
    return security_rate_limited(
        "verify",
        address=client_ip(request),
        limit=settings.CERTIFICATE_VERIFY_RATE,
        seconds=60,
    )


def too_many_requests() -> HttpResponse:
    response = HttpResponse("Too many requests", status=429, content_type="text/plain")
    response["Retry-After"] = "60"
    return response


def _public(verification: services.Verification) -> dict:
    """What anyone may see: never the e-mail, national ID, grade or a profile link, and
    of a revocation only its date and a neutral category, never the reason."""
    certificate = verification.certificate
    body = {"status": verification.status.upper()}
    if certificate is None:
        return body
    language = get_language() or "ru"
    body.update(
        number=certificate.printed_number,
        holder=certificate.holder_name,
        course=course_title(certificate=certificate, language=language),
        academic_hours=certificate.academic_hours,
        issued_on=certificate.issued_on.isoformat(),
        expires_on=certificate.expires_on.isoformat() if certificate.expires_on else None,
        issuer=certificate.issuer_name(language),
        pdf_sha256=certificate.pdf_sha256 or None,
        credential=f"/v/{certificate.printed_number}/credential.jwt",
    )
    if verification.status == "revoked":
        body.update(
            revoked_on=timezone.localdate(certificate.revoked_at).isoformat(),
            revocation=certificate.public_revocation,
            revocation_label=certificate.get_public_revocation_display(),
        )
    return body


@never_cache
@require_GET
@final_404
def verify(request: HttpRequest, number: str) -> HttpResponse:
    if rate_limited(request):
        return too_many_requests()
    verification = services.verify(typed=number)
    status = 404 if verification.status == "not_found" else 200
    if "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse(_public(verification), status=status)
    else:
        context = {"verification": verification, "public": _public(verification)}
        response = render(request, "certification/verify.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def check(request: HttpRequest) -> HttpResponse:
    """A form with one field; a well-formed number goes to its verification page."""
    typed = request.GET.get("number", "")
    error = False
    if typed:
        canonical = numbers.parse(typed)
        if canonical:
            return redirect("certificate_verify", number=numbers.format_number(canonical))
        error = True
    return render(request, "certification/check.html", {"typed": typed, "error": error})


# Credentials ------------------------------------------------------------------------

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


# Documents --------------------------------------------------------------------------


def _certificate_for(request: HttpRequest, pk: int, document: str) -> Certificate:
    """The certificate if the user may see it; 404 otherwise, never revealing it exists."""
    certificate = Certificate.objects.filter(pk=pk).first()
    if certificate is None or not may_open_documents(user=request.user, certificate=certificate):
        raise Http404
    if request.user.pk != certificate.holder_id:
        services.certificate_document_viewed(
            certificate=certificate, user=request.user, document=document
        )
    return certificate


@never_cache
@require_GET
def certificate_pdf(request: HttpRequest, pk: int) -> FileResponse:
    certificate = certificate_document_issue(_certificate_for(request, pk, "pdf"))
    return FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"{certificate.printed_number}.pdf",
        content_type="application/pdf",
    )


def _language(request: HttpRequest) -> str:
    return getattr(request, "LANGUAGE_CODE", None) or "ru"


@never_cache
@require_GET
def certificate_preview(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = _certificate_for(request, pk, "preview")
    _etag, png = png_preview_cached(certificate, language=_language(request))
    return HttpResponse(png, content_type="image/png")


@require_GET
def public_preview(request: HttpRequest, number: str) -> HttpResponse:
    """The preview on the verify page: what that page shows anyway, for a standing
    certificate only (a revoked one is not shown as a picture of a valid one)."""
    if rate_limited(request):
        return too_many_requests()
    verification = services.verify(typed=number)
    if verification.status not in ("valid", "expired"):
        raise Http404
    etag, png = png_preview_cached(verification.certificate, language=_language(request))
    quoted = f'"{etag}"'
    # Browsers keep the picture but ask again every time ("no-cache"), so a revoked
    # certificate's picture is gone at once; an unchanged one costs a 304, not a render.
    response = get_conditional_response(request, etag=quoted) or HttpResponse(
        png, content_type="image/png"
    )
    response["ETag"] = quoted
    response["Cache-Control"] = "no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response
