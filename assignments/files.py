"""What a handed-in file really is, read from its content, never from its name alone.

PDF, PNG and JPEG by their signatures; DOCX and XLSX are zip archives, checked to hold
``[Content_Types].xml`` and their ``word/`` or ``xl/`` part, and refused when they
would unpack to something huge (a zip bomb) or have too many members. The extension
must agree with the content: a PNG named ``plan.pdf`` is refused.
"""

from __future__ import annotations

import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from assignments.models import FILE_KINDS

ZIP_MAX_MEMBERS = 2_000
ZIP_MAX_UNPACKED = 200 * 1024 * 1024  # what the members add up to, unpacked
ZIP_MAX_RATIO = 200  # a member unpacking to more than 200× its packed size is a bomb


def _zip_kind(upload) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            if len(members) > ZIP_MAX_MEMBERS:
                raise ValidationError(_("The file has too many parts to be a document."))
            total = 0
            for member in members:
                total += member.file_size
                packed = max(member.compress_size, 1)
                if member.file_size > ZIP_MAX_UNPACKED or member.file_size / packed > ZIP_MAX_RATIO:
                    raise ValidationError(_("The file unpacks to something far too big."))
            if total > ZIP_MAX_UNPACKED:
                raise ValidationError(_("The file unpacks to something far too big."))
            names = {member.filename for member in members}
    except zipfile.BadZipFile:
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(name.startswith("word/") for name in names):
        return "docx"
    if any(name.startswith("xl/") for name in names):
        return "xlsx"
    return None


def sniff(upload) -> str | None:
    """The FILE_KINDS key the content says the file is, or None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        try:
            return _zip_kind(upload)
        finally:
            upload.seek(0)
    return None


def check_upload(upload, *, accepted: list[str], max_bytes: int) -> str:
    """The file's kind if it may be handed in, else ValidationError with a message the
    learner can act on."""
    name = PurePath(upload.name or "").name
    if upload.size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is %(size)s; the most is %(max)s.")
            % {
                "name": name,
                "size": filesizeformat(upload.size),
                "max": filesizeformat(max_bytes),
            }
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name})
    kind = sniff(upload)
    labels = ", ".join(FILE_KINDS[key][0] for key in accepted)
    if kind is None or kind not in accepted:
        raise ValidationError(
            _("“%(name)s” is not a file of the kinds accepted here (%(kinds)s).")
            % {"name": name, "kinds": labels}
        )
    if PurePath(name).suffix.lower() not in FILE_KINDS[kind][1]:
        raise ValidationError(
            _("“%(name)s” is named as another kind of file than it is (%(kind)s).")
            % {"name": name, "kind": FILE_KINDS[kind][0]}
        )
    return kind
