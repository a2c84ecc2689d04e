"""The demo course in Kazakh and in English: every text a learner reads there is written
in that language, not left in Russian.

The demo is seeded once for this file (seeding takes several seconds) and rolled back at
its end. An enrolled demo learner opens the course page and each module and lesson page
of the kk and en courses, and the Russian page each translates. Each text element of a
page's main content (paragraphs, list items, table cells, headings, quotes, links) is
compared with the Russian one at the same place, and its letters are counted:

- It must differ from the Russian, unless it has no Cyrillic letter at all (a number, the
  course code APA-AKIM-2021, "SMM").
- Kazakh: the letters ә ғ қ ң ө ұ ү һ і, which Russian does not have, are 14–18 % of the
  Cyrillic letters of the translated lessons, and at least 3.4 % of any text of 40
  letters or more (a table cell with two). A text that long must have 2 % of them, which
  a Russian sentence, with none or a quoted Kazakh name's one or two, does not. Shorter
  texts may have none ("Жоспар", "Шамамен 30 минут", "модуль бойынша тест"): only the
  comparison with the Russian judges them.
- English: Latin letters; Cyrillic ones are allowed up to 5 % of a text's letters, room
  for a proper name quoted in the original in a long paragraph, never for a Russian or
  Kazakh sentence.

The titles of the module tests, which the module pages list and the lessons link to, come
from the quiz files (``title_kk``, ``title_en`` in ``demo/content/quizzes/quizzes.yaml``):
they are checked apart from the lessons' texts, by the same rules.

What people wrote is not course content: the cohort's questions under a lesson, shared
by the lesson's language copies, are in whatever language their authors wrote them. The
Q&A panel marks the posts' titles, texts and authors' names ``data-user-content``; those
are left out (and only inside the panel may anything be so marked), while the panel's
own words, its heading and "1 answer", are checked like the lesson's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import transaction
from wagtail.models import Locale, Page

from courses.models import CoursePage, LessonPage, ModulePage, QuizPage
from demo import course as demo_course

TEXT_TAGS = [
    "a",
    "p",
    "li",
    "td",
    "th",
    "h1",
    "h2",
    "h3",
    "h4",
    "caption",
    "dt",
    "dd",
    "figcaption",
]
CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]", re.IGNORECASE)
KAZAKH = re.compile(r"[әғқңөұүһі]", re.IGNORECASE)
LETTERS = re.compile(r"[^\W\d_]")

KAZAKH_SHARE = 0.02  # of the Cyrillic letters of a text of LONG_TEXT letters or more
LONG_TEXT = 40
CYRILLIC_ALLOWANCE = 0.05  # of an English text's letters


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo content, for this file's tests only."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo")
        yield
        transaction.set_rollback(True)


@pytest.fixture
def learner(demo, db, client):
    from lms.models import User

    client.force_login(User.objects.get(email="learner@example.com"))
    return client


def _text(element) -> str:
    return " ".join(element.get_text(" ").split())


def _read(client, page: Page) -> tuple[list[str], list[str]]:
    """The texts of the main content of ``page`` in order, and apart from them the
    titles of the tests it links to (texts without letters, such as hours, left out)."""
    response = client.get(page.url)
    assert response.status_code == 200, page.url
    main = BeautifulSoup(response.content, "html.parser").find("main")
    for written in main.select("[data-user-content]"):
        assert written.find_parent(class_="lesson-questions"), (page.url, str(written)[:80])
        written.decompose()
    test_urls = {test.url for test in QuizPage.objects.all()}
    tests = [link.extract() for link in main.find_all("a") if link.get("href") in test_urls]
    texts = [_text(element) for element in main.find_all(TEXT_TAGS)]
    return (
        [text for text in texts if LETTERS.search(text)],
        [_text(link) for link in tests],
    )


def _kazakh_problem(text: str) -> str | None:
    cyrillic = len(CYRILLIC.findall(text))
    kazakh = len(KAZAKH.findall(text))
    if cyrillic >= LONG_TEXT and kazakh < KAZAKH_SHARE * cyrillic:
        return f"{kazakh} of {cyrillic} letters Kazakh-specific"
    if not cyrillic:
        return "not in Cyrillic"
    return None


def _english_problem(text: str) -> str | None:
    letters = len(LETTERS.findall(text))
    cyrillic = len(CYRILLIC.findall(text))
    if cyrillic > CYRILLIC_ALLOWANCE * letters:
        return f"{cyrillic} of {letters} letters Cyrillic"
    return None


PROBLEM = {"kk": _kazakh_problem, "en": _english_problem}


def _problems(russian: list[str], translated: list[str], code: str) -> list[str]:
    """What is wrong with the texts of a ``code`` page, the Russian page's at their side."""
    problems = []
    if len(russian) != len(translated):
        problems.append(f"{len(translated)} texts, the Russian page has {len(russian)}")
    for ru, text in zip(russian, translated, strict=False):
        if text == ru:
            if CYRILLIC.search(text):
                problems.append(f"same as the Russian: {text[:80]!r}")
            continue  # a number or a code, the same in every language
        if problem := PROBLEM[code](text):
            problems.append(f"{problem}: {text[:80]!r}")
    return problems


@dataclass
class Walk:
    """What is wrong on the ``code`` translations of some pages, each naming its page."""

    texts: list[str] = field(default_factory=list)
    test_titles: list[str] = field(default_factory=list)
    tests_linked: int = 0


def _walk(client, pages: list[Page], code: str) -> Walk:
    locale = Locale.objects.get(language_code=code)
    walk = Walk()
    for source in pages:
        translation = source.get_translation(locale)
        (russian, russian_tests), (texts, tests) = _read(client, source), _read(client, translation)
        walk.tests_linked += len(tests)
        for found, problems in (
            (_problems(russian, texts, code), walk.texts),
            (_problems(russian_tests, tests, code), walk.test_titles),
        ):
            problems += [f"{translation.url}: {problem}" for problem in found]
    return walk


def _russian_course() -> CoursePage:
    return CoursePage.objects.get(locale__language_code="ru", code="APA-AKIM-2021")


def _module_pages(number: int) -> list[Page]:
    module = ModulePage.objects.child_of(_russian_course()).get(slug=f"module-{number:02d}")
    lessons = list(LessonPage.objects.child_of(module).order_by("path"))
    assert lessons
    return [module, *lessons]


LANGUAGES = pytest.mark.parametrize("code", ["kk", "en"])
MODULES = pytest.mark.parametrize("number", range(1, 12), ids=lambda number: f"module-{number:02d}")


@LANGUAGES
def test_the_course_page_is_in_its_language(learner, code):
    problems = _walk(learner, [_russian_course()], code).texts
    assert not problems, "\n".join(problems)


@MODULES
@LANGUAGES
def test_the_module_and_its_lessons_are_in_their_language(learner, code, number):
    problems = _walk(learner, _module_pages(number), code).texts
    assert not problems, "\n".join(problems)


@MODULES
@LANGUAGES
def test_the_module_names_its_tests_in_its_language(learner, code, number):
    walk = _walk(learner, _module_pages(number), code)
    assert walk.tests_linked, "the module page lists its tests"
    assert not walk.test_titles, "\n".join(walk.test_titles)


def test_a_lesson_without_its_language_file_has_no_translation(tmp_path, monkeypatch):
    """The seed then leaves that language's copy of the lesson a copy of the Russian."""
    (tmp_path / "module-01").mkdir()
    for name, title in (("lesson-1.html", "Бюджет"), ("lesson-1.en.html", "The budget")):
        (tmp_path / "module-01" / name).write_text(
            f"---\ntitle: {title}\nminutes: 5\n---\n<!-- paragraph -->\n<p>{title}</p>\n",
            encoding="utf-8",
        )
    monkeypatch.setattr(demo_course, "CONTENT", tmp_path)
    fields, body = demo_course.lesson_translation("module-01/lesson-1.html", "en")
    assert fields["title"] == "The budget"
    assert body == [("paragraph", "<p>The budget</p>")]
    assert demo_course.lesson_translation("module-01/lesson-1.html", "kk") is None
