"""The demo programme for ``seed_demo``: the 2021 course for newly elected akims, read
from ``demo/content/course`` (``course.yaml`` and a file per lesson).

The course is written in Russian and copied into Kazakh and English. Each copy takes
its language's texts from ``course.yaml`` (course and module titles, summaries, learning
outcomes, audience), its tests' titles from the quiz files (``title_kk``, ``title_en``)
and each lesson's title and body from ``lesson-N.<language>.html`` next to the Russian
``lesson-N.html``; a lesson without that file stays a copy of the Russian, as an
untranslated page would in practice. One cohort, "Akmola branch, 4–22 October 2021",
holds the demo learners.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path

import yaml
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
from demo.documents import read_document
from demo.quizzes import CONTENT as QUIZ_CONTENT
from demo.quizzes import manifest, seed_quizzes
from lms.models import User

CONTENT = Path(__file__).resolve().parent / "content" / "course"


@cache
def programme() -> dict:
    """``course.yaml``: the catalogue, the course, its modules (each naming its lesson
    files) and the cohort."""
    return yaml.safe_load((CONTENT / "course.yaml").read_text(encoding="utf-8"))


def lesson(path: str) -> tuple[dict, list]:
    """A lesson file's fields (title, minutes) and its body blocks."""
    return read_document(CONTENT / path)


def lesson_translation(path: str, language: str) -> tuple[dict, list] | None:
    """The lesson's ``lesson-N.<language>.html``, or None where none is written yet."""
    translated = (CONTENT / path).with_suffix(f".{language}.html")
    return read_document(translated) if translated.exists() else None


def _publish(page: Page) -> Page:
    page.save_revision().publish()
    return page


def _catalogue(home: HomePage) -> CourseIndexPage:
    catalogue = CourseIndexPage.objects.child_of(home).first()
    if catalogue is None:
        data = programme()["catalogue"]
        catalogue = CourseIndexPage(title=data["title"]["ru"], slug=data["slug"])
        home.add_child(instance=catalogue)
        _publish(catalogue)
    return catalogue


def _course(catalogue: CourseIndexPage, trainer: User) -> CoursePage:
    data = programme()["course"]
    course = CoursePage.objects.child_of(catalogue).filter(code=data["code"]).first()
    if course is not None:
        return course
    course = CoursePage(
        title=data["title"]["ru"],
        slug=data["slug"],
        code=data["code"],
        summary=data["summary"]["ru"],
        learning_outcomes=data["learning_outcomes"]["ru"],
        audience=data["audience"]["ru"],
        academic_hours=data["academic_hours"],
        languages_offered=data["languages_offered"],
    )
    course.trainers = [trainer]
    catalogue.add_child(instance=course)
    _publish(course)
    for number, module_data in enumerate(programme()["modules"], start=1):
        module = ModulePage(
            title=module_data["title"]["ru"],
            slug=f"module-{number:02d}",
            summary=module_data["summary"]["ru"],
            estimated_hours=module_data["estimated_hours"],
        )
        course.add_child(instance=module)
        _publish(module)
        for lesson_number, path in enumerate(module_data["lessons"], start=1):
            fields, body = lesson(path)
            page = LessonPage(
                title=fields["title"],
                slug=f"lesson-{lesson_number}",
                estimated_minutes=fields["minutes"],
                body=body,
            )
            module.add_child(instance=page)
            _publish(page)
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


def _self_assessment_spec() -> dict:
    return yaml.safe_load((QUIZ_CONTENT / "self-assessment.yaml").read_text(encoding="utf-8"))


def _translate_tree(root: Page, locale: Locale, texts: dict[int, dict]) -> None:
    """Copy ``root`` and its descendants into ``locale``, where not yet copied, with
    the fields ``texts`` gives each page (by the source page's pk) in that language."""
    for page in [root, *root.get_descendants().order_by("path")]:
        if page.get_translation_or_none(locale) is not None:
            continue
        copy = page.specific.copy_for_translation(locale)
        for field, value in texts.get(page.pk, {}).items():
            setattr(copy, field, value)
        copy.draft_title = copy.title
        _publish(copy)


def _texts(catalogue: CourseIndexPage, course: CoursePage, code: str) -> dict[int, dict]:
    """The fields of each page of the course tree in language ``code``, by source pk:
    what ``course.yaml``, the quiz files and the lesson files have in that language."""
    data = programme()
    course_data = data["course"]
    texts = {
        catalogue.pk: {"title": data["catalogue"]["title"][code]},
        course.pk: {
            field: course_data[field][code]
            for field in ("title", "summary", "learning_outcomes", "audience")
        },
    }
    quiz_titles = {
        spec["title"]: spec[f"title_{code}"]
        for spec in [*manifest()["quizzes"], _self_assessment_spec()]
        if f"title_{code}" in spec
    }
    modules = ModulePage.objects.child_of(course).order_by("path")
    for module, module_data in zip(modules, data["modules"], strict=True):
        texts[module.pk] = {
            field: module_data[field][code]
            for field in ("title", "summary")
            if code in module_data[field]
        }
        lessons = LessonPage.objects.child_of(module).order_by("path")
        for page, path in zip(lessons, module_data["lessons"], strict=True):
            if translation := lesson_translation(path, code):
                fields, body = translation
                texts[page.pk] = {"title": fields["title"], "body": body}
        for quiz_page in (
            QuizPage.objects.child_of(module).exclude(quiz=None).select_related("quiz")
        ):
            if title := quiz_titles.get(quiz_page.quiz.title):
                texts[quiz_page.pk] = {"title": title}
    return texts


def _silent(message: str) -> None:
    pass


@transaction.atomic
def seed_course(*, home: HomePage, say: Callable[[str], None] = _silent) -> Cohort:
    """The course, its quizzes, its translations and the demo cohort; ``say`` hears of
    each step."""
    data = programme()
    trainer = User.objects.get(email=data["course"]["trainer"])
    catalogue = _catalogue(home)
    say("Course: modules and lessons…")
    course = _course(catalogue, trainer)
    say("Course: quizzes from the question bank…")
    _quiz_pages(course)
    for code in ("kk", "en"):
        say(f"Course: the {code} translation…")
        locale = Locale.objects.get(language_code=code)
        _translate_tree(catalogue, locale, _texts(catalogue, course, code))
    say("Course: the cohort and its learners…")
    cohort_data = data["cohort"]
    cohort, _ = Cohort.objects.get_or_create(
        name=cohort_data["name"],
        defaults={
            "course": course,
            "branch": cohort_data["branch"],
            "starts_on": date.fromisoformat(cohort_data["starts_on"]),
            "ends_on": date.fromisoformat(cohort_data["ends_on"]),
            "invite_code": cohort_data["invite_code"],
        },
    )
    cohort.trainers.add(User.objects.get(email=cohort_data["trainer"]))
    for email in cohort_data["learners"]:
        services.enrolment_create(learner=User.objects.get(email=email), cohort=cohort)
    return cohort
