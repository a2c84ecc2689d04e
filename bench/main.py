"""The bench run: options, environment, preparation, server, benchmarks, report."""

from __future__ import annotations

import argparse
import importlib
import os
import secrets
import signal
import subprocess
import sys
import traceback
from pathlib import Path
from urllib.parse import urlsplit

from bench.harness import Context
from bench.prepare import prepare
from bench.results import Results
from bench.server import WORKERS, Server

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
WORK_DIR = BENCH_DIR / ".work"
RESULTS_PATH = BENCH_DIR / "results.json"

# Benchmark modules, run in this order. Each has ``run(ctx: bench.harness.Context)``.
BENCHMARKS = {
    "report": "bench.report",
    "certificates": "bench.certificates",
    "pages": "bench.pages",
    "lessons": "bench.lessons",
    "news": "bench.news",
    "quizzes": "bench.quizzes",
    "question_import": "bench.question_import",
    "reminders": "bench.reminders",
}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__)
    parser.add_argument(
        "--seconds", type=float, help="length of each measurement (default 5, --quick 1)"
    )
    parser.add_argument(
        "--rounds", type=int, help="rounds of interleaved measurements (default 3, --quick 1)"
    )
    parser.add_argument("--concurrency", type=int, default=4, help="requests in flight (default 4)")
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: one short round, short warm-ups"
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=sorted(BENCHMARKS),
        metavar="NAME",
        help=f"run only these benchmarks ({', '.join(BENCHMARKS)})",
    )
    args = parser.parse_args(argv)
    args.seconds = args.seconds or (1.0 if args.quick else 5.0)
    args.rounds = args.rounds or (1 if args.quick else 3)
    args.warmup = 0.3 if args.quick else 1.0
    if args.seconds <= 0 or args.rounds < 1 or args.concurrency < 1:
        parser.error("--seconds, --rounds and --concurrency must be positive")
    return args


def _throwaway_signing_key() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode("ascii")
    )


def bench_environment() -> dict[str, str]:
    """The environment of every subprocess: bench settings, a fresh secret key, and the
    public address and signing key production settings require."""
    env = dict(os.environ)
    env.pop("BENCH_ALLOW_DEMO_SEED", None)  # only the seed_demo step gets it
    env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    env["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(64)
    # Production settings refuse to start without these; the bench's own, never real.
    env.setdefault("SITE_URL", "https://bench.invalid")
    env.setdefault("CERTIFICATE_SIGNING_KEY", _throwaway_signing_key())
    env["PYTHONPATH"] = os.pathsep.join(
        path for path in (str(PROJECT_DIR), env.get("PYTHONPATH", "")) if path
    )
    return env


def describe_database(env: dict[str, str]) -> str:
    url = env.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite {(WORK_DIR / 'bench.sqlite3').relative_to(PROJECT_DIR)}"
    parts = urlsplit(url)  # no user name or password in the output
    return f"{parts.scheme} {parts.hostname or ''}:{parts.port or ''}{parts.path}"


def _stop_on_sigterm(signum, frame) -> None:
    raise SystemExit(128 + signum)  # unwinds through ``with Server``, which stops gunicorn


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    RESULTS_PATH.unlink(missing_ok=True)
    env = bench_environment()
    selected = args.only or list(BENCHMARKS)
    print(
        f"bench: {describe_database(env)}; gunicorn {WORKERS} sync workers; "
        f"{args.concurrency} in flight; {args.rounds} x {args.seconds:g} s per figure",
        file=sys.stderr,
    )

    print("Preparing the database and static files", file=sys.stderr, flush=True)
    try:
        prepare(env)
    except subprocess.CalledProcessError as exc:
        print(f"bench: preparation failed (exit {exc.returncode})", file=sys.stderr)
        return 2

    results = Results()
    server = Server(env, cwd=PROJECT_DIR, log_path=WORK_DIR / "gunicorn.log")
    try:
        with server:
            ctx = Context(
                base_url=server.url,
                results=results,
                seconds=args.seconds,
                warmup=args.warmup,
                rounds=args.rounds,
                concurrency=args.concurrency,
            )
            for name in selected:
                print(f"Benchmark {name}", file=sys.stderr, flush=True)
                importlib.import_module(BENCHMARKS[name]).run(ctx)
            results.add(
                "request_errors", sum(ctx.errors.values()), "requests", target=0, compare="<="
            )
    except Exception:  # noqa: BLE001 - any failure: report it with the server log
        traceback.print_exc()
        print(f"bench: could not finish; gunicorn's log:\n{server.log_tail()}", file=sys.stderr)
        return 2

    results.write(RESULTS_PATH)
    print()
    for line in results.lines():
        print(line)
    print(f"\nWritten to {RESULTS_PATH.relative_to(PROJECT_DIR)}", flush=True)
    if results.missed:
        names = ", ".join(figure.name for figure in results.missed)
        print(f"bench: missed {names}", file=sys.stderr)
        return 1
    return 0
