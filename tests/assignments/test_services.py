"""Drafts, files, hand-ins, returns and marks: the rules of assignments/services.py."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assignments import selectors, services
from assignments.models import AssignmentPage, Submission, SubmissionFile
from courses import selectors as course_selectors
from courses.models import CohortItemDates, ItemCompletion, learning_item_types
from courses.services import NotEnrolled
from notifications.models import Notification
from tests.factories.assignments import pdf_bytes, png_bytes, upload


def levels(page, *indexes):
    return {c.id: str(i) for c, i in zip(page.criteria, indexes, strict=True)}


def hand_in(learner, page, text="План детской площадки"):
    services.draft_save(learner=learner, page=page, text=text)
    services.file_add(learner=learner, page=page, upload=upload("plan.pdf", pdf_bytes()))
    return services.submission_submit(learner=learner, page=page)


def test_assignments_are_learning_items_counted_by_progress(assignment, enrolment, course):
    assert AssignmentPage in learning_item_types()
    summary = course_selectors.course_summary(course=course, enrolment=enrolment)
    assert summary.progress.total == 3  # two lessons and the assignment
    items = course_selectors.module_items(module=assignment.get_parent(), enrolment=enrolment)
    assert [item.kind for item in items] == ["lesson", "assignment"]


def test_draft_text_is_kept_without_markup(assignment, enrolment, learner):
    submission = services.draft_save(
        learner=learner, page=assignment, text="<script>x</script>Площадка <b>у школы</b>"
    )
    assert submission.state == Submission.State.DRAFT
    assert "<" not in submission.text and "Площадка у школы" in submission.text


def test_someone_not_enrolled_cannot_save(assignment, trainer):
    with pytest.raises(NotEnrolled):
        services.draft_save(learner=trainer, page=assignment, text="x")


def test_too_many_files_are_refused(assignment, enrolment, learner):
    assignment.max_files = 1
    assignment.save()
    services.file_add(learner=learner, page=assignment, upload=upload("a.pdf", pdf_bytes()))
    with pytest.raises(ValidationError, match="at most 1"):
        services.file_add(learner=learner, page=assignment, upload=upload("b.png", png_bytes()))


def test_a_file_too_big_for_the_assignment_is_refused(assignment, enrolment, learner, settings):
    settings.ASSIGNMENT_MAX_FILE_MB = 1
    big = pdf_bytes() + b"0" * (1024 * 1024)
    with pytest.raises(ValidationError):
        services.file_add(learner=learner, page=assignment, upload=upload("a.pdf", big))
    assert not SubmissionFile.objects.exists()


def test_handing_in_twice_makes_one_version(assignment, enrolment, learner):
    first = hand_in(learner, assignment)
    second = services.submission_submit(learner=learner, page=assignment)
    assert first.pk == second.pk
    submission = Submission.objects.get()
    assert submission.versions.count() == 1
    assert submission.state == Submission.State.SUBMITTED
    assert [f.name for f in first.files.all()] == ["plan.pdf"]


def test_nothing_to_hand_in_is_refused(assignment, enrolment, learner):
    services.draft_save(learner=learner, page=assignment, text="   ")
    with pytest.raises(ValidationError):
        services.submission_submit(learner=learner, page=assignment)


def test_handed_in_work_cannot_change(assignment, enrolment, learner):
    hand_in(learner, assignment)
    with pytest.raises(services.NotEditable):
        services.draft_save(learner=learner, page=assignment, text="другое")
    with pytest.raises(services.NotEditable):
        services.file_add(learner=learner, page=assignment, upload=upload("a.pdf", pdf_bytes()))


def test_return_then_resubmit_keeps_every_version(
    assignment, enrolment, learner, trainer, django_capture_on_commit_callbacks
):
    hand_in(learner, assignment)
    submission = Submission.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_return(
            submission=submission, page=assignment, marker=trainer, comment="Добавьте смету"
        )
    submission.refresh_from_db()
    assert submission.state == Submission.State.RETURNED
    # the draft starts from what was handed in: the text and the same files
    assert submission.text == "План детской площадки"
    assert submission.files.filter(version__isnull=True).count() == 1
    services.draft_save(learner=learner, page=assignment, text="План и смета")
    second = services.submission_submit(learner=learner, page=assignment)
    assert second.number == 2
    first = submission.versions.get(number=1)
    assert first.text == "План детской площадки" and first.outcome == "returned"
    assert first.comment == "Добавьте смету"
    assert second.files.count() == 1
    assert Notification.objects.filter(user=learner, event=services.RETURNED).count() == 1


def test_marking_by_rubric_computes_points_and_passes_the_item(
    assignment, enrolment, learner, trainer, django_capture_on_commit_callbacks
):
    hand_in(learner, assignment)
    submission = Submission.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        version = services.submission_mark(
            submission=submission,
            page=assignment,
            marker=trainer,
            comment="<b>Хорошо</b>",
            levels=levels(assignment, 2, 1),
            points=Decimal("100"),  # ignored: a rubric's points are the levels'
        )
    assert version.points == Decimal("7") and version.max_points == Decimal("10")
    assert version.comment == "Хорошо"
    assert [row["level"] for row in version.rubric_levels] == ["С цифрами", "Есть"]
    completion = ItemCompletion.objects.get(enrolment=enrolment)
    assert completion.source == ItemCompletion.Source.ASSIGNMENT
    assert completion.item_key == assignment.translation_key
    assert Notification.objects.filter(user=learner, event=services.MARKED).count() == 1
    assert selectors.cohort_marks(cohort=enrolment.cohort) == {
        (learner.pk, assignment.translation_key): Decimal("70.00")
    }


def test_below_the_pass_mark_the_item_is_not_done(assignment, enrolment, learner, trainer):
    hand_in(learner, assignment)
    services.submission_mark(
        submission=Submission.objects.get(),
        page=assignment,
        marker=trainer,
        comment="",
        levels=levels(assignment, 1, 0),
    )
    assert not ItemCompletion.objects.exists()


@pytest.mark.parametrize("forged", [{}, "99", "-1", "abc"])
def test_a_forged_or_missing_level_is_refused(assignment, enrolment, learner, trainer, forged):
    hand_in(learner, assignment)
    chosen = {} if forged == {} else {c.id: forged for c in assignment.criteria}
    with pytest.raises(ValidationError):
        services.submission_mark(
            submission=Submission.objects.get(),
            page=assignment,
            marker=trainer,
            comment="",
            levels=chosen,
        )
    assert Submission.objects.get().state == Submission.State.SUBMITTED


def test_simple_mark_out_of_n(course, enrolment, learner, trainer):
    from courses.models import ModulePage
    from tests.factories.assignments import build_assignment

    page = build_assignment(
        ModulePage.objects.child_of(course).last(),
        slug="essay",
        marking=AssignmentPage.Marking.POINTS,
        rubric=[],
        max_points=Decimal("20"),
        pass_mark=Decimal("10"),
    )
    hand_in(learner, page)
    submission = Submission.objects.get()
    with pytest.raises(ValidationError):
        services.submission_mark(
            submission=submission, page=page, marker=trainer, comment="", points=Decimal("21")
        )
    version = services.submission_mark(
        submission=submission, page=page, marker=trainer, comment="", points=Decimal("15")
    )
    assert version.percent == Decimal("75.00")


def test_late_work_is_marked_late(assignment, enrolment, learner, trainer):
    CohortItemDates.objects.create(
        cohort=enrolment.cohort,
        item_key=assignment.translation_key,
        due_at=timezone.now() - timedelta(days=1),
    )
    version = hand_in(learner, assignment)
    assert version.late
    services.submission_mark(
        submission=Submission.objects.get(),
        page=assignment,
        marker=trainer,
        comment="",
        levels=levels(assignment, 2, 2),
    )
    assert ItemCompletion.objects.get().late


def test_locked_assignment_refuses_work(assignment, enrolment, learner):
    CohortItemDates.objects.create(
        cohort=enrolment.cohort,
        item_key=assignment.translation_key,
        opens_at=timezone.now() + timedelta(days=2),
    )
    with pytest.raises(services.NotOpen):
        services.draft_save(learner=learner, page=assignment, text="x")


def test_the_assignment_can_have_cohort_dates(assignment, course):
    items = course_selectors.dated_items(course=course)
    assert ("assignment", assignment.translation_key) in [(i.kind, i.key) for i in items]


def test_only_the_latest_marked_version_counts(assignment, enrolment, learner, trainer):
    hand_in(learner, assignment)
    services.submission_mark(
        submission=Submission.objects.get(),
        page=assignment,
        marker=trainer,
        comment="",
        levels=levels(assignment, 0, 0),
    )
    assert selectors.cohort_marks(cohort=enrolment.cohort) == {
        (learner.pk, assignment.translation_key): Decimal("0.00")
    }


def test_a_required_assignment_is_part_of_the_completion_rule(
    assignment, enrolment, learner, trainer, course
):
    from courses.models import LessonPage
    from courses.services import lesson_complete

    for lesson in LessonPage.objects.descendant_of(course):
        lesson_complete(learner=learner, lesson=lesson)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None  # the assignment is still to be passed
    hand_in(learner, assignment)
    services.submission_mark(
        submission=Submission.objects.get(),
        page=assignment,
        marker=trainer,
        comment="",
        levels=levels(assignment, 2, 2),
    )
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None


def test_the_gradebook_shows_the_marked_work(assignment, enrolment, learner, trainer):
    from gradebook.selectors import cohort_gradebook

    hand_in(learner, assignment)
    book = cohort_gradebook(cohort=enrolment.cohort, learner_view=True)
    key = f"assignment:{assignment.translation_key}"
    assert [item.key for item in book.items if item.kind == "assignment"] == [key]
    assert [cell.grade for cell in book.rows[0].cells if cell.item.key == key] == [None]

    services.submission_mark(
        submission=Submission.objects.get(),
        page=assignment,
        marker=trainer,
        comment="",
        levels=levels(assignment, 1, 1),
    )
    book = cohort_gradebook(cohort=enrolment.cohort, learner_view=True)
    (cell,) = [cell for cell in book.rows[0].cells if cell.item.key == key]
    marks = selectors.cohort_marks(cohort=enrolment.cohort)
    assert cell.grade == marks[(learner.pk, assignment.translation_key)] > 0
    assert cell.item.max == assignment.total_points
