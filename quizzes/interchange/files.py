"""Files embedded in Moodle XML: pictures in a question text become library images.

Moodle writes a file used by a text as a ``<file name=".." path="/" encoding="base64">``
child of that text's element, and refers to it in the HTML as
``@@PLUGINFILE@@/name`` (older files: an ``<image>`` name with its ``<image_base64>``).
Reading the file (:func:`embedded_images`) decodes each one and checks it the way an
upload to the image library is checked (Wagtail's ``WAGTAILIMAGES_*`` caps on size,
pixels and formats, the content against the name), without the database. Importing
(:func:`link_images`) saves the good ones as Wagtail images and points the ``<img>`` at
a rendition (renditions are public, originals need not be).

What cannot be shown is listed per question and the question imported without it:
files that fail the checks, files in answers and feedback (shown as plain text here),
files the text does not show, and references to files the question does not have.
"""

from __future__ import annotations

import base64
import binascii
import html
import io
import re
from urllib.parse import unquote

from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.images.fields import WagtailImageField

from quizzes.interchange import ParseProblem

PLUGINFILE = "@@PLUGINFILE@@/"
# How an imported picture is shown: at most this big, whatever its original size.
RENDITION = "max-1200x1200"

_REFERENCE = re.compile(r"@@PLUGINFILE@@/([^\"'\s<>?#]+)")
_IMG = re.compile(r"(<img\b[^>]*?\bsrc=([\"']))@@PLUGINFILE@@/(.*?)(\2[^>]*>)", re.IGNORECASE)


def file_problem(position: str, qtype: str, name: str, reason: str) -> ParseProblem:
    """A file left out of a question that is imported all the same."""
    message = _("file “%(name)s” not imported (%(reason)s); the question is imported without it")
    return ParseProblem(
        position, qtype, message % {"name": name, "reason": reason}, fatal=False, skips=False
    )


def _key(path: str, name: str) -> str:
    """The name a text uses after ``@@PLUGINFILE@@/``: the file's folder and name."""
    folder = (path or "").strip("/")
    return f"{folder}/{name}" if folder else name


def references(text: str) -> set[str]:
    """The file names ``text`` refers to (decoded: ``a%20b.png`` → ``a b.png``)."""
    return {unquote(html.unescape(match)) for match in _REFERENCE.findall(text or "")}


def _decode(encoded: str) -> bytes:
    try:
        return base64.b64decode("".join((encoded or "").split()), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(_("it is not valid base64")) from None


def _check_image(name: str, data: bytes) -> None:
    """Wagtail's checks of an image upload; ValidationError says what is wrong."""
    WagtailImageField(required=True).clean(SimpleUploadedFile(name, data))


def embedded_images(
    text: str,
    files: list[tuple[str, str, str]],
    *,
    position: str,
    qtype: str,
) -> tuple[dict[str, bytes], list[ParseProblem]]:
    """The pictures of a question text: ``files`` are (path, name, base64) as written.

    Returns the good ones by the name the text uses, and a problem for each file left
    out and each reference to a file that is not there.
    """
    used = references(text)
    images: dict[str, bytes] = {}
    problems: list[ParseProblem] = []
    for path, name, encoded in files:
        key = _key(path, name)
        if key in images:
            continue  # Moodle keeps the first of two files with one name too
        if key not in used:
            problems.append(
                file_problem(position, qtype, key, _("the question text does not show it"))
            )
            continue
        try:
            data = _decode(encoded)
            _check_image(name, data)
        except ValueError as error:
            problems.append(file_problem(position, qtype, key, str(error)))
            continue
        except ValidationError as error:
            problems.append(file_problem(position, qtype, key, " ".join(error.messages)))
            continue
        images[key] = data
    written = {_key(path, name) for path, name, _encoded in files}
    for key in sorted(used - written):
        problems.append(file_problem(position, qtype, key, _("the file is not in the question")))
    return images, problems


def files_not_shown(names: list[str], *, position: str, qtype: str) -> list[ParseProblem]:
    """Problems for files attached to answers or feedback, which are plain text here."""
    reason = _("answers and feedback are plain text, without pictures")
    return [file_problem(position, qtype, name, reason) for name in names]


def drop_missing_images(text: str, images: dict[str, bytes]) -> str:
    """``text`` without the ``<img>`` of files that are not in ``images``."""
    return _point_images(text, dict.fromkeys(images))


def link_images(texts: dict[str, str], images: dict[str, bytes], *, title: str) -> dict[str, str]:
    """Save ``images`` as library images, once each, and point the ``<img>`` of every
    text of ``texts`` (a question's text in each of its languages) at them."""
    urls = {key: _save_image(key, data, title) for key, data in images.items()}
    return {code: _point_images(text, urls) for code, text in texts.items()}


def _point_images(text: str, urls: dict[str, str | None]) -> str:
    """Point each ``<img>`` of a ``@@PLUGINFILE@@`` file at its URL in ``urls`` (None:
    leave it as it is); remove the ``<img>`` of a file that is not in ``urls``."""

    def replace(match: re.Match) -> str:
        key = unquote(html.unescape(match[3]))
        if key not in urls:
            return ""
        if urls[key] is None:
            return match[0]
        return match[1] + html.escape(urls[key], quote=True) + match[4]

    return _IMG.sub(replace, text) if PLUGINFILE in text else text


def _save_image(key: str, data: bytes, title: str) -> str:
    image_model = get_image_model()
    name = key.rsplit("/", 1)[-1]
    image = image_model(title=f"{title} – {name}"[:255], file=ImageFile(io.BytesIO(data), name))
    image._set_image_file_metadata()
    image.save()
    return image.get_rendition(RENDITION).url
