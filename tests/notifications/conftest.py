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
