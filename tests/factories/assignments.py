"""Assignment pages and small real files (PDF, PNG, DOCX, XLSX) for tests."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from assignments.models import AssignmentPage

RUBRIC = [
    {
        "type": "criterion",
        "value": {
            "title": "Проблема",
            "levels": [
                {"label": "Не описана", "description": "", "points": Decimal("0")},
                {"label": "Описана", "description": "", "points": Decimal("2")},
                {"label": "С цифрами", "description": "", "points": Decimal("4")},
            ],
        },
    },
    {
        "type": "criterion",
        "value": {
            "title": "Бюджет",
            "levels": [
                {"label": "Нет", "description": "", "points": Decimal("0")},
                {"label": "Есть", "description": "", "points": Decimal("3")},
                {"label": "Обоснован", "description": "", "points": Decimal("6")},
            ],
        },
    },
]


def build_assignment(module, *, slug="project", **fields) -> AssignmentPage:
    values = {
        "title": "Проект для моего села",
        "slug": slug,
        "instructions": "<p>Опишите проект.</p>",
        "rubric": RUBRIC,
        "pass_mark": Decimal("5"),
        **fields,
    }
    page = AssignmentPage(**values)
    module.add_child(instance=page)
    return page


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (2, 2), "green").save(out, "PNG")
    return out.getvalue()


def office_bytes(part: str = "word/document.xml") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<document/>")
    return out.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")
