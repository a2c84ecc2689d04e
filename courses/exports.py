"""Report and cohort-list exports as CSV (streamed) or XLSX (written row by row)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from io import BytesIO
from itertools import chain

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from courses.reports import ProgressReport

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_rows(report: ProgressReport) -> Iterator[list]:
    """The report as a table: a header row, then one row per learner.

    The header is translated now, in the request's language: a streamed response
    iterates the rows after the view has returned.
    """
    header = [
        _("Full name"),
        _("E-mail"),
        _("Region"),
        _("Rural district"),
        _("Cohort"),
        _("Status"),
        _("Progress, %"),
        *(module.page.title for module in report.modules),
    ]
    return chain([header], _learner_rows(report))


def _learner_rows(report: ProgressReport) -> Iterator[list]:
    for row in report.rows:
        learner = row.enrolment.learner
        profile = getattr(learner, "learner_profile", None)
        yield [
            learner.full_name,
            learner.email,
            row.region,
            profile.rural_district if profile else "",
            row.enrolment.cohort.name,
            row.enrolment.get_status_display(),
            row.percent,
            *(cell.percent for cell in row.cells),
        ]


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def _safe(cell):
    # Spreadsheet programs run cells starting with these as formulas (CSV injection).
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell


def csv_response(rows: Iterable[list], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"  # so Excel opens UTF-8 Cyrillic correctly
        for row in rows:
            yield writer.writerow([_safe(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(rows: Iterable[list], filename: str) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append([_safe(cell) for cell in row])
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
