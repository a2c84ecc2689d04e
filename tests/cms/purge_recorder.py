"""A front-end cache backend for tests: it records the URLs Wagtail asks it to purge."""

from wagtail.contrib.frontend_cache.backends.base import BaseBackend


class PurgeRecorder(BaseBackend):
    purged: list[str] = []

    def __init__(self, params):
        super().__init__(params)

    def purge(self, url):
        self.purged.append(url)
