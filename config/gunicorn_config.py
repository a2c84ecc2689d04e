"""gunicorn's settings: ``gunicorn --config python:config.gunicorn_config config.wsgi:application``.

gunicorn's own lines (start, worker exits, timeouts) go out in the same JSON format as
the app's (lms/observability.py). Its access log stays off: the app writes one request
line per request with more in it (request id, user, duration), and two lines per
request would only double the volume.
"""

import os

accesslog = None
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "lms.observability.RequestContextFilter"}},
    "formatters": {"json": {"()": "lms.observability.JsonFormatter"}},
    "handlers": {
        # gunicorn's defaults name both handlers; both write JSON to standard error.
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request"],
            "stream": "ext://sys.stderr",
        },
        "error_console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request"],
            "stream": "ext://sys.stderr",
        },
    },
    "root": {"level": "WARNING", "handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
        # Off: see above. With a logging configuration gunicorn would otherwise log
        # every request whatever ``accesslog`` says.
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
    },
}


def child_exit(server, worker):
    """With several workers, metrics are kept in PROMETHEUS_MULTIPROC_DIR; a worker
    that has gone must stop counting towards the live gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
