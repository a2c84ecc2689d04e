"""The trainers' progress report and the translations report as spreadsheet rows
(written by ``base.exports``)."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain

from django.utils.translation import gettext as _

from courses.reports import ProgressReport, TranslationRow


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
        *(column.label for column in report.columns),
    ]
    return chain([header], _learner_rows(report))


def _learner_rows(report: ProgressReport) -> Iterator[list]:
    for row in report.rows:  # read in batches as the response is streamed
        yield [
            row.full_name,
            row.email,
            row.region,
            row.rural_district,
            row.cohort,
            row.status_label,
            row.percent,
            *(cell.percent for cell in row.cells),
            *row.extra,
        ]


def translation_rows(
    rows: list[TranslationRow], *, state: str, language: str, edit_url
) -> Iterator[list]:
    """A row per page and language (those in ``state`` and ``language`` when given): the
    page, its type, the language, the state and where to edit it (``edit_url(row,
    cell)``). The header is translated now."""
    header = [_("Page"), _("Type"), _("Language"), _("State"), _("Edit")]
    body = (
        [
            row.page.title,
            str(row.page.specific_class._meta.verbose_name),
            cell.language,
            str(cell.state.label),
            edit_url(row, cell),
        ]
        for row in rows
        for cell in row.cells
        if (not state or cell.state == state) and (not language or cell.language == language)
    )
    return chain([header], body)
