"""The demo programme for ``seed_demo``: the 2021 course for newly elected akims.

The course is written in Russian and copied into Kazakh and English, with the course
and module titles translated; lesson texts wait for translators, as they would in
practice. One cohort, "Akmola branch, 4–22 October 2021", holds the demo learners.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from wagtail.models import Locale, Page

from cms.models import HomePage
from courses import services
from courses.models import (
    Cohort,
    CourseIndexPage,
    CoursePage,
    LessonPage,
    ModulePage,
    QuizPage,
)
from demo.course_tmp import COURSE, MODULES
from demo.quizzes import seed_quizzes
from lms.models import User

CATALOGUE_TITLES = {"ru": "Курсы", "kk": "Курстар", "en": "Courses"}
COHORT_NAME = "Акмолинский филиал, 4–22 октября 2021"
COHORT_INVITE_CODE = "AKMOLA21"


def _publish(page: Page) -> Page:
    page.save_revision().publish()
    return page


def _catalogue(home: HomePage) -> CourseIndexPage:
    catalogue = CourseIndexPage.objects.child_of(home).first()
    if catalogue is None:
        catalogue = CourseIndexPage(title=CATALOGUE_TITLES["ru"], slug="courses")
        home.add_child(instance=catalogue)
        _publish(catalogue)
    return catalogue


def _course(catalogue: CourseIndexPage, trainer: User) -> CoursePage:
    course = CoursePage.objects.child_of(catalogue).filter(code=COURSE["code"]).first()
    if course is not None:
        return course
    course = CoursePage(
        title=COURSE["title"],
        slug="akim-2021",
        code=COURSE["code"],
        summary=COURSE["summary"],
        learning_outcomes=COURSE["learning_outcomes"],
        audience=COURSE["audience"],
        academic_hours=COURSE["academic_hours"],
        languages_offered=["ru", "kk"],
    )
    course.trainers = [trainer]
    catalogue.add_child(instance=course)
    _publish(course)
    for number, module_data in enumerate(MODULES, start=1):
        module = ModulePage(
            title=module_data["title"],
            slug=f"module-{number:02d}",
            summary=module_data["summary"],
            estimated_hours=module_data["estimated_hours"],
        )
        course.add_child(instance=module)
        _publish(module)
        for lesson_number, lesson_data in enumerate(module_data["lessons"], start=1):
            lesson = LessonPage(
                title=lesson_data["title"],
                slug=f"lesson-{lesson_number}",
                estimated_minutes=lesson_data["minutes"],
                body=lesson_data["body"],
            )
            module.add_child(instance=lesson)
            _publish(lesson)
    return course


def _quiz_pages(course: CoursePage) -> None:
    """A test at the end of each module, the final exam, and the team-roles
    self-assessment (optional) in the team-management module."""
    quizzes = seed_quizzes()
    modules = list(ModulePage.objects.child_of(course).order_by("path"))
    placements = [
        (module, "test", quiz, QuizPage.Kind.MODULE_TEST, True)
        for module, quiz in zip(modules, quizzes["module_tests"], strict=True)
    ]
    placements.append(
        (
            modules[8],
            "self-assessment",
            quizzes["self_assessment"],
            QuizPage.Kind.MODULE_TEST,
            False,
        )
    )
    placements.append(
        (modules[-1], "final-exam", quizzes["final_exam"], QuizPage.Kind.FINAL_EXAM, True)
    )
    for module, slug, quiz, kind, required in placements:
        if QuizPage.objects.child_of(module).filter(slug=slug).exists():
            continue
        page = QuizPage(title=quiz.title, slug=slug, quiz=quiz, kind=kind, required=required)
        module.add_child(instance=page)
        _publish(page)


def _translate_tree(root: Page, locale: Locale, titles: dict[int, dict]) -> None:
    """Copy ``root`` and its descendants into ``locale``, where not yet copied."""
    for page in [root, *root.get_descendants().order_by("path")]:
        if page.get_translation_or_none(locale) is not None:
            continue
        copy = page.specific.copy_for_translation(locale)
        for field, value in titles.get(page.pk, {}).items():
            setattr(copy, field, value)
        copy.draft_title = copy.title
        _publish(copy)


@transaction.atomic
def seed_course(*, home: HomePage) -> Cohort:
    trainer = User.objects.get(email="trainer@example.com")
    catalogue = _catalogue(home)
    course = _course(catalogue, trainer)
    _quiz_pages(course)
    for code in ("kk", "en"):
        titles = {catalogue.pk: {"title": CATALOGUE_TITLES[code]}}
        titles[course.pk] = {
            "title": COURSE[f"title_{code}"],
            "summary": COURSE[f"summary_{code}"],
        }
        if code == "kk":
            for module, data in zip(
                ModulePage.objects.child_of(course).order_by("path"), MODULES, strict=True
            ):
                titles[module.pk] = {"title": data["title_kk"]}
        _translate_tree(catalogue, Locale.objects.get(language_code=code), titles)

    cohort, _ = Cohort.objects.get_or_create(
        name=COHORT_NAME,
        defaults={
            "course": course,
            "branch": "Филиал Академии государственного управления, Акмолинская область",
            "starts_on": date(2021, 10, 4),
            "ends_on": date(2021, 10, 22),
            "invite_code": COHORT_INVITE_CODE,
        },
    )
    cohort.trainers.add(trainer)
    for email in ("learner@example.com", "learner2@example.com"):
        services.enrolment_create(learner=User.objects.get(email=email), cohort=cohort)
    return cohort
