"""Where files live: private by default, public only for image renditions.

Two storages (``STORAGES`` in the settings, built by :func:`lms.env.storages_from_env`):

``default`` — private. Everything a model stores without naming a storage lands here:
certificate PDFs and the images copied into certificates, signature images, Wagtail
documents, original library images, avatars. Nothing in it has a guessable public
address: on disk it lives outside ``MEDIA_ROOT`` (``PRIVATE_MEDIA_ROOT``), on object
storage under the ``private/`` prefix of a bucket that no policy opens to the public.
The app serves these files itself after its permission check (certificate PDFs,
Wagtail documents through Wagtail's serve view) or hands out a short-lived signed URL
(``PRIVATE_FILE_URL_SECONDS``): the local storage's URLs point at
:func:`lms.views.private_file`, S3's are presigned.

``public`` — image renditions only (``WAGTAILIMAGES_RENDITION_STORAGE``), the one kind
of file a proxy or a public bucket prefix may serve: ``MEDIA_ROOT``/``MEDIA_URL`` on
disk, ``public/`` on object storage.

Private being the default means a file field added later is private unless someone
decides otherwise.
"""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.core import signing
from django.core.files.storage import FileSystemStorage, InMemoryStorage
from django.urls import reverse

SIGNED_URL_SALT = "lms.storage.private-file"
# The names under which the public storage keeps files (Wagtail's renditions).
PUBLIC_PREFIXES = ("images/",)


def private_file_token(name: str) -> str:
    """A signed, timestamped token naming a file of the private storage."""
    return signing.dumps(name, salt=SIGNED_URL_SALT, compress=True)


def private_file_name(token: str) -> str | None:
    """The file a token names, or None if it is forged or older than
    ``PRIVATE_FILE_URL_SECONDS``."""
    try:
        name = signing.loads(token, salt=SIGNED_URL_SALT, max_age=settings.PRIVATE_FILE_URL_SECONDS)
    except signing.BadSignature:  # SignatureExpired is one too
        return None
    return name if isinstance(name, str) else None


class SignedURLsMixin:
    """``url()`` gives a link to the app's private-file view that works for
    ``PRIVATE_FILE_URL_SECONDS``, never a path a web server could serve."""

    def url(self, name: str | None) -> str:
        if not name:
            raise ValueError("This file has no name.")
        return reverse("private_file", args=[private_file_token(name)])


class PrivateFileSystemStorage(SignedURLsMixin, FileSystemStorage):
    """Files on disk in ``PRIVATE_MEDIA_ROOT`` (outside ``MEDIA_ROOT``), readable by
    their owner and group only: a web server running as another user cannot read them
    even if it is pointed at the folder by mistake."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @cached_property
    def file_permissions_mode(self):
        return self._value_or_setting(self._file_permissions_mode, 0o640)

    @cached_property
    def directory_permissions_mode(self):
        return self._value_or_setting(self._directory_permissions_mode, 0o750)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


class PrivateInMemoryStorage(SignedURLsMixin, InMemoryStorage):
    """The private storage of the test settings: in memory, with the same URLs."""
