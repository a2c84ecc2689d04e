"""Course trees and cohorts for tests, built fast (pages go live without revisions)."""

from __future__ import annotations

from datetime import date

from courses.models import (
    Cohort,
    CourseIndexPage,
    CoursePage,
    LessonPage,
    ModulePage,
    QuizPage,
)

LESSON_BODY = [("paragraph", "<p>Бюджет сельского округа — четвёртый уровень бюджета.</p>")]


def build_course(
    home,
    *,
    modules: int = 2,
    lessons: int = 2,
    module_tests: bool = False,
    final_exam: bool = False,
    slug: str = "course",
) -> CoursePage:
    """A live course under ``home``: ``modules`` modules of ``lessons`` lessons each."""
    catalogue = CourseIndexPage.objects.child_of(home).first()
    if catalogue is None:
        catalogue = CourseIndexPage(title="Курсы", slug="courses")
        home.add_child(instance=catalogue)
    course = CoursePage(
        title="Управление сельским округом",
        slug=slug,
        code=slug.upper(),
        summary="Курс для избранных акимов.",
        academic_hours=72,
    )
    catalogue.add_child(instance=course)
    for m in range(1, modules + 1):
        module = ModulePage(title=f"Модуль {m}", slug=f"module-{m}")
        course.add_child(instance=module)
        for n in range(1, lessons + 1):
            module.add_child(
                instance=LessonPage(title=f"Урок {m}.{n}", slug=f"lesson-{n}", body=LESSON_BODY)
            )
        if module_tests:
            module.add_child(instance=QuizPage(title=f"Тест модуля {m}", slug="test"))
    if final_exam:
        last = ModulePage.objects.child_of(course).last()
        last.add_child(
            instance=QuizPage(title="Итоговый экзамен", slug="exam", kind=QuizPage.Kind.FINAL_EXAM)
        )
    return course


def build_cohort(course: CoursePage, *, name: str = "Поток 1", trainers=()) -> Cohort:
    cohort = Cohort.objects.create(
        course=course,
        name=name,
        branch="Акмолинский филиал",
        starts_on=date(2021, 10, 4),
        ends_on=date(2031, 10, 22),
    )
    cohort.trainers.set(trainers)
    return cohort


def translate_course(course: CoursePage, language: str, *, leave_out=()) -> CoursePage:
    """Live copies of ``course`` and its pages in ``language`` (made by hand, as the demo
    makes them), except the pages in ``leave_out`` and their children."""
    from wagtail.models import Locale

    locale = Locale.objects.get(language_code=language)
    skipped = {page.pk for page in leave_out}
    catalogue = course.get_parent().specific
    if catalogue.get_translation_or_none(locale) is None:
        copy = catalogue.copy_for_translation(locale)
        copy.live = True
        copy.save()
    for page in [course, *course.get_descendants().order_by("path").specific()]:
        if page.pk in skipped or page.get_parent().pk in skipped:
            skipped.add(page.pk)
            continue
        copy = page.specific.copy_for_translation(locale)
        copy.live = True
        copy.save()
    return course.get_translation(locale)
