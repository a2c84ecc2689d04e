"""Files are judged by their content: signatures, office zips, bombs, names."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from assignments.files import check_upload, sniff
from tests.factories.assignments import office_bytes, pdf_bytes, png_bytes, upload

ALL = ["pdf", "docx", "xlsx", "jpg", "png"]
MB = 1024 * 1024


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("plan.pdf", pdf_bytes(), "pdf"),
        ("photo.png", png_bytes(), "png"),
        ("photo.JPG", b"\xff\xd8\xff\xe0" + b"\0" * 20, "jpg"),
        ("plan.docx", office_bytes("word/document.xml"), "docx"),
        ("budget.xlsx", office_bytes("xl/workbook.xml"), "xlsx"),
    ],
)
def test_real_files_are_accepted(name, content, kind):
    assert check_upload(upload(name, content), accepted=ALL, max_bytes=MB) == kind


def test_a_png_named_pdf_is_refused():
    with pytest.raises(ValidationError, match="named as another kind"):
        check_upload(upload("plan.pdf", png_bytes()), accepted=ALL, max_bytes=MB)


def test_a_kind_the_assignment_does_not_take_is_refused():
    with pytest.raises(ValidationError, match="not a file of the kinds"):
        check_upload(upload("photo.png", png_bytes()), accepted=["pdf"], max_bytes=MB)


def test_an_html_file_renamed_pdf_is_refused():
    with pytest.raises(ValidationError):
        check_upload(upload("plan.pdf", b"<script>alert(1)</script>"), accepted=ALL, max_bytes=MB)


def test_too_big_is_refused_before_reading():
    with pytest.raises(ValidationError, match="the most is"):
        check_upload(upload("plan.pdf", pdf_bytes() + b"0" * 2048), accepted=ALL, max_bytes=1024)


def test_a_plain_zip_is_not_a_document():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert sniff(upload("plan.docx", out.getvalue())) is None


def test_a_zip_bomb_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (50 * MB))
    with pytest.raises(ValidationError, match="far too big"):
        check_upload(upload("plan.docx", out.getvalue()), accepted=ALL, max_bytes=MB)


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="empty"):
        check_upload(upload("plan.pdf", b""), accepted=ALL, max_bytes=MB)
