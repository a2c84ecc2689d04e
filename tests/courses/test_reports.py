"""The trainers' progress report: everyone's figures from the database's counts, the
rows built only for the learners read (a page, or an export in batches)."""

from collections import defaultdict

import pytest
from wagtail import hooks

from courses import reports
from courses.models import Cohort, Enrolment, ItemCompletion, Page
from lms.models import LearnerProfile, Region, User
from lms.progress import Progress

LEARNERS = 7


@pytest.fixture
def roster(cohort, course):
    """Seven learners in two regions (and one with none), each further along."""
    regions = [Region.objects.get(code="akmola"), Region.objects.exclude(code="akmola").first()]
    items = list(
        Page.objects.descendant_of(course)
        .filter(depth=course.depth + 2)
        .order_by("path")
        .values_list("translation_key", flat=True)
    )
    users = User.objects.bulk_create(
        User(email=f"r{n}@example.com", full_name=f"Слушатель {n}") for n in range(LEARNERS)
    )
    LearnerProfile.objects.bulk_create(
        LearnerProfile(user=user, region=regions[n % 2])
        for n, user in enumerate(users)
        if n != LEARNERS - 1
    )
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(learner=user, cohort=cohort, course_key=course.translation_key) for user in users
    )
    ItemCompletion.objects.bulk_create(
        ItemCompletion(enrolment=enrolment, item_key=key, source="learner", late=n % 3 == 0)
        for n, enrolment in enumerate(enrolments)
        for key in items[: n * 2]
    )
    return enrolments


def _report(cohort) -> reports.ProgressReport:
    return reports.progress_report(
        course=cohort.course, cohorts=Cohort.objects.filter(pk=cohort.pk)
    )


def test_the_figures_are_those_of_the_rows_of_everyone(cohort, roster):
    report = _report(cohort)
    rows = list(report.rows)
    assert len(report.rows) == len(rows) == LEARNERS
    assert {row.percent for row in rows} != {0}  # some progress to count
    finished = [
        Progress(done=sum(row.cells[i].state == "done" for row in rows), total=len(rows))
        for i in range(len(report.modules))
    ]
    assert [(bar.value, bar.count) for bar in report.by_module] == [
        (progress.percent, progress.done) for progress in finished
    ]
    assert any(bar.count for bar in report.by_module)
    groups = defaultdict(list)
    for row in rows:
        groups[row.region or "—"].append(row.percent)
    assert [(bar.label, bar.value, bar.count) for bar in report.by_region] == [
        (label, round(sum(values) / len(values)), len(values))
        for label, values in sorted(groups.items())
    ]
    assert len(report.by_region) == 3  # two regions and the learner without one


def test_a_page_builds_only_its_rows_and_an_export_batches_them(cohort, roster, monkeypatch):
    batches = []

    def column(*, course):
        def values(rows):
            batches.append([row.full_name for row in rows])
            return {row.pk: row.email for row in rows}

        return reports.ReportColumn(label="E-mail again", values=values)

    with hooks.register_temporarily("progress_report_columns", column):
        report = _report(cohort)
        page = report.rows[2:5]
        assert [row.full_name for row in page] == ["Слушатель 2", "Слушатель 3", "Слушатель 4"]
        assert batches == [[row.full_name for row in page]]
        assert [row.extra[-1] for row in page] == [row.email for row in page]

        whole = list(report.rows)
        monkeypatch.setattr(reports, "ROWS_BATCH", 3)
        batches.clear()
        in_batches = list(_report(cohort).rows)
    assert [len(batch) for batch in batches] == [3, 3, 1]
    assert in_batches == whole
    assert [row.full_name for row in whole] == [f"Слушатель {n}" for n in range(LEARNERS)]
    late = [cell.late for row in whole for cell in row.cells]
    assert any(late)
