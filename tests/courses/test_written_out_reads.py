"""The enrolment, completions and cohort dates read by written-out SQL (course, module
and lesson pages), and the course outline's module lines kept in the process: the same
answers as the ORM gave, never another learner's or another cohort's."""

from datetime import date, datetime, timedelta
from uuid import UUID

import pytest
from django.utils import timezone

from courses import selectors, services
from courses.models import (
    CohortItemDates,
    Enrolment,
    ItemCompletion,
    LessonPage,
    ModulePage,
    QuizPage,
)
from tests.factories import UserFactory
from tests.factories.courses import build_cohort, translate_course


def _modules(course):
    return list(ModulePage.objects.child_of(course).order_by("path"))


def _lessons(module):
    return list(LessonPage.objects.child_of(module).order_by("path"))


@pytest.mark.django_db
def test_the_enrolment_is_the_learners_own_with_its_cohort(course, cohort, learner, enrolment):
    other = UserFactory()
    other_cohort = build_cohort(course, name="Поток 2")
    theirs = services.enrolment_create(learner=other, cohort=other_cohort)
    found = selectors.enrolment_for(user=learner, course=course)
    assert found.pk == enrolment.pk and found.pk != theirs.pk
    assert found.cohort.pk == cohort.pk and found.cohort.starts_on == date(2021, 10, 4)
    assert isinstance(found.course_key, UUID) and found.course_key == course.translation_key
    assert found.status == Enrolment.Status.ACTIVE and found.last_item_key is None
    assert timezone.is_aware(found.enrolled_at)
    assert selectors.enrolment_for(user=other, course=course).pk == theirs.pk
    assert selectors.enrolment_for(user=UserFactory(), course=course) is None


@pytest.mark.django_db
def test_a_withdrawn_enrolment_is_refused_and_a_completed_one_kept(learner, course, enrolment):
    services.enrolment_withdraw(enrolment=enrolment, actor="test")
    assert selectors.enrolment_for(user=learner, course=course) is None
    Enrolment.objects.filter(pk=enrolment.pk).update(
        status=Enrolment.Status.COMPLETED, completed_at=timezone.now()
    )
    found = selectors.enrolment_for(user=learner, course=course)
    assert found.pk == enrolment.pk and timezone.is_aware(found.completed_at)


@pytest.mark.django_db
def test_the_enrolment_is_found_from_any_language_copy(learner, course, enrolment):
    kazakh = translate_course(course, "kk")
    assert selectors.enrolment_for(user=learner, course=kazakh).pk == enrolment.pk


@pytest.mark.django_db
def test_item_done_is_the_learners_own_completion_of_that_item(course, cohort, learner, enrolment):
    first, second = _lessons(_modules(course)[0])
    other = services.enrolment_create(learner=UserFactory(), cohort=cohort)
    ItemCompletion.objects.create(
        enrolment=other, item_key=second.translation_key, source=ItemCompletion.Source.LEARNER
    )
    services.lesson_complete(learner=learner, lesson=first)
    done = selectors.enrolment_for(user=learner, course=course, done_key=first.translation_key)
    assert done.item_done is True and done.last_item_key is None
    not_done = selectors.enrolment_for(user=learner, course=course, done_key=second.translation_key)
    assert not_done.item_done is False  # another learner's completion is not theirs


@pytest.mark.django_db
def test_completions_are_each_enrolments_own(course, cohort, learner, enrolment):
    first, second = _lessons(_modules(course)[0])
    other = services.enrolment_create(learner=UserFactory(), cohort=cohort)
    ItemCompletion.objects.create(
        enrolment=other, item_key=second.translation_key, source=ItemCompletion.Source.LEARNER
    )
    services.lesson_complete(learner=learner, lesson=first)
    done = selectors.completed_keys([enrolment, other])
    assert done == {
        enrolment.pk: frozenset({first.translation_key}),
        other.pk: frozenset({second.translation_key}),
    }
    items = selectors.module_items(module=_modules(course)[0], enrolment=enrolment)
    marked = {item.key: item for item in items}
    assert marked[first.translation_key].done and not marked[first.translation_key].late
    assert timezone.is_aware(marked[first.translation_key].done_at)
    assert not marked[second.translation_key].done


@pytest.mark.django_db
def test_the_dates_of_another_cohort_are_not_used(course, cohort, learner, enrolment):
    module = _modules(course)[0]
    lesson = _lessons(module)[0]
    test = QuizPage.objects.child_of(module).get()
    other = build_cohort(course, name="Поток 2")
    later = timezone.now() + timedelta(days=30)
    for page in (module, test):
        CohortItemDates.objects.create(cohort=other, item_key=page.translation_key, opens_at=later)
    due = timezone.now() + timedelta(days=3)
    CohortItemDates.objects.create(cohort=cohort, item_key=test.translation_key, due_at=due)

    dates = selectors.cohort_dates(cohort=cohort)
    assert dates.dates == {test.translation_key: (None, due)}
    for page in (module, lesson):
        release, dates = selectors.item_release(enrolment=enrolment, page=page)
        assert not release.locked and release.due_at is None
    release, dates = selectors.item_release(enrolment=enrolment, page=test)
    assert not release.locked and release.due_at == due
    assert release.opens_at == datetime(2021, 10, 4, tzinfo=timezone.get_current_timezone())
    _release, dates = selectors.item_release(enrolment=enrolment, page=module)
    assert dates.dates == {test.translation_key: (None, due)}  # the module's items' dates


@pytest.mark.django_db
def test_a_modules_dates_reach_its_items_read_by_their_parent(course, cohort, enrolment):
    module, other_module = _modules(course)
    lesson = _lessons(module)[1]
    later = timezone.now() + timedelta(days=5)
    CohortItemDates.objects.create(cohort=cohort, item_key=module.translation_key, opens_at=later)
    CohortItemDates.objects.create(
        cohort=cohort, item_key=other_module.translation_key, due_at=later
    )
    release, dates = selectors.item_release(enrolment=enrolment, page=lesson)
    assert release.locked and release.opens_at == later and release.due_at is None
    assert set(dates.dates) == {module.translation_key}
    release, _dates = selectors.item_release(enrolment=enrolment, page=_lessons(other_module)[0])
    assert not release.locked and release.due_at == later


@pytest.mark.django_db
def test_the_outlines_module_lines_follow_progress_dates_and_edits(
    client, course, cohort, learner, enrolment
):
    """Module lines are kept in the process by what they show: another learner's
    percent, a new date and a published title are seen on the next request."""
    module = _modules(course)[0]
    client.force_login(learner)
    html = client.get(course.url).content.decode()
    assert f'<a href="{module.url}">{module.title}</a>' in html
    assert "3 материала · 0%" in html
    services.lesson_complete(learner=learner, lesson=_lessons(module)[0])
    html = client.get(course.url).content.decode()
    assert "3 материала · 33%" in html
    other = UserFactory()
    services.enrolment_create(learner=other, cohort=cohort)
    client.force_login(other)
    html = client.get(course.url).content.decode()
    assert "33%" not in html and "3 материала · 0%" in html
    later = timezone.now() + timedelta(days=5)
    CohortItemDates.objects.create(cohort=cohort, item_key=module.translation_key, opens_at=later)
    html = client.get(course.url).content.decode()
    assert f'<a href="{module.url}">' not in html and "release--locked" in html
    CohortItemDates.objects.filter(cohort=cohort).delete()
    module.title = "Новый модуль"
    module.save_revision().publish()
    html = client.get(course.url).content.decode()
    assert f'<a href="{module.url}">Новый модуль</a>' in html


@pytest.mark.django_db
def test_the_outline_of_a_course_not_open_to_the_visitor_has_no_links(client, course):
    client.force_login(UserFactory())
    html = client.get(course.url).content.decode()
    module = _modules(course)[0]
    assert f'href="{module.url}"' not in html and module.title in html
    assert "%" not in html.split('<ol class="modules">')[1].split("</ol>")[0]


@pytest.mark.django_db
def test_the_dates_read_with_the_enrolment_are_its_cohorts_own(course, cohort, learner, enrolment):
    module, other_module = _modules(course)
    test = QuizPage.objects.child_of(module).get()
    other = build_cohort(course, name="Поток 2")
    later = timezone.now() + timedelta(days=30)
    for page in (module, test, other_module):
        CohortItemDates.objects.create(cohort=other, item_key=page.translation_key, opens_at=later)
    # no dates for the learner's cohort: the enrolment is found all the same
    for page in (course, module):
        found = selectors.enrolment_for(user=learner, course=course, dates_for=page)
        assert found.pk == enrolment.pk and found.dates.dates == {}
    due = timezone.now() + timedelta(days=3)
    for page in (module, test, other_module):
        CohortItemDates.objects.create(cohort=cohort, item_key=page.translation_key, due_at=due)
    found = selectors.enrolment_for(user=learner, course=course, dates_for=course)
    assert found.dates.cohort.pk == cohort.pk
    assert found.dates.dates == {
        page.translation_key: (None, due) for page in (module, test, other_module)
    }
    found = selectors.enrolment_for(user=learner, course=course, dates_for=module)
    assert found.dates.dates == {page.translation_key: (None, due) for page in (module, test)}
    release, dates = selectors.item_release(enrolment=found, page=module)
    assert dates.dates == found.dates.dates and release.due_at == due and not release.locked
    other_learner = UserFactory()
    services.enrolment_create(learner=other_learner, cohort=other)
    theirs = selectors.enrolment_for(user=other_learner, course=course, dates_for=module)
    assert theirs.dates.dates == {page.translation_key: (later, None) for page in (module, test)}
    services.enrolment_withdraw(enrolment=enrolment, actor="test")
    assert selectors.enrolment_for(user=learner, course=course, dates_for=course) is None


@pytest.mark.django_db
def test_the_module_page_shows_its_cohorts_dates_read_with_the_enrolment(
    client, course, cohort, learner, enrolment
):
    module = _modules(course)[0]
    test = QuizPage.objects.child_of(module).get()
    other = build_cohort(course, name="Поток 2")
    later = timezone.now() + timedelta(days=30)
    CohortItemDates.objects.create(cohort=other, item_key=module.translation_key, opens_at=later)
    client.force_login(learner)
    html = client.get(module.url).content.decode()
    assert "release--locked" not in html and f'href="{test.url}"' in html
    CohortItemDates.objects.create(cohort=cohort, item_key=test.translation_key, opens_at=later)
    html = client.get(module.url).content.decode()
    assert "release--locked" in html and f'href="{test.url}"' not in html
