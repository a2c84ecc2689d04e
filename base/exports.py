"""Spreadsheet exports, CSV (streamed) or XLSX (written row by row), guarded against
formula injection.

Two ways in: views that build their own rows call ``csv_response``/``xlsx_response``;
admin listings export through Wagtail's ``list_export``, whose index views take
``FormulaSafeExportMixin`` (``base.viewsets`` gives every viewset those views). Either
way a cell a spreadsheet would run as a formula is written as text.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from io import BytesIO
from itertools import islice

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# CSV lines sent as one piece of a streamed download.
CSV_LINES_PER_BLOCK = 200

# Spreadsheet programs run cells starting with these as formulas (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(cell):
    """The cell as a spreadsheet shows it but never runs it: text that would start a
    formula gets a leading apostrophe; anything else is returned as it is."""
    if isinstance(cell, str) and cell[:1] in FORMULA_STARTS:
        return "'" + cell
    return cell


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def csv_download(lines: Iterable[str], filename: str) -> StreamingHttpResponse:
    """CSV ``lines`` as a streamed download Excel opens as UTF-8: every CSV the site
    writes, its own rows and Wagtail's listing exports alike, goes out through here."""

    def with_bom() -> Iterator[str]:
        yield "\ufeff"  # so Excel opens UTF-8 Cyrillic correctly
        yield from lines

    response = StreamingHttpResponse(with_bom(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def csv_response(rows: Iterable[list], filename: str) -> StreamingHttpResponse:
    """``rows`` (a header row first) as a CSV download, streamed as they are read."""
    writer = csv.writer(_Echo())
    lines = (writer.writerow([formula_safe(cell) for cell in row]) for row in rows)
    return csv_download(_blocks(lines), filename)


def _blocks(lines: Iterator[str]) -> Iterator[str]:
    """The lines joined in blocks: each piece a streamed response yields is encoded and
    written to the socket as a chunk of its own, which costs more than a CSV line."""
    while block := "".join(islice(lines, CSV_LINES_PER_BLOCK)):
        yield block


def xlsx_response(rows: Iterable[list], filename: str) -> HttpResponse:
    """``rows`` (a header row first) as an XLSX download of one sheet."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append([formula_safe(cell) for cell in row])
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


class FormulaSafeExportMixin:
    """For a view with Wagtail's ``SpreadsheetExportMixin`` (an admin index view): every
    exported value, in CSV and XLSX alike, passes ``formula_safe``, and CSV goes out as
    ``csv_download`` sends it. Wagtail turns only
    what openpyxl takes for a formula (``=...``) back into text, and only in XLSX."""

    def preprocess_field_value(self, field, value, export_format):
        return formula_safe(super().preprocess_field_value(field, value, export_format))

    def write_csv_response(self, queryset):
        # Wagtail's own sends no charset and no byte order mark: Excel shows mojibake.
        return csv_download(self.stream_csv(queryset), self.get_filename())
