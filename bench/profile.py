"""Where a page's time goes: one path requested in-process, its queries and a profile.

Run with the bench settings and database after a bench run has prepared them::

    DJANGO_SETTINGS_MODULE=bench.settings DJANGO_SECRET_KEY=x SITE_URL=https://bench.invalid \
        CERTIFICATE_SIGNING_KEY="$(cat key.pem)" \
        .venv/bin/python -m bench.profile /ru/courses/bench-1000/ --user learner@example.com

It signs the user in with Django's test client (no password, no lockout), warms the
page once, prints the queries of one request, then profiles ``--repeat`` requests with
cProfile and prints the functions with the most cumulative time. ``--post k=v&k=v``
sends a form post instead (with the CSRF check off, as the test client does).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("path")
    parser.add_argument("--user", help="e-mail of the account to sign in as")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--post", help="urlencoded form data: POST instead of GET")
    parser.add_argument("--sql", action="store_true", help="print each query's SQL")
    parser.add_argument("--sort", default="cumulative", help="pstats order (e.g. tottime)")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from urllib.parse import parse_qsl

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from lms.models import User

    setup_test_environment()
    client = Client(HTTP_HOST="127.0.0.1")
    if args.user:
        client.force_login(User.objects.get(email=args.user))

    def request():
        if args.post:
            return client.post(args.path, dict(parse_qsl(args.post)))
        return client.get(args.path)

    response = request()
    print(f"{args.path}: HTTP {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        request()
    print(f"{len(queries)} queries")
    for query in queries:
        print("  ", query["sql"][: None if args.sql else 160])
    started = time.perf_counter()
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.repeat):
        request()
    profile.disable()
    elapsed = (time.perf_counter() - started) / args.repeat * 1000
    print(f"{elapsed:.1f} ms a request (profiled)")
    pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main(sys.argv[1:])
