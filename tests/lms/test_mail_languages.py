"""Every e-mail in its recipient's language, whoever's request sends it."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from courses.models import LessonPage
from tests.factories import UserFactory
from tests.factories.courses import build_course


def _in(language: str, text: str) -> str:
    """``text`` in ``language``, which must have it: Kazakh falls back to Russian."""
    translated = {}
    for code in ("ru", language):
        with translation.override(code):
            translated[code] = translation.gettext(text)
    assert translated[language] != text, f"{text!r} has no {language} translation"
    assert language == "ru" or translated[language] != translated["ru"], f"{text!r} in Russian"
    return translated[language]


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_password_reset_mail_is_in_the_recipients_language(client, db, mailoutbox, language):
    UserFactory(email="akim@example.com", preferred_language=language)
    # Asked for from an English page, by someone whose browser speaks English.
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("password_reset"), {"email": "akim@example.com"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302
    (message,) = mailoutbox
    assert message.subject == _in(language, "Choose a new password for the Akim Academy")
    ignore = "If it was not you, ignore this message: your password stays as it is."
    assert _in(language, ignore) in message.body


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_admin_password_reset_mail_is_in_the_recipients_language(
    client, db, mailoutbox, language
):
    UserFactory(email="trainer@example.com", preferred_language=language, is_staff=True)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("wagtailadmin_password_reset"),
        {"email": "trainer@example.com"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    (message,) = mailoutbox
    assert message.subject == _in(language, "Password reset")
    assert _in(language, "Please follow the link below to reset your password:") in message.body


def test_a_users_language_is_wagtails_and_wagtails_is_the_users(client, db):
    user = UserFactory(email="m@example.com", preferred_language="kk", is_staff=True)
    user.groups.add(Group.objects.get(name="Methodologists"))
    assert UserProfile.get_for_user(user).preferred_language == "kk"
    user.preferred_language = "ru"
    user.save()
    assert UserProfile.get_for_user(user).preferred_language == "ru"

    client.force_login(user)
    response = client.post(
        reverse("wagtailadmin_account"),
        {
            "name_email-full_name": user.full_name,
            "name_email-email": user.email,
            "locale-preferred_language": "en",
            "locale-current_time_zone": "Asia/Almaty",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "theme-keyboard_shortcuts": "on",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.preferred_language == "en"


def test_moderation_notices_are_in_each_recipients_language(
    home_pages, mailoutbox, django_capture_on_commit_callbacks
):
    readers = {}
    for language in ("kk", "ru"):
        readers[language] = UserFactory(
            email=f"methodologist-{language}@example.com", preferred_language=language
        )
        readers[language].groups.add(Group.objects.get(name="Methodologists"))
    trainer = UserFactory(email="trainer@example.com", preferred_language="en")
    course = build_course(home_pages["ru"], modules=1, lessons=1)
    module = course.get_children().first()
    draft = LessonPage(title="Новый урок о закупках", slug="new", body=[], live=False)
    module.add_child(instance=draft)
    draft.save_revision(user=trainer)

    draft_task = "Methodologists approval"
    # Submitted by someone working in English.
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        draft.get_workflow().start(draft, trainer)

    subjects = {message.to[0]: message.subject for message in mailoutbox}
    subject = 'The page "%(title)s" has been submitted for approval in moderation stage "%(task)s"'
    for language, reader in readers.items():
        expected = _in(language, subject) % {"title": draft.title, "task": draft_task}
        assert subjects[reader.email] == expected
    kazakh = next(m for m in mailoutbox if m.to == [readers["kk"].email])
    assert _in("kk", "You can preview the page here:") in kazakh.body


def test_profiles_made_before_take_the_accounts_language_or_give_theirs(db):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("lms.migrations.0007_one_language_per_person")
    silent = UserFactory(email="silent@example.com", preferred_language="kk")
    chose = UserFactory(email="chose@example.com", preferred_language="ru")
    UserProfile.objects.create(user=silent)
    UserProfile.objects.create(user=chose, preferred_language="en")
    UserProfile.objects.filter(user=silent).update(preferred_language="")  # as it was made
    User = type(silent)
    User.objects.filter(pk=chose.pk).update(preferred_language="ru")

    migration.share_languages(apps, None)

    assert UserProfile.objects.get(user=silent).preferred_language == "kk"
    assert User.objects.get(pk=chose.pk).preferred_language == "en"
