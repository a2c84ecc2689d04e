"""Managing people in the Wagtail admin with our User model (one full-name field)."""

from django.contrib.auth.models import Group
from django.urls import reverse

from lms.models import User
from tests.factories import UserFactory


def test_administrator_creates_a_trainer(admin_client):
    trainers = Group.objects.get(name="Trainers")
    form = admin_client.get(reverse("wagtailusers_users:add")).content.decode()
    assert 'name="full_name"' in form
    assert 'name="first_name"' not in form
    response = admin_client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "new.trainer@example.com",
            "full_name": "Жанар Қайратқызы Әбенова",
            "preferred_language": "kk",
            "password1": "a-long-enough-pass-1",
            "password2": "a-long-enough-pass-1",
            "groups": [trainers.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="new.trainer@example.com")
    assert user.full_name == "Жанар Қайратқызы Әбенова"
    assert user.preferred_language == "kk"
    assert list(user.groups.all()) == [trainers]
    assert user.check_password("a-long-enough-pass-1")


def test_administrator_edits_a_name(admin_client, db):
    user = UserFactory(email="learner@example.com", full_name="Старое Имя")
    response = admin_client.post(
        reverse("wagtailusers_users:edit", args=[user.pk]),
        {
            "email": user.email,
            "full_name": "Новое Имя Отчество",
            "preferred_language": "ru",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert user.full_name == "Новое Имя Отчество"


def test_staff_change_their_own_name_on_the_account_page(client, db):
    methodologist = UserFactory(email="m@example.com", full_name="Бауыржан")
    methodologist.groups.add(Group.objects.get(name="Methodologists"))
    client.force_login(methodologist)
    page = client.get(reverse("wagtailadmin_account"))
    assert page.status_code == 200
    assert 'name="name_email-full_name"' in page.content.decode()
    response = client.post(
        reverse("wagtailadmin_account"),
        {
            "name_email-full_name": "Бауыржан Ерланұлы Қасымов",
            "name_email-email": "m@example.com",
            "locale-preferred_language": "ru",
            "locale-current_time_zone": "Asia/Almaty",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "theme-keyboard_shortcuts": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    methodologist.refresh_from_db()
    assert methodologist.full_name == "Бауыржан Ерланұлы Қасымов"


def test_learners_cannot_enter_the_admin(client, db):
    learner = UserFactory()
    learner.groups.add(Group.objects.get(name="Learners"))
    client.force_login(learner)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
