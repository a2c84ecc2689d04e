"""What a signature image uploaded with a certificate template may be.

A signature is copied into every certificate issued with the template, and copying
decodes it (``certification.layout``): a 144-megapixel PNG of a few kilobytes would take
gigabytes of memory there. So an upload is refused unless it is a PNG, JPEG or WebP
image, by its name *and* by what Pillow finds in it, of at most
:data:`SIGNATURE_MAX_BYTES` and :data:`SIGNATURE_MAX_PIXELS`. The size is read from the
file's header, before anything decodes the image; a refused file is never stored.

Images of the Wagtail library (a template's logo among them) are held to Wagtail's own
``WAGTAILIMAGES_*`` settings (``config/settings/base.py``).
"""

from __future__ import annotations

import warnings

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

# Pillow's name of each format, and the file name endings that may carry it.
SIGNATURE_FORMATS = {"PNG": ("png",), "JPEG": ("jpg", "jpeg"), "WEBP": ("webp",)}
SIGNATURE_EXTENSIONS = tuple(ext for exts in SIGNATURE_FORMATS.values() for ext in exts)
SIGNATURE_MAX_BYTES = 2 * 1024 * 1024
SIGNATURE_MAX_PIXELS = 16_000_000


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_signature(upload) -> None:
    """Raise ValidationError unless the uploaded file is a signature we accept.

    In order: the name's extension, the size in bytes, the format found in the
    content, and the number of pixels in its header. Nothing is decoded.
    """
    extension = _extension(getattr(upload, "name", "") or "")
    if extension not in SIGNATURE_EXTENSIONS:
        raise ValidationError(
            _("Upload a PNG, JPEG or WebP image (a file ending in .png, .jpg or .webp)."),
            code="signature_extension",
        )
    if upload.size > SIGNATURE_MAX_BYTES:
        raise ValidationError(
            _("This file is %(size)s; a signature image may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(SIGNATURE_MAX_BYTES)},
            code="signature_too_large",
        )
    limit = {"limit": SIGNATURE_MAX_PIXELS // 1_000_000}
    upload.seek(0)
    try:
        # Opening reads the header only. Pillow warns above its own limit and refuses
        # twice that: ours is far lower, so its warning says nothing new here.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload, formats=list(SIGNATURE_FORMATS)) as image:
                detected, (width, height) = image.format, image.size
    except Image.DecompressionBombError as exc:
        raise ValidationError(
            _("This image has far too many pixels; a signature may have at most %(limit)s million.")
            % limit,
            code="signature_too_many_pixels",
        ) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ValidationError(
            _("This file is not a PNG, JPEG or WebP image, whatever its name says."),
            code="signature_format",
        ) from exc
    finally:
        upload.seek(0)
    if extension not in SIGNATURE_FORMATS[detected]:
        raise ValidationError(
            _("This file is a %(format)s image but its name ends in .%(extension)s.")
            % {"format": detected, "extension": extension},
            code="signature_format_mismatch",
        )
    if width * height > SIGNATURE_MAX_PIXELS:
        raise ValidationError(
            _(
                "This image is %(width)s × %(height)s pixels; a signature may have at most "
                "%(limit)s million pixels. Scale it down and upload it again."
            )
            % {"width": width, "height": height, **limit},
            code="signature_too_many_pixels",
        )


class SignatureFormField(forms.ImageField):
    """An image upload checked by :func:`check_signature` before Pillow verifies it."""

    default_validators = []  # the allow-list is checked with the content, in to_python

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        check_signature(upload)
        return super().to_python(data)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if "accept" in attrs:
            attrs["accept"] = "image/png,image/jpeg,image/webp"
        return attrs


class SignatureField(models.ImageField):
    """An ImageField whose form field is :class:`SignatureFormField`."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SignatureFormField, **kwargs})
