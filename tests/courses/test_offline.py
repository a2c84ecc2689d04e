"""Saving a module for offline use, lesson weight, the editor's weight warning, and
marking done again when a queued request arrives twice."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Page

from courses import selectors
from courses.models import CohortItemDates, ItemCompletion, LessonPage, ModulePage, QuizPage
from tests.factories import UserFactory
from tests.factories.cms import build_image
from tests.factories.courses import build_cohort, build_course


def _module(course, n=0):
    return ModulePage.objects.child_of(course).order_by("path")[n]


def _list(client, page):
    return client.get(f"/en/learn/offline/{page.pk}.json")


def _urls(body):
    return [
        file.get("url") or file["choices"][0]["url"]
        for module in body["modules"]
        for file in module["files"]
    ]


def _with_figure(lesson, image):
    lesson.body = json.dumps(
        [
            {"type": "paragraph", "value": "<p>Текст урока.</p>"},
            {
                "type": "figure",
                "value": {
                    "image": {"image": image.pk, "decorative": False, "alt_text": "Акимат"},
                    "caption": "",
                },
            },
        ]
    )
    lesson.save_revision().publish()
    return LessonPage.objects.get(pk=lesson.pk)


def test_the_list_has_the_module_its_lessons_test_and_image_renditions(
    client, learner, course, enrolment
):
    module = _module(course)
    lesson = _with_figure(LessonPage.objects.child_of(module).first(), build_image("akimat"))
    client.force_login(learner)
    response = _list(client, module)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.json()
    [saved] = body["modules"]
    assert saved["id"] == module.pk and saved["title"] == module.title
    kinds = [file["kind"] for file in saved["files"]]
    assert kinds == ["module", "lesson", "image", "lesson", "test"]
    assert saved["files"][1]["url"] == lesson.url
    image = saved["files"][2]
    assert [choice["width"] for choice in image["choices"]] == [400, 640]
    for choice in image["choices"]:
        assert choice["url"].endswith(".webp") and choice["bytes"] > 0
    assert all(file["bytes"] > 0 for file in saved["files"] if "bytes" in file)
    quiz = QuizPage.objects.child_of(module).get()
    assert saved["files"][4]["url"] == quiz.url


def test_a_course_lists_all_its_modules(client, learner, course, enrolment):
    client.force_login(learner)
    body = _list(client, course).json()
    assert [module["id"] for module in body["modules"]] == [
        m.pk for m in ModulePage.objects.child_of(course).order_by("path")
    ]
    assert len(_urls(body)) == 2 * 4 + 1  # each module, its 2 lessons and test; the exam


def test_modules_and_tests_not_open_yet_are_left_out(client, learner, course, enrolment, cohort):
    later = timezone.now() + timedelta(days=2)
    first, second = _module(course, 0), _module(course, 1)
    CohortItemDates.objects.create(cohort=cohort, item_key=first.translation_key, opens_at=later)
    test = QuizPage.objects.child_of(second).get(kind=QuizPage.Kind.MODULE_TEST)
    CohortItemDates.objects.create(cohort=cohort, item_key=test.translation_key, opens_at=later)
    client.force_login(learner)
    body = _list(client, course).json()
    assert [module["id"] for module in body["modules"]] == [second.pk]
    assert test.url not in _urls(body)
    assert _list(client, first).json()["modules"] == []


def test_unpublished_lessons_are_left_out(client, learner, course, enrolment):
    module = _module(course)
    draft = LessonPage.objects.child_of(module).first()
    draft.unpublish()
    client.force_login(learner)
    assert draft.url not in _urls(_list(client, module).json())


@pytest.mark.parametrize("who", ["anonymous", "stranger", "other course", "other trainer"])
def test_others_get_404(client, course, enrolment, home_pages, who):
    if who == "anonymous":
        response = _list(client, _module(course))
        assert response.status_code == 302
        return
    if who == "stranger":
        user = UserFactory(email="stranger@example.com")
    elif who == "other course":
        other = build_course(home_pages["ru"], slug="other")
        user = UserFactory(email="other@example.com")
        from courses.services import enrolment_create

        enrolment_create(learner=user, cohort=build_cohort(other))
    else:
        user = UserFactory(email="other.trainer@example.com")
        user.groups.add(Group.objects.get(name="Trainers"))
        other = build_course(home_pages["ru"], slug="theirs")
        build_cohort(other, trainers=[user])
    client.force_login(user)
    assert _list(client, _module(course)).status_code == 404
    assert _list(client, course).status_code == 404


def test_a_lesson_id_or_a_missing_page_is_404(client, learner, course, enrolment):
    client.force_login(learner)
    lesson = LessonPage.objects.descendant_of(course).first()
    assert _list(client, lesson).status_code == 404
    assert client.get("/en/learn/offline/999999.json").status_code == 404
    assert client.get("/en/learn/offline/abc.json").status_code == 404


def test_the_course_trainer_and_staff_may_save(client, course, cohort, trainer):
    client.force_login(trainer)
    assert _list(client, _module(course)).status_code == 200
    admin = UserFactory(email="admin@example.com", is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert _list(client, course).status_code == 200


def test_the_save_button_is_hidden_until_javascript_shows_it(client, learner, course, enrolment):
    client.force_login(learner)
    for page in (_module(course), course):
        html = client.get(page.url).content.decode()
        assert "data-offline-save" in html
        assert '<div class="offline-save" data-offline-box hidden>' in html
        assert f'data-offline-url="/ru/learn/offline/{page.pk}.json"' in html
        # the script's texts in the page's language, with the place for the figure
        assert 'data-text-size="Объём загрузки: %s"' in html


def test_the_public_course_page_has_no_save_button(client, course):
    assert "data-offline-save" not in client.get(course.url).content.decode()


def _build_lessons(course, module, count, start=0):
    for n in range(start, start + count):
        module.add_child(
            instance=LessonPage(title=f"Extra {n}", slug=f"extra-{n}", body=json.dumps([]))
        )
    for lesson in LessonPage.objects.child_of(module):
        lesson.save_revision().publish()


def test_the_list_takes_as_many_queries_for_ten_lessons_as_for_thirty(
    client, learner, course, enrolment, django_assert_num_queries
):
    module = _module(course)
    _build_lessons(course, module, 8)
    client.force_login(learner)
    _list(client, module)  # weights measured and cached
    with django_assert_num_queries(8):
        assert len(_list(client, module).json()["modules"][0]["files"]) == 12
    _build_lessons(course, module, 20, start=8)
    _list(client, module)
    with django_assert_num_queries(8):
        assert len(_list(client, module).json()["modules"][0]["files"]) == 32


# Lesson weight ----------------------------------------------------------------------------


def test_a_lesson_shows_its_download_size_and_time(client, learner, course, enrolment):
    lesson = LessonPage.objects.descendant_of(course).first()
    client.force_login(learner)
    html = client.get(lesson.url).content.decode()
    weight = selectors.lesson_weight(lesson)
    assert 'class="meta lesson-weight"' in html
    assert weight.seconds == 1  # a short text lesson: under a second on a 3G link
    assert weight.page > selectors.PAGE_CHROME_BYTES


def test_the_weight_counts_the_largest_rendition_and_documents(learner, course, enrolment):
    lesson = _with_figure(LessonPage.objects.descendant_of(course).first(), build_image("big"))
    weight = selectors.lesson_weight(lesson)
    [image] = weight.images
    assert weight.image_bytes == max(size for _url, _width, size in image)
    assert weight.total == weight.page + weight.image_bytes + weight.documents


def test_the_weight_is_cached_per_revision(learner, course, enrolment, django_assert_num_queries):
    lesson = _with_figure(LessonPage.objects.descendant_of(course).first(), build_image("one"))
    first = selectors.lesson_weight(lesson)
    with django_assert_num_queries(0):
        assert selectors.lesson_weight(lesson) == first
    lesson = _with_figure(lesson, build_image("two"))  # a new revision: measured again
    assert selectors.lesson_weight(lesson).images != first.images


def test_a_slow_link_figure_follows_the_size():
    weight = selectors.LessonWeight(page=50_000 * 4, images=(), documents=0)
    assert weight.seconds == 5  # 0.8 s of round trips and 4 s of bytes, rounded up
    assert not weight.over_budget
    assert selectors.LessonWeight(page=300_001, images=(), documents=0).over_budget


def test_the_editor_is_warned_of_a_heavy_lesson_but_may_publish(client, course, settings):
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    settings.LESSON_WEIGHT_BUDGET_BYTES = 1_000
    editor = UserFactory(email="editor@example.com", is_superuser=True, is_staff=True)
    client.force_login(editor)
    lesson = LessonPage.objects.descendant_of(course).first()
    data = nested_form_data(
        {
            "title": lesson.title,
            "slug": lesson.slug,
            "body": streamfield(
                [("paragraph", rich_text("<p>" + "Очень длинный урок. " * 400 + "</p>"))]
            ),
            "estimated_minutes": 15,
            "required": "on",
            "action-publish": "action-publish",
        }
    )
    response = client.post(f"/admin/pages/{lesson.pk}/edit/", data, follow=True)
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any("1000" in m.replace("\xa0", "") or "budget" in m for m in messages), messages
    assert LessonPage.objects.get(pk=lesson.pk).live  # asked, not refused


def test_a_light_lesson_brings_no_warning(client, course):
    editor = UserFactory(email="editor@example.com", is_superuser=True, is_staff=True)
    client.force_login(editor)
    lesson = LessonPage.objects.descendant_of(course).first()
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    data = nested_form_data(
        {
            "title": lesson.title,
            "slug": lesson.slug,
            "body": streamfield([("paragraph", rich_text("<p>Короткий урок.</p>"))]),
            "estimated_minutes": 15,
            "required": "on",
            "action-publish": "action-publish",
        }
    )
    response = client.post(f"/admin/pages/{lesson.pk}/edit/", data, follow=True)
    assert not [m for m in response.context["messages"] if m.level_tag == "warning"]


# Mark as done, sent again from the offline queue --------------------------------------------


def test_a_queued_mark_done_sent_twice_records_one_completion(client, learner, course, enrolment):
    lesson = LessonPage.objects.descendant_of(course).first()
    client.force_login(learner)
    for _ in range(2):
        response = client.post(f"/ru/learn/lessons/{lesson.pk}/done/")
        assert response.status_code == 302
    assert ItemCompletion.objects.filter(item_key=lesson.translation_key).count() == 1


def test_the_lesson_form_can_be_queued_offline(client, learner, course, enrolment):
    lesson = LessonPage.objects.descendant_of(course).first()
    client.force_login(learner)
    html = client.get(lesson.url).content.decode()
    assert "data-offline-queue" in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_a_queued_mark_done_without_csrf_token_is_refused(learner, course, enrolment):
    from django.test import Client

    lesson = LessonPage.objects.descendant_of(course).first()
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert client.post(f"/ru/learn/lessons/{lesson.pk}/done/").status_code == 403
    assert not ItemCompletion.objects.exists()


def test_page_tree_ids_of_another_type_do_not_leak(client, learner, course, enrolment):
    root = Page.objects.get(depth=1)
    client.force_login(learner)
    assert _list(client, root).status_code == 404
