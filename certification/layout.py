"""What a certificate prints, copied from its course's template when it is issued.

``snapshot(template)`` turns a :class:`~certification.models.CertificateTemplate` into
the plain dict kept in ``Certificate.layout``: texts, colours and orientation as they
are, and the logo and signature images copied into the storage under a name made of
their SHA-256 (``certificates/assets/<hash>.png``), so a template edited, an image
replaced or a template deleted later leaves every issued certificate as it was. An
image is stored once however many certificates print it.

``layout_of(certificate)`` reads that dict back for the renderers; an empty one is the
built-in layout.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

from certification.models import Certificate, CertificateTemplate

logger = logging.getLogger(__name__)

LANGUAGES = ("kk", "ru", "en")
ASSET_DIR = "certificates/assets/"
MAX_ASSET_PIXELS = 1200  # longest side of a stored logo or signature
PLACEHOLDER = re.compile(r"\{(course|hours|cohort|dates)\}")
BLACK = "#000000"


@dataclass(frozen=True)
class Signatory:
    name: str
    position: str
    signature: str = ""  # storage name of the copied image, or ""


@dataclass(frozen=True)
class Layout:
    orientation: str = "landscape"
    primary_colour: str = BLACK
    accent_colour: str = BLACK
    titles: dict[str, str] | None = None  # None: the built-in title lines
    body: dict[str, str] | None = None  # None: the built-in sentences
    logo: str = ""
    signatories: tuple[Signatory, ...] = ()

    @property
    def landscape(self) -> bool:
        return self.orientation != CertificateTemplate.Orientation.PORTRAIT


BUILT_IN = Layout()


def snapshot(template: CertificateTemplate | None) -> dict:
    """The template's printed content as a dict for ``Certificate.layout``."""
    if template is None:
        return {}
    titles = {lang: getattr(template, f"title_{lang}").strip() for lang in LANGUAGES}
    body = {lang: getattr(template, f"body_{lang}").strip() for lang in LANGUAGES}
    return {
        "template": template.pk,
        "name": template.name,
        "orientation": template.orientation,
        "primary_colour": template.primary_colour,
        "accent_colour": template.accent_colour,
        "titles": {lang: text for lang, text in titles.items() if text},
        "body": {lang: text for lang, text in body.items() if text},
        "logo": _copy_asset(template.logo.file) if template.logo_id else "",
        "signatories": [
            {
                "name": signatory.name,
                "position": signatory.position,
                "signature": _copy_asset(signatory.signature) if signatory.signature else "",
            }
            for signatory in template.signatories.all()
        ],
    }


def layout_of(certificate: Certificate) -> Layout:
    data = certificate.layout or {}
    if not data:
        return BUILT_IN
    return Layout(
        orientation=data.get("orientation") or BUILT_IN.orientation,
        primary_colour=data.get("primary_colour") or BLACK,
        accent_colour=data.get("accent_colour") or BLACK,
        titles=data.get("titles") or None,
        body=data.get("body") or None,
        logo=data.get("logo") or "",
        signatories=tuple(
            Signatory(
                name=item.get("name", ""),
                position=item.get("position", ""),
                signature=item.get("signature", ""),
            )
            for item in data.get("signatories", [])
        ),
    )


def fill(text: str, values: dict[str, str]) -> str:
    """Replace the known ``{placeholders}``; any other brace text is printed as typed."""
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), ""), text)


def load_asset(name: str) -> bytes | None:
    """A copied image's bytes, or None when there is none (the certificate prints without).

    Kept in memory once read: a cohort's certificates print the same logo and
    signatures, and an asset's name is the hash of its content, so a kept copy is never
    out of date."""
    if not name:
        return None
    try:
        return _stored_asset(name)
    except OSError:
        logger.warning("certificate image %s is missing", name)
        return None


@functools.lru_cache(maxsize=64)
def _stored_asset(name: str) -> bytes:
    with default_storage.open(name, "rb") as stored:
        return stored.read()


def _copy_asset(field_file) -> str:
    """Copy an uploaded image as a PNG named by the SHA-256 of the original's bytes."""
    try:
        with field_file.open("rb") as original:
            data = original.read()
        name = f"{ASSET_DIR}{hashlib.sha256(data).hexdigest()}.png"
        if default_storage.exists(name):
            return name
        return default_storage.save(name, ContentFile(_as_png(data)))
    except (OSError, ValueError, Image.DecompressionBombError):
        # A missing or unreadable image must not stop the issue: it prints without.
        logger.warning("certificate image %s could not be copied", field_file.name)
        return ""


def _as_png(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        # Uploads are checked (certification.uploads, WAGTAILIMAGES_MAX_IMAGE_PIXELS), but
        # a file stored before or around those checks must not be decoded into gigabytes.
        if image.width * image.height > settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:
            raise ValueError(f"{image.width} × {image.height} pixels is too many to copy")
        image = ImageOps.exif_transpose(image)
        image = image.convert(
            "RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB"
        )
        image.thumbnail((MAX_ASSET_PIXELS, MAX_ASSET_PIXELS))
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()
