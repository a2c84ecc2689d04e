"""The deliveries in the admin: readable by staff with the permission, failed ones
filterable, never written there."""

import pytest
from django.contrib.auth.models import Permission

from notifications.models import Delivery, Notification
from notifications.services import Message, notify
from tests.factories import UserFactory

INDEX = "/admin/notifications/deliveries/"


@pytest.fixture
def deliveries(learners):
    learner = learners["learner@example.com"]
    for target in ("a", "b"):
        notify(
            event="test_event",
            recipients=[learner],
            target=target,
            message=lambda user, target=target: Message(subject=f"Тема {target}", body=""),
        )
    failed = Delivery.objects.get(notification__target="b")
    Delivery.objects.filter(pk=failed.pk).update(
        status=Delivery.Status.FAILED, attempts=4, last_error="smtp 421 try later"
    )
    return learner


@pytest.fixture
def admin_user(db):
    return UserFactory(email="admin@example.com", is_staff=True, is_superuser=True)


def test_listing_and_the_failed_filter(client, admin_user, deliveries):
    client.force_login(admin_user)
    html = client.get(INDEX).content.decode()
    assert "Тема a" in html and "Тема b" in html
    html = client.get(INDEX, {"status": "failed"}).content.decode()
    assert "Тема b" in html and "smtp 421 try later" in html
    assert "Тема a" not in html


def test_read_only(client, admin_user, deliveries):
    client.force_login(admin_user)
    delivery = Delivery.objects.first()
    assert client.get(f"{INDEX}inspect/{delivery.pk}/").status_code == 200
    assert client.get(f"{INDEX}new/").status_code in (302, 403)
    assert client.get(f"{INDEX}edit/{delivery.pk}/").status_code in (302, 403)
    assert client.post(f"{INDEX}delete/{delivery.pk}/").status_code in (302, 403)
    assert Delivery.objects.filter(pk=delivery.pk).exists()
    assert "/new/" not in client.get(INDEX).content.decode()


def test_staff_without_the_permission_see_nothing(client, deliveries):
    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get(INDEX).status_code in (302, 403)
    editor.user_permissions.add(Permission.objects.get(codename="view_delivery"))
    client.force_login(editor)
    assert client.get(INDEX).status_code == 200
    assert Notification.objects.count() == 2
