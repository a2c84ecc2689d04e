"""Totals by weights, missing items before and after they are due, bands, release."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from gradebook.models import ItemKind
from gradebook.selectors import band_of, cohort_gradebook
from quizzes.models import Quiz
from schedule.models import Attendance, Session
from tests.gradebook.conftest import enrol, grade, scheme, set_due


def row_of(book, enrolment):
    return next(row for row in book.rows if row.enrolment.pk == enrolment.pk)


def test_items_are_the_courses_graded_tests(cohort, tests):
    book = cohort_gradebook(cohort=cohort)
    assert [item.key for item in book.items] == [f"test:{page.translation_key}" for page in tests]
    assert all(item.kind == ItemKind.MODULE_TEST for item in book.items)


def test_self_assessments_are_not_graded_items(cohort, tests):
    Quiz.objects.filter(pk=tests[1].quiz_id).update(kind=Quiz.Kind.SELF_ASSESSMENT)
    assert [item.title for item in cohort_gradebook(cohort=cohort).items] == ["Тест 1"]


def test_equal_weights_without_a_scheme(cohort, tests, learner):
    user, enrolment = learner
    grade(user, tests[0], 80)
    grade(user, tests[1], 60)
    assert row_of(cohort_gradebook(cohort=cohort), enrolment).total == Decimal("70.00")


def test_best_attempt_counts_as_the_quiz_grades_it(cohort, tests, learner):
    user, enrolment = learner
    grade(user, tests[0], 40, number=1)
    grade(user, tests[0], 90, number=2)
    grade(user, tests[0], 70, number=3)
    Quiz.objects.filter(pk=tests[0].quiz_id).update(exam_paper=True)
    cell = row_of(cohort_gradebook(cohort=cohort), enrolment).cells[0]
    assert cell.grade == Decimal("90")


def test_weights_per_kind(cohort, course, tests, learner):
    user, enrolment = learner
    type(tests[1]).objects.filter(pk=tests[1].pk).update(kind="final_exam")
    scheme(course, weights=[("final_exam", 3)])
    grade(user, tests[0], 40)
    grade(user, tests[1], 80)
    # (40 × 1 + 80 × 3) / 4
    assert row_of(cohort_gradebook(cohort=cohort), enrolment).total == Decimal("70.00")


def test_a_missing_grade_is_left_out_until_due_then_counts_as_zero(cohort, tests, learner):
    user, enrolment = learner
    grade(user, tests[0], 80)
    set_due(cohort, tests[1], days=3)
    assert row_of(cohort_gradebook(cohort=cohort), enrolment).total == Decimal("80.00")
    set_due(cohort, tests[1], days=-1)
    assert row_of(cohort_gradebook(cohort=cohort), enrolment).total == Decimal("40.00")


def test_without_a_due_date_an_item_is_due_when_the_cohort_ends(cohort, tests, learner):
    user, enrolment = learner
    grade(user, tests[0], 80)
    later = timezone.now() + timedelta(days=365 * 20)
    assert cohort_gradebook(cohort=cohort, now=later).rows[0].total == Decimal("40.00")
    assert cohort_gradebook(cohort=cohort).rows[0].total == Decimal("80.00")


def test_nothing_graded_nothing_due_no_total(cohort, tests, learner):
    assert cohort_gradebook(cohort=cohort).rows[0].total is None


def test_bands(cohort, course, tests, learner):
    user, _enrolment = learner
    scheme(course, bands=[("F", 0), ("C", 50), ("B", 70), ("A", 85)])
    grade(user, tests[0], 70)
    grade(user, tests[1], 70)
    assert cohort_gradebook(cohort=cohort).rows[0].band == "B"
    bands = [(Decimal(0), "Fail"), (Decimal(60), "Pass")]
    assert band_of(Decimal("59.99"), bands) == "Fail"
    assert band_of(Decimal(60), bands) == "Pass"
    assert band_of(None, bands) == ""
    assert band_of(Decimal(10), [(Decimal(20), "D")]) == ""


def test_a_scheme_of_another_language_copy_counts(cohort, tests, learner):
    from tests.factories.courses import translate_course

    user, _enrolment = learner
    copy = translate_course(cohort.course, "kk")
    scheme(copy, bands=[("Pass", 0)])
    grade(user, tests[0], 70)
    assert cohort_gradebook(cohort=cohort).rows[0].band == "Pass"


def test_attendance_is_an_item_when_the_cohort_has_sessions(cohort, tests, learner, trainer):
    user, enrolment = learner
    assert "attendance" not in [item.key for item in cohort_gradebook(cohort=cohort).items]
    now = timezone.now()
    held = [
        Session.objects.create(
            cohort=cohort,
            title="Бюджет",
            starts_at=now - timedelta(days=day, hours=3),
            ends_at=now - timedelta(days=day),
        )
        for day in (1, 2, 3, 4)
    ]
    Attendance.objects.create(session=held[0], learner=user, status="present")
    Attendance.objects.create(session=held[1], learner=user, status="late")
    Attendance.objects.create(session=held[2], learner=user, status="absent")
    book = cohort_gradebook(cohort=cohort)
    assert book.items[-1].key == "attendance"
    assert row_of(book, enrolment).cells[-1].grade == Decimal(50)


def test_learner_view_leaves_out_grades_not_released(cohort, tests, learner):
    user, enrolment = learner
    Quiz.objects.filter(pk=tests[1].quiz_id).update(
        review_when=Quiz.ReviewWhen.AFTER_CLOSE, closes_at=timezone.now() + timedelta(days=2)
    )
    grade(user, tests[0], 80)
    grade(user, tests[1], 20)
    staff = cohort_gradebook(cohort=cohort)
    assert row_of(staff, enrolment).total == Decimal("50.00")
    own = cohort_gradebook(cohort=cohort, enrolment=enrolment, learner_view=True)
    hidden = own.rows[0].cells[1]
    assert not hidden.released and hidden.grade is None and hidden.source_grade is None
    assert own.rows[0].total == Decimal("80.00")
    after = timezone.now() + timedelta(days=3)
    later = cohort_gradebook(cohort=cohort, enrolment=enrolment, learner_view=True, now=after)
    assert later.rows[0].total == Decimal("50.00")


def test_a_quiz_that_never_shows_marks_never_reaches_the_learner(cohort, tests, learner):
    user, enrolment = learner
    Quiz.objects.filter(pk=tests[0].quiz_id).update(review_marks=False)
    grade(user, tests[0], 95)
    own = cohort_gradebook(cohort=cohort, enrolment=enrolment, learner_view=True)
    assert own.rows[0].cells[0].grade is None
    assert own.rows[0].total is None


def test_an_override_of_an_unreleased_grade_stays_hidden(cohort, tests, learner, trainer):
    from gradebook.services import override_set

    user, enrolment = learner
    Quiz.objects.filter(pk=tests[0].quiz_id).update(review_when=Quiz.ReviewWhen.NEVER)
    override_set(
        enrolment=enrolment,
        item_key=f"test:{tests[0].translation_key}",
        grade=Decimal(99),
        reason="Пересдача",
        actor=trainer,
    )
    own = cohort_gradebook(cohort=cohort, enrolment=enrolment, learner_view=True)
    assert own.rows[0].cells[0].grade is None
    assert row_of(cohort_gradebook(cohort=cohort), enrolment).cells[0].grade == Decimal(99)


def test_other_cohorts_learners_are_not_in_the_gradebook(cohort, tests, learner, other_learner):
    book = cohort_gradebook(cohort=cohort)
    assert [row.enrolment.pk for row in book.rows] == [learner[1].pk]


def test_a_withdrawn_learner_is_left_out(cohort, tests, learner):
    _user, enrolment = enrol(cohort, "gone@example.com")
    enrolment.status = "withdrawn"
    enrolment.save()
    assert [row.enrolment.pk for row in cohort_gradebook(cohort=cohort).rows] == [learner[1].pk]


def test_many_learners_grades_agree_with_the_quiz_engine_one_by_one(cohort, tests, learner):
    from quizzes.selectors import quiz_grade, quiz_grades

    user, _enrolment = learner
    quiz = tests[0].quiz
    for number, percent in enumerate([40, 90, 70], start=1):
        grade(user, tests[0], percent, number=number)
    for method in Quiz.Grading.values:
        for paper in (False, True):
            Quiz.objects.filter(pk=quiz.pk).update(grading=method, exam_paper=paper)
            quiz.refresh_from_db()
            many = quiz_grades(quizzes=[quiz], users=[user.pk])
            assert many.get((user.pk, quiz.pk)) == quiz_grade(quiz=quiz, user=user)
