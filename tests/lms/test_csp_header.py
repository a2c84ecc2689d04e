"""The CSP headers, kept between responses, are django-csp's own, and a response that
asks for a policy of its own (or a nonce) still gets one built for it."""

from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory

from lms.middleware import CSPMiddleware


def _respond(request, response=None):
    middleware = CSPMiddleware(lambda request: response or HttpResponse("ok"))
    return middleware(request)


def test_the_kept_headers_are_django_csps():
    for _ in range(2):
        response = _respond(RequestFactory().get("/ru/"))
        assert response[HEADER] == build_policy()
        assert response[HEADER_REPORT_ONLY] == build_policy(report_only=True)


def test_changed_settings_change_the_header(settings):
    _respond(RequestFactory().get("/ru/"))
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert _respond(RequestFactory().get("/ru/"))[HEADER] == "default-src 'none'"


def test_a_response_with_its_own_policy_gets_it():
    response = HttpResponse("ok")
    response._csp_update = {"img-src": ["https://example.org"]}
    header = _respond(RequestFactory().get("/ru/"), response)[HEADER]
    assert "https://example.org" in header


def test_a_nonce_used_by_the_page_is_in_the_header(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": ["'self'", NONCE]}}
    request = RequestFactory().get("/ru/")

    def view(request):
        return HttpResponse(str(request.csp_nonce))

    response = CSPMiddleware(view)(request)
    assert f"'nonce-{response.content.decode()}'" in response[HEADER]
