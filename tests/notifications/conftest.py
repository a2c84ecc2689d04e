import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from wagtail import hooks

from notifications.events import HOOK, Event

TEST_EVENT = Event(key="test_event", label="A test event")
QUIET_EVENT = Event(key="inbox_only", label="Only in the inbox", channels=())


@pytest.fixture(autouse=True)
def test_events():
    """Two events of the tests' own, registered as an app would."""
    with hooks.register_temporarily(HOOK, lambda: [TEST_EVENT, QUIET_EVENT]):
        yield


@pytest.fixture(autouse=True)
def _daytime(time_machine):
    """Noon in Almaty, outside the default quiet hours, unless a test moves the clock."""
    time_machine.move_to("2026-12-08T12:00:00+05:00", tick=False)


class FakeProvider:
    """An HTTP server on 127.0.0.1 standing in for Telegram or an SMS gateway: it records
    each request and answers with the next queued (status, JSON, headers), then 200 ok."""

    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list[tuple[int, dict, dict]] = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                provider.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "json": json.loads(body)}
                )
                status, data, headers = (
                    provider.answers.pop(0) if provider.answers else (200, {"ok": True}, {})
                )
                payload = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def answer(self, status: int, data: dict, headers: dict | None = None) -> None:
        self.answers.append((status, data, headers or {}))


@pytest.fixture
def provider():
    fake = FakeProvider()
    fake.thread.start()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


@pytest.fixture
def telegram(settings, provider):
    settings.TELEGRAM_BOT_TOKEN = "123:secret-token"
    settings.TELEGRAM_BOT_USERNAME = "AkimAcademyBot"
    settings.TELEGRAM_API_URL = provider.url
    settings.TELEGRAM_WEBHOOK_SECRET = "webhook-secret"
    return provider


@pytest.fixture
def sms(settings, provider):
    settings.SMS_GATEWAY_URL = provider.url + "/send"
    settings.SMS_GATEWAY_TOKEN = "gateway-token"
    settings.SMS_SENDER = "AkimAcad"
    return provider
