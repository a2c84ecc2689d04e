"""What an operator sees of the running site: logs, the request log, metrics, errors.

* **One log format.** Every logger (the app, Django, gunicorn) writes one JSON object a
  line: ``time`` (UTC, ISO 8601 with ``Z``), ``level``, ``logger``, ``message``,
  ``request_id``, ``actor``, ``ip`` and the event's own fields. Development may keep a
  plain-text console (``LOG_FORMAT=text``) with the same UTC time and request id.
* **A request id.** :class:`RequestIdMiddleware` takes a sane ``X-Request-ID`` from a
  trusted proxy or makes one, echoes it in the response and keeps the request in a
  context variable, so every line logged while serving it carries its id, address and
  (once the request has looked at it) its user.
* **A request log.** One ``lms.request`` line per request: method, path (never the
  query string), status, duration in milliseconds, user id.
* **Metrics.** :class:`MetricsMiddleware` counts responses by view, method and
  status and times them (prometheus-client); ``/metrics`` answers only addresses in
  ``METRICS_ALLOWED_IPS``.
* **Errors to Sentry** when ``SENTRY_DSN`` is set (see :func:`sentry_init`).

This module is imported by gunicorn's configuration before Django is set up, so its
top level imports nothing that needs settings.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
import secrets
import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from prometheus_client import Counter, Histogram

REQUEST_ID_HEADER = "X-Request-ID"
# What we accept from a proxy: the usual UUID or hex ids, nothing that could break a
# log line or fill it (no spaces, quotes, newlines; at most 128 characters).
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
# Password-reset links carry their token in the path; the request log keeps it out.
_RESET_TOKEN = re.compile(r"^(/accounts/reset/[^/]+/)(?!set-password/)[^/]+")

request_log = logging.getLogger("lms.request")


@dataclass
class RequestContext:
    request_id: str
    ip: str
    request: Any = field(default=None, repr=False)


_current: ContextVar[RequestContext | None] = ContextVar("lms_request", default=None)


def current_request_id() -> str | None:
    context = _current.get()
    return context.request_id if context else None


def _loaded_user(request) -> Any:
    """The request's user if something already looked it up, else None.

    Logging must never cost a query: Django keeps the user it loaded in
    ``request._cached_user``; until then we do not know who it is.
    """
    if request is None:
        return None
    return request.__dict__.get("_cached_user")


def _user_label(user) -> str | None:
    if user is None:
        return None
    return user.email if user.is_authenticated else "anonymous"


def audit_actor() -> str:
    """Who is making the change being audited: the signed-in person whose request
    this is (their e-mail), or ``"system"`` outside a request (commands, tasks,
    migrations) and for anonymous requests.

    Unlike log lines, the audit may look the user up: role and privilege changes are
    rare, and an audit line that cannot say who did it is of little use.
    """
    context = _current.get()
    request = context.request if context else None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.email
    return "system"


class RequestContextFilter(logging.Filter):
    """Adds ``request_id``, ``actor`` and ``ip`` of the current request to a record
    (None outside a request). Attached to handlers, so every logger gets them."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _current.get()
        record.__dict__.setdefault("request_id", context.request_id if context else None)
        record.__dict__.setdefault("ip", context.ip if context else None)
        record.__dict__.setdefault(
            "actor", _user_label(_loaded_user(context.request)) if context else None
        )
        return True


def utc_iso(created: float) -> str:
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(created))
    return f"{stamp}.{int(created % 1 * 1000):03d}Z"


class JsonFormatter(logging.Formatter):
    """One JSON object a line. The event's own fields come from ``extra={"data": {...}}``
    (:func:`lms.security.log_event` and the request log use it) and win over the
    request's ``actor`` and ``ip``, so an audit line names the actor it was given."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": utc_iso(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "actor": getattr(record, "actor", None),
            "ip": getattr(record, "ip", None),
        }
        status = getattr(record, "status_code", None)  # django.request's 4xx/5xx lines
        if status is not None:
            line["status"] = status
        line.update(getattr(record, "data", None) or {})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """Plain text for a developer's console: UTC time, level, logger, request id."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def formatTime(self, record, datefmt=None):
        return utc_iso(record.created)

    def format(self, record: logging.LogRecord) -> str:
        record.__dict__.setdefault("request_id", None)
        text = super().format(record)
        data = getattr(record, "data", None)
        if data and record.name == "lms.request":
            text += f" {data['duration_ms']}ms user={data['user_id']}"
        return text


def logging_config(*, log_format: str = "json", level: str = "WARNING") -> dict:
    """Django's ``LOGGING``: every logger through one handler and one formatter.

    ``lms.security`` (the audit) and ``lms.request`` (the request log) log at INFO
    whatever ``level`` (the root's) says.
    """
    if log_format not in {"json", "text"}:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {log_format!r}.")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request": {"()": "lms.observability.RequestContextFilter"}},
        "formatters": {
            "json": {"()": "lms.observability.JsonFormatter"},
            "text": {"()": "lms.observability.TextFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request"],
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "lms.security": {"level": "INFO"},
            "lms.request": {"level": "INFO"},
            # Workers and the scheduler: tasks put back after a crash, the nightly
            # history check's last entries.
            "lms.background": {"level": "INFO"},
            # No handlers of its own: Django's defaults (mail_admins, a DEBUG-only
            # console) are replaced, and its lines reach the root's handler.
            "django": {"level": level},
            # Python's warnings, through the same handler rather than raw to stderr.
            "py.warnings": {"level": "WARNING"},
        },
    }


def configure_logging(config: dict) -> None:
    """``LOGGING_CONFIG``: Django's dictConfig, and Python's warnings routed into the
    ``py.warnings`` logger so they come out in the same format, not raw on stderr."""
    import logging.config

    logging.config.dictConfig(config)
    logging.captureWarnings(True)


# Request id and request log ------------------------------------------------------------


def _request_id(request) -> str:
    """The proxy's id when a trusted proxy sent a sane one, else a new one.

    With no trusted proxy (``TRUSTED_PROXY_COUNT = 0``) the header comes straight
    from the client, who could use it to make their requests look like someone
    else's in the logs, so it is ignored.
    """
    from django.conf import settings

    offered = request.META.get("HTTP_X_REQUEST_ID", "")
    if settings.TRUSTED_PROXY_COUNT > 0 and SANE_REQUEST_ID.fullmatch(offered):
        return offered
    return secrets.token_hex(16)


def loggable_path(path: str) -> str:
    """The path as the request log writes it: no query string (the caller passes
    ``request.path``) and no password-reset token."""
    return _RESET_TOKEN.sub(r"\1[token]", path)


def loggable_path_in_url(url: str) -> str:
    """:func:`loggable_path` for a full URL; the query string and fragment go too."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, loggable_path(parts.path), "", ""))


def _user_id(request) -> int | str | None:
    """Who made the request, as far as serving it found out, without a query:
    the user id, ``"anonymous"``, or None when nothing looked (a static file)."""
    user = _loaded_user(request)
    if user is not None:
        return user.pk if user.is_authenticated else "anonymous"
    session = getattr(request, "session", None)
    if session is not None and "_session_cache" in session.__dict__:
        from django.contrib.auth import SESSION_KEY

        user_id = session.get(SESSION_KEY)
        return int(user_id) if str(user_id).isdigit() else "anonymous"
    from django.conf import settings

    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return "anonymous"
    return None


class RequestIdMiddleware:
    """First in the chain: gives the request its id and context, and once the
    response is made, counts it for the metrics and writes the request log line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from lms.security import client_ip

        started = time.perf_counter()
        request_id = _request_id(request)
        request.request_id = request_id
        token = _current.set(RequestContext(request_id, client_ip(request), request))
        status = 500  # unless a response comes back: an error that escaped every handler
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            status = response.status_code
            return response
        finally:
            _observe(request, status, time.perf_counter() - started)
            self._log(request, status=status, started=started)
            _current.reset(token)

    @staticmethod
    def _log(request, *, status: int, started: float) -> None:
        if not request_log.isEnabledFor(logging.INFO):
            return  # the line would be dropped: do not build it
        path = loggable_path(request.path)
        request_log.info(
            "%s %s %s",
            request.method,
            path,
            status,
            extra={
                "data": {
                    "method": request.method,
                    "path": path,
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": _user_id(request),
                }
            },
        )


# Metrics -------------------------------------------------------------------------------

# Two series per request and no more: django-prometheus's middleware pair updates
# about ten metrics per request, which cost 0.1 ms here, a third of a trivial view.
RESPONSES = Counter(
    "lms_http_responses_total",
    "Responses by view, method and status.",
    ["view", "method", "status"],
)
DURATION = Histogram(
    "lms_http_request_duration_seconds",
    "Time to answer a request (all middleware included), by view and method.",
    ["view", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


# The series of each (view, method, status), found once: prometheus_client checks and
# locks on every ``labels()`` call, as much as the rest of the request log together.
_series: dict[tuple, tuple] = {}


def _observe(request, status: int, seconds: float) -> None:
    match = getattr(request, "resolver_match", None)
    # Cached pages and static files are answered before URLs are resolved.
    view = (match.view_name or "unnamed") if match is not None else "unresolved"
    method = request.method if request.method in KNOWN_METHODS else "other"
    key = (view, method, status)
    series = _series.get(key)
    if series is None:
        series = _series.setdefault(
            key, (RESPONSES.labels(view, method, str(status)), DURATION.labels(view, method))
        )
    series[0].inc()
    series[1].observe(seconds)


def address_allowed(address: str, allowed: list[str]) -> bool:
    """Whether ``address`` is one of, or inside one of, the ``allowed`` addresses
    and networks (``127.0.0.1``, ``10.0.0.0/8``, ``::1``)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip in ipaddress.ip_network(entry, strict=False) for entry in allowed)


def metrics(request):
    """Prometheus metrics, for the addresses in ``METRICS_ALLOWED_IPS`` only.

    Everyone else gets the site's ordinary 404, as if there were nothing here. The
    address is the one lockouts use (``TRUSTED_PROXY_COUNT``), so a client cannot
    talk its way in with ``X-Forwarded-For``. With ``PROMETHEUS_MULTIPROC_DIR`` set
    (several gunicorn workers) the figures are summed over every worker.
    """
    import os

    import prometheus_client
    from django.conf import settings
    from django.http import Http404, HttpResponse
    from django.utils.cache import patch_cache_control
    from prometheus_client import multiprocess

    from lms.security import client_ip

    if not address_allowed(client_ip(request), settings.METRICS_ALLOWED_IPS):
        raise Http404
    registry = prometheus_client.REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    response = HttpResponse(
        prometheus_client.generate_latest(registry),
        content_type=prometheus_client.CONTENT_TYPE_LATEST,
    )
    patch_cache_control(response, no_store=True, private=True)
    return response


# Error reporting -----------------------------------------------------------------------


# Record attributes our log lines carry that name a person or their address.
PERSONAL_LOG_FIELDS = ("actor", "ip", "data")


def _sentry_before_send(event: dict, hint: dict) -> dict:
    """Keep the request id (a tag, to find the request's log lines, which do name the
    person); drop the fields of our log records that name someone, the query string,
    and any password-reset token in the URL."""
    extra = event.get("extra")
    if isinstance(extra, dict):
        for name in PERSONAL_LOG_FIELDS:
            extra.pop(name, None)
    request = event.get("request")
    if isinstance(request, dict):
        # Query strings hold search words and links; paths, password-reset tokens.
        request.pop("query_string", None)
        if isinstance(request.get("url"), str):
            request["url"] = loggable_path_in_url(request["url"])
    request_id = current_request_id()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def sentry_init(*, dsn: str, environment: str, release: str, traces_sample_rate: float) -> bool:
    """Report unhandled errors (and ERROR log lines) to Sentry; nothing when ``dsn``
    is empty. Returns whether it was set up.

    Nothing personal leaves the site: no user, address or cookies
    (``send_default_pii=False``), no request bodies (quiz answers, national ids), no
    local variables of the failing frames, and no log lines as breadcrumbs (the audit
    and request logs name people and addresses). Each event carries the request id,
    which leads to the request's own log lines. Performance tracing is off unless a
    sample rate is given.
    """
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.logging import LoggingIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        traces_sample_rate=traces_sample_rate,
        integrations=[LoggingIntegration(level=None, event_level=logging.ERROR)],
        before_send=_sentry_before_send,
    )
    return True
