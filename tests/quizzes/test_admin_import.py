"""Importing questions from the admin: upload, preview, confirm; bad files change nothing."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from quizzes.models import Category, Question
from tests.factories import UserFactory

GIFT = """
::Уровень:: Бюджет сельского округа — это уровень бюджета номер {#4}

::Срок:: Аким избирается на четыре года. {T}

::Сопоставление:: Сопоставьте. { =а -> б =в -> г }
"""


@pytest.fixture
def trainer_client(client, db):
    trainer = UserFactory()
    trainer.groups.add(Group.objects.get(name="Trainers"))
    client.force_login(trainer)
    return client


def _upload(client, text: str, name: str = "bank.gift"):
    return client.post(
        "/admin/quizzes/import/",
        {
            "file": SimpleUploadedFile(name, text.encode()),
            "format": "gift",
            "category": "Бюджет/Импорт",
        },
    )


def test_preview_then_import(trainer_client):
    preview = _upload(trainer_client, GIFT)
    assert preview.status_code == 200
    report = preview.context["report"]
    assert (report.imported, report.skipped) == (2, 1)
    assert not Question.objects.exists() and not Category.objects.exists()
    response = trainer_client.post("/admin/quizzes/import/", {"token": preview.context["token"]})
    assert response.status_code == 302
    assert (
        Question.objects.filter(category__name="Импорт", category__parent__name="Бюджет").count()
        == 2
    )


def test_a_malformed_file_lists_problems_and_changes_nothing(trainer_client):
    response = _upload(trainer_client, "::Сломано:: Вопрос {=да ~нет")
    assert response.status_code == 200
    assert response.context["problems"]
    assert not Question.objects.exists() and not Category.objects.exists()


def test_learners_cannot_import(client, db):
    client.force_login(UserFactory())
    assert _upload(client, GIFT).status_code in (302, 403)
    assert not Question.objects.exists()
