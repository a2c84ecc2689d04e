"""The signed-in account, loaded with one written-out statement (lms/backends.py), and
the written-out reads it shares with other hot paths (lms/sql.py)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from lms import sql
from lms.backends import AxesBackend, ModelBackend, account
from lms.models import User
from tests.factories import PASSWORD, UserFactory

LOGIN = "/accounts/login/"


@pytest.fixture
def learner(db):
    user = UserFactory(email="akim@example.com", full_name="Ерлан Сейітов", preferred_language="kk")
    User.objects.filter(pk=user.pk).update(
        last_login=timezone.now() - timedelta(days=2), unread_notifications=3
    )
    return User.objects.get(pk=user.pk)


def _fields(user: User) -> dict:
    return {field.attname: getattr(user, field.attname) for field in User._meta.concrete_fields}


def test_the_account_is_the_one_a_queryset_loads(learner, django_assert_num_queries):
    with django_assert_num_queries(1):
        loaded = account(learner.pk)
    assert _fields(loaded) == _fields(learner)
    # converted as the ORM converts: aware datetimes, not SQLite's text
    assert timezone.is_aware(loaded.date_joined) and timezone.is_aware(loaded.last_login)
    assert loaded._state.adding is False and loaded._state.db == "default"
    assert loaded.get_session_auth_hash() == learner.get_session_auth_hash()


def test_no_account_for_an_unknown_id(db):
    assert account(987654) is None
    assert ModelBackend().get_user(987654) is None


@pytest.mark.parametrize("backend", [ModelBackend, AxesBackend])
def test_a_deactivated_account_is_not_signed_in(learner, backend):
    assert backend().get_user(learner.pk) == learner
    User.objects.filter(pk=learner.pk).update(is_active=False)
    assert backend().get_user(learner.pk) is None


def test_signing_in_through_the_form_keeps_the_account_for_the_next_requests(client, learner):
    response = client.post(LOGIN, {"username": learner.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_backend"] == "lms.backends.ModelBackend"
    response = client.get("/kk/dashboard/")
    assert response.context["user"] == learner
    assert response.context["user"].full_name == "Ерлан Сейітов"


def test_a_deactivated_account_is_signed_out_on_its_next_request(client, learner):
    client.force_login(learner)
    assert client.get("/kk/dashboard/").status_code == 200
    User.objects.filter(pk=learner.pk).update(is_active=False)
    response = client.get("/kk/dashboard/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_password_change_elsewhere_ends_the_session(client, learner):
    client.force_login(learner)
    learner.set_password("another-long-password-1")
    learner.save()
    response = client.get("/kk/dashboard/")
    assert response.status_code == 302


def test_the_lockout_backend_stays_first():
    # django-axes refuses a locked-out sign-in only when its backend comes first
    assert settings.AUTHENTICATION_BACKENDS == [
        "lms.backends.AxesBackend",
        "lms.backends.ModelBackend",
    ]


def test_a_part_of_the_fields_loads_in_any_order_the_rest_deferred(learner):
    names = ["unread_notifications", "email", "id"]
    statement = (
        f"SELECT {sql.columns(User, names)} FROM {sql.table(User)} "  # noqa: S608
        f"WHERE {sql.column(User, 'id')} = %s"
    )
    [user] = sql.instances(User, names, sql.fetch(statement, [learner.pk]))
    assert (user.pk, user.email, user.unread_notifications) == (learner.pk, learner.email, 3)
    assert user.get_deferred_fields() >= {"full_name", "password"}
    assert user.full_name == "Ерлан Сейітов"  # a deferred field loads when asked for
