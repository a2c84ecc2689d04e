"""A cohort's gradebook as spreadsheet rows (written by ``base.exports``)."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from gradebook.selectors import Gradebook


def gradebook_rows(book: Gradebook) -> Iterator[list]:
    """A header row, then a row per learner: their grade per item ("" when none), the
    course total and the band. Translated now: the CSV streams after the view."""
    yield [
        _("Full name"),
        _("E-mail"),
        *(item.title for item in book.items),
        _("Course total, %"),
        _("Band"),
    ]
    for row in book.rows:
        learner = row.enrolment.learner
        yield [
            learner.full_name,
            learner.email,
            *(cell.grade if cell.grade is not None else "" for cell in row.cells),
            row.total if row.total is not None else "",
            row.band,
        ]
