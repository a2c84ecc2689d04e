"""A course page created or republished in one language is offered to the others as a
wagtail-localize translation draft; publishing never waits for it."""

import pytest
from django.urls import reverse
from wagtail.models import Locale, Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield
from wagtail_localize.models import Translation, TranslationSource

from courses import services
from courses.models import LessonPage, ModulePage
from tests.factories.courses import LESSON_BODY, translate_course


@pytest.fixture
def trees(course):
    """The ru course with hand-made live copies in kk and en."""
    return {"ru": course, **{code: translate_course(course, code) for code in ("kk", "en")}}


def _module(course):
    return ModulePage.objects.child_of(course).order_by("path").first()


def _publish_new_lesson(module, capture, user=None, slug="new-lesson"):
    lesson = LessonPage(title="Новый урок", slug=slug, body=LESSON_BODY, live=False)
    module.add_child(instance=lesson)
    with capture(execute=True):
        lesson.save_revision(user=user).publish()
    return lesson


def _copies(page):
    pages = Page.objects.filter(translation_key=page.translation_key).specific()
    return {p.locale.language_code: p for p in pages}


def test_a_lesson_published_in_ru_becomes_a_draft_in_kk_and_en(
    trees, trainer, django_capture_on_commit_callbacks
):
    lesson = _publish_new_lesson(_module(trees["ru"]), django_capture_on_commit_callbacks, trainer)

    copies = _copies(lesson)
    assert set(copies) == {"ru", "kk", "en"}
    assert copies["ru"].live
    for language in ("kk", "en"):
        draft = copies[language]
        assert not draft.live, "a translation to finish, not a live Russian page on /kk/"
        assert draft.get_parent().pk == _module(trees[language]).pk
        assert draft.get_latest_revision() is not None  # editable as a draft
    source = TranslationSource.objects.get(object_id=lesson.translation_key)
    assert source.locale.language_code == "ru"
    assert set(
        Translation.objects.filter(source=source).values_list(
            "target_locale__language_code", flat=True
        )
    ) == {"kk", "en"}


def test_no_draft_where_the_parent_is_not_translated(course, django_capture_on_commit_callbacks):
    kk = translate_course(course, "kk", leave_out=[_module(course)])
    lesson = _publish_new_lesson(_module(course), django_capture_on_commit_callbacks)

    assert set(_copies(lesson)) == {"ru"}
    # no module, course or catalogue was copied to make room for it
    assert (
        not ModulePage.objects.filter(translation_key=_module(course).translation_key)
        .exclude(pk=_module(course).pk)
        .exists()
    )
    assert kk.get_children().count() == course.get_children().count() - 1


def test_republishing_the_source_refreshes_it_and_leaves_translations_alone(
    trees, django_capture_on_commit_callbacks
):
    lesson = _publish_new_lesson(_module(trees["ru"]), django_capture_on_commit_callbacks)
    kk = _copies(lesson)["kk"]
    kk.title = "Жаңа сабақ"
    with django_capture_on_commit_callbacks(execute=True):
        kk.save_revision().publish()
    source = TranslationSource.objects.get(object_id=lesson.translation_key)
    before = source.last_updated_at

    lesson.title = "Новый урок (исправлено)"
    with django_capture_on_commit_callbacks(execute=True):
        lesson.save_revision().publish()

    source.refresh_from_db()
    assert source.last_updated_at > before
    assert "исправлено" in source.object_repr
    kk.refresh_from_db()
    assert kk.title == "Жаңа сабақ" and kk.live  # the translator's work is untouched
    assert Page.objects.filter(translation_key=lesson.translation_key).count() == 3


def test_publishing_a_translation_offers_nothing_back(trees, django_capture_on_commit_callbacks):
    lesson = _publish_new_lesson(_module(trees["ru"]), django_capture_on_commit_callbacks)
    kk = _copies(lesson)["kk"]
    with django_capture_on_commit_callbacks(execute=True):
        kk.save_revision().publish()

    assert not services.is_translation_source(kk)
    assert TranslationSource.objects.filter(object_id=lesson.translation_key).count() == 1
    assert not _copies(lesson)["en"].live


def test_a_page_first_written_in_kk_is_offered_to_ru_and_en(
    trees, django_capture_on_commit_callbacks
):
    lesson = _publish_new_lesson(
        _module(trees["kk"]), django_capture_on_commit_callbacks, slug="kk-only"
    )

    copies = _copies(lesson)
    assert copies["kk"].live and not copies["ru"].live and not copies["en"].live
    source = TranslationSource.objects.get(object_id=lesson.translation_key)
    assert source.locale == Locale.objects.get(language_code="kk")


def test_hand_made_copies_are_not_taken_for_sources(trees):
    module = _module(trees["kk"])
    assert not services.is_translation_source(module)
    assert services.is_translation_source(_module(trees["ru"]))
    assert services.translation_drafts_sync(page=module) == []


def test_publishing_does_not_wait_for_nor_fail_with_translations(
    trees, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(self, **kwargs):
        raise RuntimeError("the translation store is down")

    monkeypatch.setattr(Translation, "save_target", broken)
    lesson = _publish_new_lesson(_module(trees["ru"]), django_capture_on_commit_callbacks)

    lesson.refresh_from_db()
    assert lesson.live
    assert set(_copies(lesson)) == {"ru"}


def test_a_trainer_creating_a_draft_lesson_in_the_admin_offers_it_at_once(
    trees, client, trainer, django_capture_on_commit_callbacks
):
    module = _module(trees["ru"])
    client.force_login(trainer)
    url = reverse("wagtailadmin_pages:add", args=("courses", "lessonpage", module.pk))
    data = nested_form_data(
        {
            "title": "Урок о тендерах",
            "slug": "tenders",
            "estimated_minutes": 20,
            "required": "on",
            "body": streamfield([("paragraph", rich_text("<p>Текст урока</p>"))]),
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302

    lesson = LessonPage.objects.get(slug="tenders", locale__language_code="ru")
    assert not lesson.live  # saved as a draft, waiting for a methodologist
    copies = _copies(lesson)
    assert set(copies) == {"ru", "kk", "en"}
    assert not copies["kk"].live and copies["kk"].get_parent().pk == _module(trees["kk"]).pk
