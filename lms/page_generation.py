"""One number that changes whenever the public site's pages change.

Every publish, unpublish, move or deletion of a page (and the other changes
``cms.receivers`` watches: authors, categories, sites, view restrictions) bumps it.
What is worked out from the page tree and reused across requests is kept under it and
used only while it stands: the page cache's stored pages (``cms.page_cache``), the
menu, the language switcher's links, the Site and home pages routing starts from.

It sits here, in the bottom layer, so that every app may key its own memos on it.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "pagecache:generation"


def current_generation() -> int:
    """The shared generation number (one cache read), set on first use."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = time.time_ns()
        cache.add(GENERATION_KEY, generation, None)
        generation = cache.get(GENERATION_KEY, generation)
    return generation


def request_generation(request) -> int:
    """The generation, read once per request (a request sees one state of the site)."""
    if request is None:
        return current_generation()
    generation = request.__dict__.get("_page_generation")
    if generation is None:
        generation = request._page_generation = current_generation()
    return generation


def invalidate() -> None:
    """Make everything kept under the generation stale.

    Bumped at once and again when the transaction commits: a request served between
    the two would otherwise keep what it saw before the change.
    """
    bump()
    transaction.on_commit(bump)


def bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet, or evicted: any new value outdates the entries
        cache.set(GENERATION_KEY, time.time_ns(), None)


class GenerationMemo:
    """Values kept in this process for as long as the generation stands.

    For what every request of a site needs and a publish may change (the Site, the
    home pages, a page's translations): a dictionary read instead of a query. The
    values are shared by the requests of the process: callers must not change them.
    """

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self.generation: int | None = None
        self.values: OrderedDict[Hashable, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], Any], *, generation: int) -> Any:
        with self.lock:
            if generation != self.generation:
                self.values.clear()
                self.generation = generation
            elif key in self.values:
                self.values.move_to_end(key)
                return self.values[key]
        value = build()
        with self.lock:
            if generation == self.generation:
                self.values[key] = value
                while len(self.values) > self.size:
                    self.values.popitem(last=False)
        return value

    def peek(self, key: Hashable, *, generation: int, default: Any = None) -> Any:
        """The value kept for ``key`` in this generation, or ``default``; builds nothing."""
        with self.lock:
            if generation != self.generation:
                return default
            return self.values.get(key, default)

    def put(self, key: Hashable, value: Any, *, generation: int) -> None:
        self.get(key, lambda: value, generation=generation)

    def clear(self) -> None:
        with self.lock:
            self.values.clear()
            self.generation = None


class DrawnMemo(GenerationMemo):
    """Pieces of pages kept in this process by the values they are drawn from: the key
    holds everything a piece shows (never who asked), so an edit makes a new key and
    nothing needs clearing; the least recently used fall out when it is full."""

    def get(self, key: Hashable, build: Callable[[], Any]) -> Any:  # type: ignore[override]
        return super().get(key, build, generation=0)
