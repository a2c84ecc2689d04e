"""Enrolling learners from the admin: one at a time, and by importing a list."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.models import Enrolment
from lms.models import Region, User

CSV = (
    "ФИО;E-mail;Область;Сельский округ;Должность\n"
    "Айдар Серикович Нурланов;aidar@example.com;Акмолинская область;Жалтыр;аким\n"
    "Мария Ивановна Петрова;maria@example.com;Костанайская;Садчиковский;заместитель акима\n"
)


@pytest.fixture
def signed_in_trainer(client, trainer):
    client.force_login(trainer)
    return client


def test_enrol_one_new_learner_sends_an_invitation(
    signed_in_trainer, cohort, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in_trainer.post(
            f"/admin/learning/cohorts/{cohort.pk}/enrol/",
            {
                "email": "New.Akim@Example.com",
                "full_name": "Нұрлан Асқарұлы Беков",
                "region": Region.objects.get(code="jambyl").pk,
                "rural_district": "Қордай",
                "position": "akim",
                "phone": "+7 701 123 45 67",
            },
        )
    assert response.status_code == 302
    learner = User.objects.get(email="new.akim@example.com")
    assert learner.enrolments.get().cohort == cohort
    assert not learner.has_usable_password()
    assert len(mailoutbox) == 1
    assert "/accounts/reset/" in mailoutbox[0].body


def test_import_previews_then_imports_on_confirmation(
    signed_in_trainer, cohort, mailoutbox, django_capture_on_commit_callbacks
):
    url = f"/admin/learning/cohorts/{cohort.pk}/import/"
    upload = SimpleUploadedFile("list.csv", CSV.encode("cp1251"), content_type="text/csv")
    preview = signed_in_trainer.post(url, {"file": upload})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "aidar@example.com" in html and "maria@example.com" in html
    assert not User.objects.filter(email="aidar@example.com").exists()  # only a preview
    # one table row per line of the file (issue 14: each was listed twice)
    assert html.count("<td>aidar@example.com</td>") == 1
    assert preview.context["preview_rows"] == [
        (2, "aidar@example.com", "создать учётную запись, зачислить"),
        (3, "maria@example.com", "создать учётную запись, зачислить"),
    ]

    token = preview.context["token"]
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in_trainer.post(url, {"token": token})
    assert response.status_code == 302
    assert Enrolment.objects.filter(cohort=cohort).count() == 2
    assert len(mailoutbox) == 2


def test_a_bad_file_lists_its_problems_and_changes_nothing(signed_in_trainer, cohort):
    bad = CSV + "Без почты;;Атлантида;;\n"
    upload = SimpleUploadedFile("list.csv", bad.encode("utf-8"), content_type="text/csv")
    response = signed_in_trainer.post(
        f"/admin/learning/cohorts/{cohort.pk}/import/", {"file": upload}
    )
    assert response.status_code == 200
    problems = response.context["problems"]
    assert {problem.line for problem in problems} == {4}
    assert not Enrolment.objects.exists()


def test_a_trainer_cannot_import_into_another_trainers_cohort(client, other_trainer, cohort):
    client.force_login(other_trainer)
    upload = SimpleUploadedFile("list.csv", CSV.encode(), content_type="text/csv")
    response = client.post(f"/admin/learning/cohorts/{cohort.pk}/import/", {"file": upload})
    assert response.status_code == 404
    assert not User.objects.filter(email="aidar@example.com").exists()


def test_an_expired_preview_asks_for_the_file_again(signed_in_trainer, cohort):
    response = signed_in_trainer.post(
        f"/admin/learning/cohorts/{cohort.pk}/import/", {"token": "stale"}
    )
    assert response.status_code == 302
    assert not Enrolment.objects.exists()
