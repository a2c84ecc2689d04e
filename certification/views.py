"""Public verification of a certificate, by number or QR code, for anyone."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from certification import numbers, services
from lms.middleware import final_404
from lms.security import rate_limited as security_rate_limited


def rate_limited(request: HttpRequest) -> bool:
    """At most CERTIFICATE_VERIFY_RATE lookups a minute per address (shared cache)."""
    return security_rate_limited(
        "verify", request=request, limit=settings.CERTIFICATE_VERIFY_RATE, seconds=60
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
    body.update(
        number=certificate.printed_number,
        holder=certificate.holder_name,
        course=certificate.course_title(get_language() or "ru"),
        academic_hours=certificate.academic_hours,
        issued_on=certificate.issued_on.isoformat(),
        expires_on=certificate.expires_on.isoformat() if certificate.expires_on else None,
        issuer=certificate.issuer,
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
