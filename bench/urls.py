"""The site's URLs plus two bench controls.

* ``/bench/ping/``: the "trivial Django view", through the site's whole middleware
  stack (and, served by ``bench.wsgi``, ``/bench/default/ping/``: the same view through
  Django's default middleware only);
* ``/ru/bench-minimal/``: the control page "Benchmark control" served as a minimal
  Wagtail page, with no site chrome (see :func:`minimal_page`).
"""

from django.conf.urls.i18n import i18n_patterns
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from wagtail import hooks
from wagtail.models import Page

from config import urls as project_urls

# The page /ru/bench-control/ (bench.harness.CONTROL_PAGE_PATH) below its home page.
CONTROL_PAGE_ROUTE = "bench-control/"


def ping(request: HttpRequest) -> HttpResponse:
    """No database, no template: what the middleware stack alone costs."""
    return HttpResponse("pong", content_type="text/plain")


def minimal_page(request: HttpRequest) -> HttpResponse:
    """The control page as a project made by ``wagtail start`` would serve it.

    What Wagtail's ``serve`` view does (the Site, routing from the home page, the
    ``before_serve_page`` hooks: request method and view restrictions), then the page's
    own context rendered by a template with its title and introduction only: no menu,
    no language links, no account links, no footer. Our plain page over this one is
    what the site's chrome costs.
    """
    route = Page.route_for_request(request, CONTROL_PAGE_ROUTE)
    if route is None:
        raise Http404("The bench control page is missing (bench.prepare control-page).")
    page, args, kwargs = route
    for hook in hooks.get_hooks("before_serve_page"):
        result = hook(page, request, args, kwargs)
        if isinstance(result, HttpResponse):
            return result
    return TemplateResponse(request, "bench/minimal_page.html", page.get_context(request))


urlpatterns = [
    path("bench/ping/", ping, name="bench_ping"),
    path("bench/default/ping/", ping, name="bench_default_ping"),
    *i18n_patterns(path("bench-minimal/", minimal_page, name="bench_minimal_page")),
    *project_urls.urlpatterns,
]
