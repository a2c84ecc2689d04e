"""The learner's dashboard: every course's own figures, in the page's language, for a
fixed number of queries; the deadlines named by the kind of item due."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from wagtail.models import Locale

from certification import services as certificate_services
from cms.models import StandardPage
from courses import selectors, services
from courses.models import CohortItemDates, CoursePage, LessonPage, ModulePage, QuizPage
from lms.progress import Progress
from tests.factories import UserFactory
from tests.factories.assignments import build_assignment
from tests.factories.cms import build_image
from tests.factories.courses import build_cohort, build_course, translate_course

# Part of the contract, whatever the number of courses and certificates: the session's
# user, the profile, the enrolments, the cohorts' dates, the items each enrolment has
# done (the courses' outlines, and so where each continues, and the courses in the
# page's language with their cover images' renditions come from the process); then the
# recent test results and the panels (sessions and calendar link, certificates; the
# grades panel reuses the dashboard's enrolments and titles). The surveys' panel asks
# only once a course is completed (none is waiting before): one more then.
DASHBOARD_QUERIES = 9
SURVEY_QUERY = 1


def _lessons(course) -> list[LessonPage]:
    return list(LessonPage.objects.descendant_of(course).order_by("path"))


def _add_lesson(course, slug: str) -> LessonPage:
    """A lesson published through a revision (after the course was completed)."""
    module = ModulePage.objects.child_of(course).order_by("path").first()
    lesson = LessonPage(title="Новый урок", slug=slug, body=[], live=False)
    module.add_child(instance=lesson)
    lesson.save_revision().publish()
    return lesson


@pytest.mark.parametrize("n", [1, 10])
def test_the_dashboard_makes_as_many_queries_for_ten_courses_as_for_one(
    client, home_pages, django_assert_num_queries, n
):
    """Each course with a cover image, deadlines and progress of its own; with ten, three
    of them completed (a certificate each) with a lesson added since."""
    learner = UserFactory()
    cover = build_image("akimat")
    now = timezone.now()
    expected = {}  # course title: (percent, new, where "continue" leads)
    for i in range(n):
        course = build_course(home_pages["ru"], modules=2, lessons=3, slug=f"course-{i}")
        course.title = f"Курс {i}"
        course.cover_image = cover
        course.requires_module_tests = course.requires_final_exam = False
        course.save()
        cohort = build_cohort(course)
        enrolment = services.enrolment_create(learner=learner, cohort=cohort)
        CohortItemDates.objects.bulk_create(
            CohortItemDates(
                cohort=cohort, item_key=module.translation_key, due_at=now + timedelta(days=i + 1)
            )
            for module in ModulePage.objects.child_of(course)
        )
        lessons = _lessons(course)
        if n > 1 and i < 3:
            for lesson in lessons:
                services.lesson_complete(learner=learner, lesson=lesson)
            enrolment.refresh_from_db()
            certificate_services.certificate_issue(enrolment=enrolment)
            new = _add_lesson(course, slug=f"new-{i}")
            expected[course.title] = (100, 1, new.url)
        else:
            done = i % len(lessons)
            for lesson in lessons[:done]:
                services.lesson_complete(learner=learner, lesson=lesson)
            percent = Progress(done=done, total=len(lessons)).percent
            expected[course.title] = (percent, 0, lessons[done].url)
    client.force_login(learner)
    client.get("/ru/dashboard/")  # warm the site and session caches, make the renditions
    with django_assert_num_queries(DASHBOARD_QUERIES + (SURVEY_QUERY if n > 1 else 0)):
        response = client.get("/ru/dashboard/")
    shown = {
        entry["course"].title: (
            entry["progress"].percent,
            entry["progress"].new,
            entry["continue_url"],
        )
        for entry in response.context["courses"]
    }
    assert shown == expected
    html = response.content.decode()
    assert html.count(".fill-320x180") == n
    assert html.count('class="certificate-preview"') == min(n - 1, 3)


def test_course_summaries_keep_each_enrolments_completions_apart(home_pages):
    """Two learners in one course, and a course deeper in the tree, summed up at once."""
    course = build_course(home_pages["ru"], modules=2, lessons=2)
    section = StandardPage(title="Программы", slug="programmes")
    home_pages["ru"].add_child(instance=section)
    deeper = build_course(section, modules=1, lessons=3, slug="deeper")
    assert deeper.depth == course.depth + 1
    cohort, deeper_cohort = build_cohort(course), build_cohort(deeper)
    first, second = UserFactory(), UserFactory()
    ones = services.enrolment_create(learner=first, cohort=cohort)
    twos = services.enrolment_create(learner=second, cohort=cohort)
    deepers = services.enrolment_create(learner=first, cohort=deeper_cohort)
    services.lesson_complete(learner=first, lesson=_lessons(course)[0])
    for lesson in _lessons(course)[1:4]:
        services.lesson_complete(learner=second, lesson=lesson)
    services.lesson_complete(learner=first, lesson=_lessons(deeper)[2])
    pairs = [(course, ones), (course, twos), (deeper, deepers), (course, None)]
    summaries = selectors.course_summaries(courses=pairs)
    assert [[m.done for m in s.modules] for s in summaries] == [[1, 0], [1, 2], [1], [0, 0]]
    assert [[m.required for m in s.modules] for s in summaries] == [[2, 2], [2, 2], [3], [2, 2]]
    for (page, enrolment), summary in zip(pairs, summaries, strict=True):
        assert summary == selectors.course_summary(course=page, enrolment=enrolment)
    starts = [(ones, course, None), (twos, course, None), (deepers, deeper, None)]
    assert selectors.continue_urls(starts=starts, request=None) == [
        _lessons(course)[1].url,
        _lessons(course)[0].url,
        _lessons(deeper)[0].url,
    ]


def test_each_course_is_shown_in_the_pages_language_as_localized_finds_it(home_pages):
    """A live copy in the language is shown; a draft copy or none leaves the cohort's own."""
    course = build_course(home_pages["ru"], modules=1, lessons=1)
    kazakh = translate_course(course, "kk")
    english = course.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    english.live = False
    english.save()
    other = build_course(home_pages["ru"], modules=1, lessons=1, slug="other")
    learner = UserFactory()
    enrolments = [
        services.enrolment_create(learner=learner, cohort=build_cohort(page))
        for page in (course, other)
    ]
    for language, shown in (("kk", kazakh), ("en", course), ("ru", course)):
        with translation.override(language):
            found = selectors.enrolled_courses(enrolments=enrolments)
            assert found == {course.pk: shown, other.pk: other}, language
            assert found[course.pk] == CoursePage.objects.get(pk=course.pk).localized


def test_the_deadlines_name_each_item_by_its_kind(client, learner, enrolment, course, cohort):
    """An assignment was listed as a test; each dated item now says what it is."""
    module = ModulePage.objects.child_of(course).order_by("path").first()
    test = QuizPage.objects.child_of(module).get()
    assignment = build_assignment(module, required=False)
    exam = QuizPage.objects.filter(kind=QuizPage.Kind.FINAL_EXAM).get()
    soon = timezone.now() + timedelta(days=1)
    CohortItemDates.objects.bulk_create(
        CohortItemDates(
            cohort=cohort, item_key=page.translation_key, due_at=soon + timedelta(hours=i)
        )
        for i, page in enumerate([module, test, assignment, exam])
    )
    client.force_login(learner)
    response = client.get("/ru/dashboard/")
    assert [(d.title, d.kind) for d, _course in response.context["due_next"]] == [
        (module.title, "module"),
        (test.title, "module_test"),
        (assignment.title, "assignment"),
        (exam.title, "final_exam"),
    ]
    html = " ".join(response.content.decode().split()).replace(" </span>", "</span>")
    for title, kind in (
        (module.title, "модуль"),
        (test.title, "тест по модулю"),
        (assignment.title, "задание (необязательно)"),
        (exam.title, "итоговый экзамен"),
    ):
        assert f'{title}</a> · <span class="meta">{kind}</span>' in html, kind


def test_the_courses_kept_in_the_process_follow_a_publish_and_the_language(
    client, home_pages, learner
):
    """The dashboard's courses (in the page's language, with their cover) come from the
    process: a new title is shown once published, each language gets its own copy, and
    another learner's courses are never mixed in."""
    course = build_course(home_pages["ru"], modules=1, lessons=1)
    other = build_course(home_pages["ru"], modules=1, lessons=1, slug="other")
    other.title = "Другой курс"
    other.save()
    kazakh = translate_course(course, "kk")
    services.enrolment_create(learner=learner, cohort=build_cohort(course))
    someone = UserFactory()
    services.enrolment_create(learner=someone, cohort=build_cohort(other))
    client.force_login(learner)
    html = client.get("/ru/dashboard/").content.decode()
    assert course.title in html and other.title not in html
    assert kazakh.title in client.get("/kk/dashboard/").content.decode()
    course.title = "Новое название курса"
    course.save_revision().publish()
    html = client.get("/ru/dashboard/").content.decode()
    assert html.count("Новое название курса") == 2  # its card and its grades link
    kk_html = client.get("/kk/dashboard/").content.decode()
    assert kazakh.title in kk_html and "Новое название курса" not in kk_html
    client.force_login(someone)
    html = client.get("/ru/dashboard/").content.decode()
    assert other.title in html and "Новое название курса" not in html


def test_the_deadline_lines_kept_in_the_process_follow_edits(
    client, learner, enrolment, course, cohort
):
    """Deadline lines are kept in the process by what they show: a new due date, a
    published title and a slug (so the link) are seen on the next request; passing a
    due date moves a line to "overdue"."""
    module = ModulePage.objects.child_of(course).order_by("path").first()
    soon = timezone.now() + timedelta(days=1)
    dates = CohortItemDates.objects.create(
        cohort=cohort, item_key=module.translation_key, due_at=soon
    )
    client.force_login(learner)
    html = client.get("/ru/dashboard/").content.decode()
    assert f'href="{module.url}">{module.title}</a>' in html
    assert f"Срок: {date_format(timezone.localtime(soon), 'j E Y, H:i')}" in html
    later = soon + timedelta(days=3)
    dates.due_at = later
    dates.save()
    html = client.get("/ru/dashboard/").content.decode()
    assert f"Срок: {date_format(timezone.localtime(later), 'j E Y, H:i')}" in html
    module.title, module.slug = "Новый модуль", "new-module"
    module.save_revision().publish()
    module.refresh_from_db()
    html = client.get("/ru/dashboard/").content.decode()
    assert f'href="{module.url}">Новый модуль</a>' in html and "/new-module/" in module.url
    dates.due_at = timezone.now() - timedelta(hours=1)
    dates.save()
    html = client.get("/ru/dashboard/").content.decode()
    assert "срок был" in html and "Срок:" not in html


def test_the_module_lines_are_drawn_as_the_template_loop_drew_them():
    """``module_progress_lines`` (drawn in Python, kept per line) against the loop it
    replaced, titles to escape and counts of new items included, in each language."""
    from types import SimpleNamespace

    from django.template import Context, Template

    loop = Template(
        "{% load i18n courses_tags %}"
        "{% for module in modules %}\n                        <li><span>{{ module.page.title }}"
        "{% if module.new %} · {% blocktranslate count new=module.new %}{{ new }} new"
        "{% plural %}{{ new }} new{% endblocktranslate %}{% endif %}</span> "
        "{% progress_bar module.percent %}</li>\n                    {% endfor %}"
    )
    tag = Template("{% load courses_tags %}{% module_progress_lines modules %}")
    modules = [
        SimpleNamespace(page=SimpleNamespace(title=title), new=new, percent=percent)
        for title, new, percent in [
            ("Бюджет <аула> & «доходы»", 0, 0),
            ("Модуль 2", 1, 100),
            ("Модуль 3", 2, 50),
            ("Модуль 4", 5, 33),
        ]
    ]
    for language in ("ru", "kk", "en"):
        with translation.override(language):
            for _ in range(2):  # drawn, then kept
                context = Context({"modules": modules})
                assert tag.render(context) == loop.render(context)
    with translation.override("ru"):
        html = tag.render(Context({"modules": modules}))
    assert "&lt;аула&gt; &amp;" in html and "1 новый" in html and "5 новых" in html


def _values(instance) -> tuple:
    return tuple(getattr(instance, field.attname) for field in instance._meta.concrete_fields)


def test_the_dashboards_enrolments_are_the_learners_visible_ones_as_the_orm_reads_them(
    learner, course, home_pages, django_assert_num_queries
):
    """Read with written-out SQL: every field of each enrolment and of its cohort, the
    values converted as the ORM converts them, newest first; no withdrawn enrolment and
    nobody else's."""
    from courses.models import Enrolment

    courses = [course] + [
        build_course(home_pages["ru"], modules=1, lessons=1, slug=f"other-{i}") for i in range(2)
    ]
    cohorts = [build_cohort(c, name=f"Поток {i}") for i, c in enumerate(courses)]
    cohorts.append(build_cohort(course, name="Поток 4"))
    enrolments = [services.enrolment_create(learner=learner, cohort=c) for c in cohorts[:3]]
    now = timezone.now()
    Enrolment.objects.filter(pk=enrolments[0].pk).update(
        status=Enrolment.Status.COMPLETED,
        completed_at=now,
        last_item_key=course.translation_key,
        last_activity_at=now,
        enrolled_at=now - timedelta(days=30),
    )
    Enrolment.objects.filter(pk=enrolments[1].pk).update(status=Enrolment.Status.WITHDRAWN)
    services.enrolment_create(learner=UserFactory(), cohort=cohorts[3])
    expected = list(
        Enrolment.objects.filter(learner=learner, status__in=selectors.VISIBLE_STATUSES)
        .select_related("cohort")
        .order_by("-enrolled_at")
    )
    with django_assert_num_queries(1):
        read = selectors.visible_enrolments(learner=learner)
        shown = [(_values(e), _values(e.cohort), e.cohort.local_name) for e in read]
    assert shown == [(_values(e), _values(e.cohort), e.cohort.local_name) for e in expected]
    assert [e.pk for e in read] == [enrolments[2].pk, enrolments[0].pk]
    assert read[1].completed_at == now and read[1].last_item_key == course.translation_key
    assert selectors.visible_enrolments(learner=UserFactory()) == []


def test_the_dashboards_cohort_dates_are_the_orms(course, cohort, django_assert_num_queries):
    """Read with written-out SQL: each date of the learner's cohorts with its values
    converted as the ORM converts them (keys, aware datetimes, nulls); no other cohort's."""
    modules = list(ModulePage.objects.child_of(course).order_by("path"))
    other = build_cohort(course, name="Поток 2")
    third = build_cohort(course, name="Поток 3")
    now = timezone.now()
    CohortItemDates.objects.bulk_create(
        [
            CohortItemDates(cohort=cohort, item_key=modules[0].translation_key, due_at=now),
            CohortItemDates(
                cohort=cohort,
                item_key=modules[1].translation_key,
                opens_at=now - timedelta(days=2),
                due_at=now + timedelta(days=3),
            ),
            CohortItemDates(cohort=other, item_key=modules[0].translation_key, opens_at=now),
            CohortItemDates(cohort=third, item_key=modules[0].translation_key, due_at=now),
        ]
    )
    ids = [cohort.pk, other.pk]
    expected = CohortItemDates.objects.filter(cohort_id__in=ids).values_list(
        *selectors.DATE_FIELDS, "cohort_id"
    )
    with django_assert_num_queries(1):
        read = selectors._cohorts_dates(ids)
    assert sorted(map(tuple, read), key=str) == sorted(expected, key=str)
    assert len(read) == 3 and all(isinstance(row[0], type(course.translation_key)) for row in read)
