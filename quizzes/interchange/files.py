"""Files embedded in Moodle XML: pictures in a question text become library images,
other files it links to become library documents.

Moodle writes a file used by a text as a ``<file name=".." path="/" encoding="base64">``
child of that text's element, and refers to it in the HTML as
``@@PLUGINFILE@@/name`` (older files: an ``<image>`` name with its ``<image_base64>``).
Reading the file (:func:`embedded_files`) decodes each one and checks it the way an
upload to the image library is checked (Wagtail's ``WAGTAILIMAGES_*`` caps on size,
pixels and formats, the content against the name), without the database. Importing
(:func:`link_files`) saves the good ones as Wagtail images and points the ``<img>`` at
a rendition (renditions are public, originals need not be). A file the text links to
(``<a href="@@PLUGINFILE@@/rules.pdf">``) that is not a picture is checked as an upload
to the document library is (its extensions and size cap, the content against the
extension) and saved as a Wagtail document, the link pointed at it.

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
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.fields import WagtailImageField

from quizzes.interchange import ParseProblem

PLUGINFILE = "@@PLUGINFILE@@/"
# How an imported picture is shown: at most this big, whatever its original size.
RENDITION = "max-1200x1200"

_REFERENCE = re.compile(r"@@PLUGINFILE@@/([^\"'\s<>?#]+)")
_IMG = re.compile(r"(<img\b[^>]*?\bsrc=([\"']))@@PLUGINFILE@@/(.*?)(\2[^>]*>)", re.IGNORECASE)
_LINK = re.compile(r"(<a\b[^>]*?\bhref=([\"']))@@PLUGINFILE@@/(.*?)(\2[^>]*>)", re.IGNORECASE)
# What a document's first bytes are, by its extension: the content must match the name.
_ZIP = b"PK\x03\x04"
_SIGNATURES = {"pdf": b"%PDF-", "docx": _ZIP, "xlsx": _ZIP, "pptx": _ZIP, "odt": _ZIP}


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


def _check_document(name: str, data: bytes) -> None:
    """The document library's rules for an upload, and the content against the name;
    ValueError says what is wrong."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = settings.WAGTAILDOCS_EXTENSIONS
    if extension not in allowed:
        raise ValueError(
            _("only pictures and %(extensions)s files are kept")
            % {"extensions": ", ".join(allowed)}
        )
    if len(data) > settings.WAGTAILDOCS_MAX_UPLOAD_SIZE:
        raise ValueError(_("it is larger than the document library allows"))
    signature = _SIGNATURES.get(extension)
    if signature is not None and not data.startswith(signature):
        raise ValueError(_("its content is not a %(extension)s file") % {"extension": extension})
    if signature is None:  # csv, txt: text, not a program under another name
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError(_("it is not UTF-8 text")) from None


def embedded_files(
    text: str,
    files: list[tuple[str, str, str]],
    *,
    position: str,
    qtype: str,
) -> tuple[dict[str, bytes], dict[str, bytes], list[ParseProblem]]:
    """The pictures of a question text and the files it links to: ``files`` are (path,
    name, base64) as written.

    Returns the good pictures and the good documents, each by the name the text uses,
    and a problem for each file left out and each reference to a file that is not there.
    """
    used = references(text)
    shown = {unquote(html.unescape(match[2])) for match in _IMG.findall(text or "")}
    images: dict[str, bytes] = {}
    documents: dict[str, bytes] = {}
    problems: list[ParseProblem] = []
    for path, name, encoded in files:
        key = _key(path, name)
        if key in images or key in documents:
            continue  # Moodle keeps the first of two files with one name too
        if key not in used:
            problems.append(
                file_problem(position, qtype, key, _("the question text does not show it"))
            )
            continue
        try:
            data = _decode(encoded)
            if key in shown:
                _check_image(name, data)
            else:
                _check_document(name, data)
        except ValueError as error:
            problems.append(file_problem(position, qtype, key, str(error)))
            continue
        except ValidationError as error:
            problems.append(file_problem(position, qtype, key, " ".join(error.messages)))
            continue
        (images if key in shown else documents)[key] = data
    written = {_key(path, name) for path, name, _encoded in files}
    for key in sorted(used - written):
        problems.append(file_problem(position, qtype, key, _("the file is not in the question")))
    return images, documents, problems


def files_not_shown(names: list[str], *, position: str, qtype: str) -> list[ParseProblem]:
    """Problems for files attached to answers or feedback, which are plain text here."""
    reason = _("answers and feedback are plain text, without pictures")
    return [file_problem(position, qtype, name, reason) for name in names]


def drop_missing_files(text: str, kept: dict[str, bytes]) -> str:
    """``text`` without the ``<img>`` of files that are not in ``kept``, and with its
    links to them unlinked."""
    urls = dict.fromkeys(kept)
    return _point(_LINK, _point(_IMG, text, urls), urls)


def link_files(
    texts: dict[str, str], images: dict[str, bytes], documents: dict[str, bytes], *, title: str
) -> dict[str, str]:
    """Save ``images`` and ``documents`` in the libraries, once each, and point the
    ``<img>`` and links of every text of ``texts`` (a question's text in each of its
    languages) at them."""
    pictures = {key: _save_image(key, data, title) for key, data in images.items()}
    links = {key: _save_document(key, data, title) for key, data in documents.items()}
    return {
        code: _point(_LINK, _point(_IMG, text, {**pictures, **links}), {**pictures, **links})
        for code, text in texts.items()
    }


def _point(pattern: re.Pattern, text: str, urls: dict[str, str | None]) -> str:
    """Point each tag ``pattern`` finds of a ``@@PLUGINFILE@@`` file at its URL in
    ``urls`` (None: leave it as it is); remove the tag of a file not in ``urls``."""

    def replace(match: re.Match) -> str:
        key = unquote(html.unescape(match[3]))
        if key not in urls:
            return ""
        if urls[key] is None:
            return match[0]
        return match[1] + html.escape(urls[key], quote=True) + match[4]

    return pattern.sub(replace, text) if PLUGINFILE in text else text


# The files saved by the import under way (see removed_on_failure).
_SAVED: ContextVar[list | None] = ContextVar("quizzes_import_saved_files", default=None)


@contextmanager
def removed_on_failure() -> Iterator[None]:
    """Around an import's transaction: if it fails, the files it saved in storage go
    too, as its rows do with the rollback (storage is no part of the transaction)."""
    saved: list = []
    token = _SAVED.set(saved)
    try:
        yield
    except BaseException:
        for stored in saved:
            stored.storage.delete(stored.name)
        raise
    finally:
        _SAVED.reset(token)


def _kept(*stored) -> None:
    saved = _SAVED.get()
    if saved is not None:
        saved.extend(stored)


def _save_image(key: str, data: bytes, title: str) -> str:
    image_model = get_image_model()
    name = key.rsplit("/", 1)[-1]
    image = image_model(title=f"{title} – {name}"[:255], file=ImageFile(io.BytesIO(data), name))
    image._set_image_file_metadata()
    image.save()
    rendition = image.get_rendition(RENDITION)
    _kept(image.file, rendition.file)
    return rendition.url


def _save_document(key: str, data: bytes, title: str) -> str:
    name = key.rsplit("/", 1)[-1]
    document = get_document_model()(title=f"{title} – {name}"[:255], file=ContentFile(data, name))
    document._set_document_file_metadata()
    document.save()
    _kept(document.file)
    return document.url
