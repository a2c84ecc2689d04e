"""Importing questions from the admin: upload, a page that follows the check, the preview,
"Import", the result; bad files change nothing; a run is its uploader's alone."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from wagtail.users.models import UserProfile

from quizzes import imports
from quizzes.interchange import importer
from quizzes.models import Category, Question, QuestionImport
from tests.factories import UserFactory

State = QuestionImport.State

GIFT = """
::Уровень:: Бюджет сельского округа — это уровень бюджета номер {#4}

::Срок:: Аким избирается на четыре года. {T}

::Сопоставление:: Сопоставьте. { =а -> б =в -> г }
"""

UPLOAD = reverse("quizzes_import")
NO_WORKER = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def trainer(db):
    user = UserFactory(groups=["Trainers"])
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"  # the admin's language, and so the problems'
    profile.save()
    return user


@pytest.fixture
def trainer_client(client, trainer):
    client.force_login(trainer)
    return client


def run_page(run: QuestionImport) -> str:
    return reverse("quizzes_import_run", args=[run.pk])


def _upload(client, text: str, name: str = "bank.gift", **extra):
    return client.post(
        UPLOAD,
        {
            "file": SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text),
            "format": "gift",
            "language": "ru",
            "category": "Бюджет/Импорт",
            **extra,
        },
    )


def test_upload_preview_then_import(trainer_client, trainer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(trainer_client, GIFT)
    run = QuestionImport.objects.get()
    assert response.status_code == 302 and response["Location"] == run_page(run)
    assert run.requested_by == trainer and run.file_name == "bank.gift"

    html = trainer_client.get(run_page(run)).content.decode()
    assert "http-equiv" not in html  # the check is done: no more reloading
    assert '2 questions will be imported into "Бюджет/Импорт"; 1 will be skipped.' in html
    assert "line 6 (matching): unsupported type" in html
    assert "Бюджет/Импорт" in html and "new" in html
    assert not Question.objects.exists() and not Category.objects.exists()

    confirm = reverse("quizzes_import_confirm", args=[run.pk])
    assert f'action="{confirm}"' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = trainer_client.post(confirm)
    assert response.status_code == 302 and response["Location"] == run_page(run)
    assert (
        Question.objects.filter(category__name="Импорт", category__parent__name="Бюджет").count()
        == 2
    )
    html = trainer_client.get(run_page(run)).content.decode()
    assert "Imported 2 questions, skipped 1." in html
    root = importer.category_for_path("Бюджет/Импорт")
    assert f'href="{reverse("quizzes_question:index")}?category={root.pk}"' in html


@override_settings(TASKS=NO_WORKER)
def test_the_upload_request_parses_nothing(
    trainer_client, monkeypatch, django_capture_on_commit_callbacks
):
    def parse(*args):
        raise AssertionError("parsed in the request")

    monkeypatch.setattr(importer, "read_file", parse)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(trainer_client, GIFT)
    run = QuestionImport.objects.get()
    assert response.status_code == 302
    assert run.state == State.WAITING and run.task_id
    assert bytes(run.data) == GIFT.encode()


def test_the_page_reloads_itself_while_a_task_works(trainer_client, trainer):
    run = QuestionImport.objects.create(
        requested_by=trainer, file_name="bank.gift", format="gift", category_path="Bank"
    )
    for state in (State.WAITING, State.CHECKING, State.CONFIRMED, State.IMPORTING):
        QuestionImport.objects.filter(pk=run.pk).update(state=state, questions_found=400)
        html = trainer_client.get(run_page(run)).content.decode()
        assert '<meta http-equiv="refresh" content="2">' in html, state
    imports._progress_recorder(run)(importer.IMPORTING, 100)
    html = trainer_client.get(run_page(run)).content.decode()
    assert "100 of 400 questions imported" in html and 'value="25"' in html
    for state in (State.CHECKED, State.FINISHED, State.FAILED):
        QuestionImport.objects.filter(pk=run.pk).update(state=state)
        html = trainer_client.get(run_page(run)).content.decode()
        assert "http-equiv" not in html, state


def test_a_malformed_file_lists_problems_and_changes_nothing(
    trainer_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(trainer_client, "::Сломано:: Вопрос {=да ~нет")
    run = QuestionImport.objects.get()
    assert run.state == State.FAILED
    html = trainer_client.get(response["Location"]).content.decode()
    assert "The file was not imported. Nothing has changed." in html
    assert "line 1: the answer block is not closed with }" in html
    assert "quizzes_import_confirm" not in html and "Import these questions" not in html
    response = trainer_client.post(reverse("quizzes_import_confirm", args=[run.pk]))
    assert response.status_code == 302 and response["Location"] == UPLOAD
    assert not Question.objects.exists() and not Category.objects.exists()


def test_many_problems_are_cut_short(trainer_client, django_capture_on_commit_callbacks):
    broken = "\n\n".join(f"Q{n} {{=a ~b" for n in range(205))
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(trainer_client, broken)
    html = trainer_client.get(response["Location"]).content.decode()
    assert html.count("the answer block is not closed") == 200
    assert "… and 5 more problems." in html


def test_a_file_over_5_mb_is_refused_and_nothing_kept(trainer_client):
    response = _upload(trainer_client, b"x" * (5 * 1024 * 1024 + 1))
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["The file is larger than 5 MB."]
    assert not QuestionImport.objects.exists()


def test_the_category_must_be_named(trainer_client):
    response = _upload(trainer_client, GIFT, category=" / ")
    assert response.status_code == 200 and "category" in response.context["form"].errors
    assert not QuestionImport.objects.exists()


def test_another_users_import_is_not_found(client, trainer, django_capture_on_commit_callbacks):
    run = imports.question_import_start(
        user=trainer, file_name="bank.gift", data=GIFT.encode(), format="gift", category_path="B"
    )
    client.force_login(UserFactory(groups=["Trainers"]))
    assert client.get(run_page(run)).status_code == 404
    confirm = reverse("quizzes_import_confirm", args=[run.pk])
    assert client.post(confirm).status_code == 404
    assert trainer.pk not in [r.requested_by_id for r in client.get(UPLOAD).context["runs"]]
    client.force_login(UserFactory(is_superuser=True))
    assert client.get(run_page(run)).status_code == 200


def test_an_expired_preview_asks_for_the_file_again(trainer_client, trainer, run_checked):
    run = run_checked(trainer)
    QuestionImport.objects.filter(pk=run.pk).update(checked_at=run.checked_at.replace(year=2020))
    html = trainer_client.get(run_page(run)).content.decode()
    assert "The preview has expired. Please upload the file again." in html
    assert "Import these questions" not in html
    response = trainer_client.post(reverse("quizzes_import_confirm", args=[run.pk]))
    assert response.status_code == 302 and response["Location"] == UPLOAD
    assert not Question.objects.exists()


@pytest.fixture
def run_checked(django_capture_on_commit_callbacks):
    def make(user) -> QuestionImport:
        with django_capture_on_commit_callbacks(execute=True):
            run = imports.question_import_start(
                user=user, file_name="b.gift", data=GIFT.encode(), format="gift", category_path="B"
            )
        run.refresh_from_db()
        assert run.state == State.CHECKED
        return run

    return make


def test_learners_cannot_import(client, db, trainer, run_checked):
    run = run_checked(trainer)
    client.force_login(UserFactory())
    assert _upload(client, GIFT).status_code in (302, 403)
    assert client.get(run_page(run)).status_code in (302, 403)
    assert client.post(reverse("quizzes_import_confirm", args=[run.pk])).status_code in (302, 403)
    assert QuestionImport.objects.count() == 1 and not Question.objects.exists()


def test_the_upload_page_lists_my_recent_imports(trainer_client, trainer, run_checked):
    run = run_checked(trainer)
    html = trainer_client.get(UPLOAD).content.decode()
    assert f'href="{run_page(run)}"' in html and "Your recent imports" in html
