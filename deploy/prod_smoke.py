"""The production topology, started and walked on loopback (``make prod-smoke``).

Starts the processes of the ``Procfile`` exactly as written (``release`` first, then
``web``, every worker and the scheduler) with production settings against PostgreSQL
and Redis, and then, as a proxy in front would:

1. bootstraps an empty database (``bootstrap_site``) and checks ``check --deploy``;
2. signs a learner in, who marks a lesson done and passes the final exam: the course
   completes, the certificate is issued, the worker renders its PDF, and the PDF (its
   text and its QR code) carries ``SITE_URL``, with the SHA-256 the registry publishes;
3. starts a bulk issuance for a cohort, kills the worker (SIGKILL) in the middle of it,
   starts a new one, and checks the run finishes with every learner issued exactly once;
4. makes Redis unreachable (the port it is reached through is closed) and checks that
   the public pages, the verify page and sign-in still answer, and ``/healthz/`` says
   the cache is down.

Needs PostgreSQL and Redis (``PROD_SMOKE_POSTGRES``, default
``postgres://postgres@127.0.0.1:5432``; ``PROD_SMOKE_REDIS``, default
``redis://127.0.0.1:6379/8``). A fresh database is created and dropped again
(``--keep`` leaves it and the logs). Exits non-zero on the first failed check.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import io
import json
import os
import re
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SITE_HOST = "smoke.akim.test"
SITE_URL = f"https://{SITE_HOST}"
BULK_COHORT = 600


class SmokeFailed(Exception):
    pass


def say(message: str) -> None:
    print(f"[prod-smoke {time.strftime('%H:%M:%S')}] {message}", flush=True)


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailed(message)
    say(f"ok: {message}")


# Processes -------------------------------------------------------------------------


def procfile() -> dict[str, str]:
    lines = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, command = line.split(":", 1)
            lines[name.strip()] = command.strip()
    return lines


@dataclass
class Topology:
    env: dict
    logs: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def run(self, command: str, *, extra: dict | None = None, timeout: int = 600) -> str:
        """Run a one-off command (bash, as a platform runs a Procfile line)."""
        result = subprocess.run(
            ["bash", "-c", command],
            cwd=ROOT,
            env={**self.env, **(extra or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise SmokeFailed(
                f"{command!r} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            )
        return result.stdout

    def manage(self, *arguments: str, extra: dict | None = None) -> str:
        return self.run(
            " ".join([shlex.quote(PYTHON), "manage.py", *map(shlex.quote, arguments)]),
            extra=extra,
        )

    def data(self, step: str, argument: str = "") -> dict:
        output = self.manage(
            "shell",
            "-c",
            "from deploy.smoke_data import main; main()",
            extra={"SMOKE_STEP": step, "SMOKE_ARGUMENT": argument},
        )
        return json.loads(output.strip().splitlines()[-1])

    def start(self, name: str, command: str) -> None:
        log = open(self.logs / f"{name}.log", "ab")
        self.processes[name] = subprocess.Popen(
            ["bash", "-c", f"exec {command}"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed as a whole
        )
        say(f"started {name} (pid {self.processes[name].pid}): {command}")

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes.pop(name)
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.kill(name, signal.SIGTERM)


# A TCP forwarder to Redis whose port can be closed ---------------------------------


class Forwarder:
    """Listens on a loopback port and forwards each connection to Redis; ``close()``
    closes the port and every connection, as a firewall or a dead host would."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.open = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while self.open:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.close()
                except OSError:
                    pass

    def close(self) -> None:
        self.open = False
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() under way
        except OSError:
            pass
        self.listener.close()
        for sock in self.sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            except OSError:
                pass


# HTTP, as a TLS-terminating proxy in front passes it on ---------------------------


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Browser:
    """Requests to the web process with the headers the proxy adds (Host, HTTPS,
    the client's address), a cookie jar and CSRF tokens; redirects followed on
    loopback."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        data: dict | None = None,
        follow: bool = True,
        accept: str = "text/html",
    ) -> Response:
        for _ in range(10):
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            headers = {
                "Host": SITE_HOST,
                "X-Forwarded-Proto": "https",
                "X-Forwarded-For": "203.0.113.7",
                "Accept": accept,
                "User-Agent": "prod-smoke",
            }
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            body = None
            if data is not None:
                body = urlencode(data, doseq=True)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                headers["Origin"] = SITE_URL
                headers["Referer"] = SITE_URL + path
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            response = Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, raw.read())
            for name, value in raw.getheaders():
                if name.lower() == "set-cookie":
                    cookie, _, _rest = value.partition(";")
                    key, _, val = cookie.partition("=")
                    self.cookies[key.strip()] = val.strip()
            connection.close()
            if follow and response.status in (301, 302, 303) and "location" in response.headers:
                location = urlsplit(response.headers["location"])
                if location.netloc not in ("", SITE_HOST):
                    return response
                path = location.path + (f"?{location.query}" if location.query else "")
                method, data = "GET", None
                continue
            return response
        raise SmokeFailed(f"too many redirects from {path}")

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict, **kwargs) -> Response:
        data = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data}
        return self.request("POST", path, data, **kwargs)

    def sign_in(self, email: str, password: str) -> Response:
        form = self.get("/accounts/login/").text
        fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form))
        fields.update({"username": email, "password": password})
        return self.post("/accounts/login/", fields)


# The walk ---------------------------------------------------------------------------


def wait_for(description: str, probe, timeout: float = 120, every: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(every)
    raise SmokeFailed(f"timed out waiting for {description}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def signing_key_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


def pdf_checks(pdf: bytes, number: str) -> None:
    """The PDF prints the verify URL under SITE_URL and its QR code encodes it."""
    import segno
    from PIL import Image, ImageChops
    from pypdf import PdfReader

    url = f"{SITE_URL}/v/{number}"
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    text = " ".join(page.extract_text().split())
    check(url in text, f"the PDF prints {url}")
    check("127.0.0.1" not in text and "localhost" not in text, "no loopback address in the PDF")
    expected = segno.make(url, error="m", micro=False)
    found = False
    for image in page.images:
        picture = image.image.convert("1")
        modules = expected.symbol_size(scale=1, border=4)[0]
        if picture.width % modules:
            continue
        buffer = io.BytesIO()
        expected.save(buffer, kind="png", scale=picture.width // modules, border=4)
        drawn = Image.open(buffer).convert("1")
        if drawn.size == picture.size and not ImageChops.difference(drawn, picture).getbbox():
            found = True
    check(found, "the PDF's QR code encodes the verify URL under SITE_URL")


def walk_a_learner(top: Topology, web: Browser, data: dict) -> dict:
    response = web.sign_in(data["learner"], data["password"])
    check(response.status == 200 and "sessionid" in web.cookies, "the learner signs in")
    lesson = web.get(data["lesson_url"])
    check(lesson.status == 200, "the learner opens the lesson")
    done = web.post(f"/ru/learn/lessons/{data['lesson_id']}/done/", {})
    check(done.status == 200, "the learner marks the lesson done")
    question = web.post(f"/ru/quizzes/{data['quiz_id']}/start/", {})
    attempts = re.findall(r"/ru/quizzes/attempts/(\d+)/", question.text)
    check(question.status == 200 and bool(attempts), "the learner starts the final exam")
    attempt = attempts[0]
    web.post(f"/ru/quizzes/attempts/{attempt}/q/0/", {"value": "true", "go": "summary"})
    result = web.post(f"/ru/quizzes/attempts/{attempt}/submit/", {})
    check(result.status == 200 and "100" in result.text, "the learner passes the final exam")
    certificate = wait_for(
        "the certificate and its PDF",
        lambda: (
            (found := top.data("certificate", data["learner"]))
            and found.get("pdf_sha256")
            and found
        ),
        timeout=180,
        every=2,
    )
    say(f"certificate {certificate['number']} issued, PDF rendered by the worker")
    pdf = web.get(f"/certificates/{certificate['pk']}/pdf", accept="application/pdf")
    check(pdf.status == 200 and pdf.body.startswith(b"%PDF"), "the holder downloads the PDF")
    check(
        hashlib.sha256(pdf.body).hexdigest() == certificate["pdf_sha256"],
        "the PDF's SHA-256 is the one the registry publishes",
    )
    pdf_checks(pdf.body, certificate["number"])
    verify = Browser(web.port).get(f"/v/{certificate['number']}", accept="application/json")
    body = json.loads(verify.body)
    check(verify.status == 200 and body["status"] == "VALID", "the certificate verifies")
    credential = Browser(web.port).get(f"/v/{certificate['number']}/credential.jwt")
    payload = json.loads(_b64(credential.text.split(".")[1]))
    check(payload["iss"] == f"did:web:{SITE_HOST}", "the signed credential names SITE_URL's host")
    return certificate


def _b64(part: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def bulk_run_survives_a_killed_worker(top: Topology, database_url: str) -> None:
    import psycopg

    cohort = top.data("cohort", str(BULK_COHORT))
    say(f"cohort {cohort['cohort_id']} with {cohort['learners']} completed learners")
    top.manage(
        "shell",
        "-c",
        "from certification.services import bulk_issuance_start; "
        "from courses.models import Cohort; from lms.models import User; "
        f"bulk_issuance_start(cohort=Cohort.objects.get(pk={cohort['cohort_id']}), "
        "requested_by=User.objects.get(email='smoke.registrar@example.com'))",
    )

    def issued() -> int:
        with psycopg.connect(database_url) as connection:
            row = connection.execute(
                "SELECT issued + skipped FROM certification_bulkissuance ORDER BY id DESC LIMIT 1"
            ).fetchone()
        return row[0] if row else 0

    wait_for("the bulk run to start issuing", lambda: issued() >= 20, timeout=180, every=0.1)
    top.kill("worker")  # SIGKILL, mid-run
    partial = issued()
    say(f"worker killed with {partial} of {cohort['learners']} done")
    check(partial < cohort["learners"], "the worker was killed before the run finished")
    top.start("worker", procfile()["worker"])

    def finished() -> dict | None:
        state = top.data("bulk_state")
        return state if state.get("state") == "finished" else None

    state = wait_for("the bulk run to finish after the restart", finished, timeout=600, every=5)
    check(
        state["certificates"]
        == state["distinct_holders"]
        == state["enrolments"]
        == cohort["learners"],
        f"every learner holds exactly one certificate ({state})",
    )
    check(
        state["issued"] + state["skipped"] == state["total"] and state["failed"] == 0,
        "the run's counts add up",
    )


def redis_gone(web: Browser, forwarder: Forwarder, number: str, learner: dict) -> None:
    forwarder.close()
    try:
        socket.create_connection(("127.0.0.1", forwarder.port), timeout=1).close()
    except OSError:
        say("Redis's port closed")
    else:
        raise SmokeFailed("Redis's port still accepts connections")
    for path in ("/ru/", "/kk/", f"/v/{number}", "/accounts/login/", "/sitemap.xml"):
        started = time.monotonic()
        response = Browser(web.port).get(path)
        took = time.monotonic() - started
        check(response.status == 200, f"{path} answers without Redis ({took:.2f} s)")
    visitor = Browser(web.port)
    visitor.sign_in(learner["learner"], learner["password"])
    dashboard = visitor.get("/ru/dashboard/")
    check(dashboard.status == 200 and number in dashboard.text, "a learner signs in without Redis")
    health = json.loads(Browser(web.port).get("/healthz/", accept="application/json").body)
    check(health["status"] == "degraded", f"/healthz/ says degraded ({health})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="leave the database and the logs")
    options = parser.parse_args()

    postgres = os.environ.get("PROD_SMOKE_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    redis_url = urlsplit(os.environ.get("PROD_SMOKE_REDIS", "redis://127.0.0.1:6379/8"))
    name = f"prod_smoke_{os.getpid()}"
    database_url = f"{postgres}/{name}"
    import psycopg

    with psycopg.connect(
        f"{postgres.replace('postgres://', 'postgresql://', 1)}/postgres", autocommit=True
    ) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    logs = Path(tempfile.mkdtemp(prefix="prod-smoke-"))
    forwarder = Forwarder((redis_url.hostname or "127.0.0.1", redis_url.port or 6379))
    port = free_port()
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))
        },
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": SITE_HOST,
        "SITE_URL": SITE_URL,
        "DATABASE_URL": database_url,
        "REDIS_URL": f"redis://127.0.0.1:{forwarder.port}{redis_url.path or '/8'}",
        "CACHE_KEY_PREFIX": name,
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "CERTIFICATE_SIGNING_KEY": signing_key_pem(),
        "TRUSTED_PROXY_COUNT": "1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "MEDIA_ROOT": str(logs / "media"),
        "PRIVATE_MEDIA_ROOT": str(logs / "private"),
        "PYTHONPATH": str(ROOT),
        "PATH": f"{Path(PYTHON).parent}:{os.environ.get('PATH', '')}",
    }
    top = Topology(env=env, logs=logs)
    processes = procfile()
    say(f"database {name}, logs in {logs}")
    try:
        top.run(processes["release"])
        say(top.manage("bootstrap_site").strip().splitlines()[-1])
        top.manage("check", "--deploy", "--fail-level", "WARNING")
        say("check --deploy is clean")
        workers = [process for process in processes if process not in ("release", "web")]
        for process in ["web", *workers]:
            top.start(process, processes[process])
        web = Browser(port)
        wait_for("the web process", lambda: _answers(port), timeout=120)
        health = json.loads(web.get("/healthz/", accept="application/json").body)
        check(health["status"] == "ok", f"/healthz/ says ok ({health})")
        data = top.data("course")
        certificate = walk_a_learner(top, web, data)
        bulk_run_survives_a_killed_worker(
            top, database_url.replace("postgres://", "postgresql://", 1)
        )
        redis_gone(web, forwarder, certificate["number"], data)
        say("all checks passed")
        return 0
    except SmokeFailed as failure:
        say(f"FAILED: {failure}")
        for log in sorted(logs.glob("*.log")):
            print(f"--- {log.name} (last lines)")
            print("\n".join(log.read_text(errors="replace").splitlines()[-40:]))
        return 1
    finally:
        top.stop_all()
        forwarder.close()
        if not options.keep:
            with psycopg.connect(
                f"{postgres.replace('postgres://', 'postgresql://', 1)}/postgres", autocommit=True
            ) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _answers(port: int) -> bool:
    try:
        return Browser(port).get("/healthz/", accept="application/json").status in (200, 503)
    except OSError:
        return False


if __name__ == "__main__":
    sys.exit(main())
