"""The site's URLs plus the "trivial Django view" control at ``/bench/ping/``."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config import urls as project_urls


def ping(request: HttpRequest) -> HttpResponse:
    """No database, no template: what the middleware stack alone costs."""
    return HttpResponse("pong", content_type="text/plain")


urlpatterns = [path("bench/ping/", ping, name="bench_ping"), *project_urls.urlpatterns]
