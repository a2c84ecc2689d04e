"""Question imports as background tasks: check, confirm, import; each task once; a bad
file fails and changes nothing; progress; the uploader's language; who sees a run."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from django.http import Http404
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from quizzes import imports, tasks
from quizzes.interchange import importer
from quizzes.models import Category, Question, QuestionImport
from tests.factories import UserFactory

FILES = Path(__file__).parent / "files"
State = QuestionImport.State

pytestmark = pytest.mark.django_db

GIFT = """$CATEGORY: Budget/Revenues

::Level:: Which level is the budget of a rural district? {=Fourth ~First ~Second}

::Term:: The akim is elected for four years. {T}

::Match:: Match them. { =a -> b =c -> d }
"""


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def trainer():
    return UserFactory(groups=["Trainers"])


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Run what is queued on commit (the immediate backend then runs the task inline)."""

    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = function(**kwargs)
        result.refresh_from_db()
        return result

    return run


def start(trainer, data: bytes = GIFT.encode(), **kwargs) -> QuestionImport:
    options = {"file_name": "bank.gift", "format": "gift", "category_path": "Bank/Import"}
    return imports.question_import_start(user=trainer, data=data, **{**options, **kwargs})


def test_check_then_confirm_then_import(trainer, run_tasks):
    run = run_tasks(start, trainer=trainer)
    assert run.state == State.CHECKED
    assert (run.questions_found, run.questions_skipped) == (2, 1)
    assert run.report == {
        "categories": [{"path": "Budget/Revenues", "questions": 2, "new": True}],
        "categories_created": 4,  # Bank, Import, Budget, Revenues
        "languages": ["ru"],
        "translated": 0,
    }
    assert [problem["reason"] for problem in run.problems] == ["unsupported type"]
    assert run.checked_at and run.task_id and run.language == "en"
    assert not Category.objects.exists() and not Question.objects.exists()  # a dry run

    run = run_tasks(imports.question_import_confirm, run=run)
    assert run.state == State.FINISHED
    assert (run.questions_imported, run.questions_skipped) == (2, 1)
    assert run.root_category == importer.category_for_path("Bank/Import")
    assert bytes(run.data) == b""  # the file is not kept once imported
    revenues = importer.category_for_path("Bank/Import/Budget/Revenues")
    assert sorted(revenues.questions.values_list("name", flat=True)) == ["Level", "Term"]


def test_a_check_delivered_twice_runs_once(trainer, run_tasks, monkeypatch):
    run = run_tasks(start, trainer=trainer)
    reads = []
    monkeypatch.setattr(importer, "read_file", lambda *args: reads.append(args) or ([], []))
    tasks.check_question_import.enqueue(run.pk)
    imports.question_import_check(import_id=run.pk)
    assert reads == []
    run.refresh_from_db()
    assert run.state == State.CHECKED and run.questions_found == 2


def test_an_import_delivered_twice_imports_once(trainer, run_tasks):
    run = run_tasks(start, trainer=trainer)
    run = run_tasks(imports.question_import_confirm, run=run)
    again = tasks.run_question_import.enqueue(run.pk)
    assert again.return_value == {"state": "finished", "imported": 2, "skipped": 1}
    assert imports.question_import_run(import_id=run.pk).state == State.FINISHED
    assert Question.objects.count() == 2


def test_confirming_twice_queues_one_import(trainer, run_tasks, monkeypatch):
    run = run_tasks(start, trainer=trainer)
    queued = []
    monkeypatch.setattr(imports, "_enqueue", lambda name, pk: queued.append(name))
    run_tasks(imports.question_import_confirm, run=run)
    run_tasks(imports.question_import_confirm, run=run)
    assert queued == ["run_question_import"]


# A worker killed mid-check or mid-import --------------------------------------------------


def _cut_off(run: QuestionImport, working: str) -> DBTaskResult:
    """The run's task was taken by a worker that then died, the run in ``working``."""
    run.refresh_from_db()
    task = DBTaskResult.objects.get(pk=run.task_id)
    DBTaskResult.objects.filter(pk=task.pk).update(
        status="RUNNING", started_at=timezone.now(), worker_ids=["killed"]
    )
    QuestionImport.objects.filter(pk=run.pk).update(state=working, claimed_by=f"{task.pk}/1")
    return task


def test_a_check_cut_off_is_taken_up_again(trainer, run_worker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = start(trainer)
    task = _cut_off(run, State.CHECKING)
    run_worker()
    run.refresh_from_db()
    task.refresh_from_db()
    assert run.state == State.CHECKED and run.questions_found == 2
    assert task.status == "SUCCESSFUL" and task.worker_ids == ["killed", "test-worker"]


def test_an_import_cut_off_is_taken_up_again_and_imports_once(
    trainer, run_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = start(trainer)
    run_worker()
    with django_capture_on_commit_callbacks(execute=True):
        imports.question_import_confirm(run=run)
    _cut_off(run, State.IMPORTING)  # its transaction died with it: nothing was saved
    # The same attempt delivered twice, or another task, finds the run busy.
    assert imports.question_import_run(import_id=run.pk, attempt=f"{run.task_id}/1").state == (
        State.IMPORTING
    )
    assert imports.question_import_run(import_id=run.pk, attempt="other/1").state == (
        State.IMPORTING
    )
    run_worker()
    run.refresh_from_db()
    assert (run.state, run.questions_imported) == (State.FINISHED, 2)
    assert Question.objects.count() == 2


def test_an_attempt_taken_over_imports_nothing(trainer, run_tasks, monkeypatch):
    """An attempt thought dead but still alive finds another attempt holding the run when
    its import's transaction begins, and saves nothing."""
    run = run_tasks(start, trainer=trainer)
    QuestionImport.objects.filter(pk=run.pk).update(state=State.CONFIRMED)
    real = importer.read_file

    def overtaken(*args):
        QuestionImport.objects.filter(pk=run.pk).update(claimed_by="task-1/2")
        return real(*args)

    monkeypatch.setattr(importer, "read_file", overtaken)
    assert imports.question_import_run(import_id=run.pk, attempt="task-1/1").state == (
        State.IMPORTING
    )
    assert not Question.objects.exists()


def test_an_import_whose_workers_keep_dying_fails_cleanly_and_can_be_uploaded_again(
    trainer, run_worker, django_capture_on_commit_callbacks
):
    from lms.background import stale_tasks_recover

    with django_capture_on_commit_callbacks(execute=True):
        run = start(trainer)
    task = _cut_off(run, State.CHECKING)
    DBTaskResult.objects.filter(pk=task.pk).update(worker_ids=["w1", "w2", "w3"])
    assert stale_tasks_recover().abandoned == [str(task.pk)]
    run.refresh_from_db()
    assert run.state == State.FAILED and run.finished_at and bytes(run.data) == b""
    assert [problem["reason"] for problem in run.problems] == [
        "the work on this file was interrupted several times and has stopped; nothing "
        "was imported. Upload the file again."
    ]

    with django_capture_on_commit_callbacks(execute=True):
        again = start(trainer)
    run_worker()
    again.refresh_from_db()
    assert again.state == State.CHECKED


def test_a_malformed_file_fails_with_its_problems_and_imports_nothing(trainer, run_tasks):
    data = (FILES / "malformed.gift").read_bytes()
    run = run_tasks(start, trainer=trainer, data=data)
    assert run.state == State.FAILED
    assert [(p["position"], p["fatal"]) for p in run.problems] == [
        ("line 5", True),
        ("line 7", True),
        ("line 9", False),
    ]
    assert run.problems[0]["reason"] == "the answer block is not closed with }"
    assert bytes(run.data) == b"" and run.finished_at
    assert not Category.objects.exists() and not Question.objects.exists()
    with pytest.raises(imports.ImportExpired):
        imports.question_import_confirm(run=run)
    assert not Question.objects.exists()


def test_a_question_the_models_refuse_fails_the_check(trainer, run_tasks):
    data = ("::Fine:: Q {T}\n\n::Too long:: Q {=" + "x" * 300 + "}\n").encode()
    run = run_tasks(start, trainer=trainer, data=data)
    assert run.state == State.FAILED
    assert run.problems[0]["position"] == "line 3"
    assert run.problems[0]["reason"].startswith("answer text: Ensure this value has at most 255")


def test_a_failure_while_importing_leaves_nothing_and_says_so(trainer, run_tasks, monkeypatch):
    run = run_tasks(start, trainer=trainer)

    def broken(plan, on_progress):
        Question.objects.bulk_create([planned.question for planned in plan])
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(importer, "_write", broken)
    run = run_tasks(imports.question_import_confirm, run=run)
    assert run.state == State.FAILED
    assert [(p["position"], p["reason"]) for p in run.problems] == [
        ("file", "the import stopped with an error")
    ]
    assert not Question.objects.exists() and not Category.objects.exists()


def test_problems_are_written_in_the_uploaders_language(trainer, run_tasks):
    with translation.override("ru"):
        run = run_tasks(start, trainer=trainer, data=b"Q {=a ~b")
    assert run.language == "ru"
    assert run.problems[0]["position"] == "строка 1"


def test_a_check_too_old_cannot_be_confirmed_and_its_file_is_forgotten(trainer, run_tasks):
    run = run_tasks(start, trainer=trainer)
    old = timezone.now() - imports.CONFIRM_WITHIN - timedelta(minutes=1)
    QuestionImport.objects.filter(pk=run.pk).update(checked_at=old)
    run.refresh_from_db()
    assert imports.question_import_expired(run=run)
    with pytest.raises(imports.ImportExpired):
        imports.question_import_confirm(run=run)
    start(trainer)  # any new upload forgets the files of expired checks
    run.refresh_from_db()
    assert bytes(run.data) == b"" and run.state == State.CHECKED
    assert not Question.objects.exists()


def test_the_size_cap_format_and_category_are_checked(trainer):
    with pytest.raises(ValueError, match="larger than"):
        start(trainer, data=b"x" * (imports.IMPORT_MAX_BYTES + 1))
    with pytest.raises(ValueError, match="format"):
        start(trainer, format="aiken")
    with pytest.raises(ValueError, match="category"):
        start(trainer, category_path=" / ")
    assert not QuestionImport.objects.exists()


def test_progress_is_counted_through_the_cache(trainer, monkeypatch):
    run = start(trainer)  # waiting: no task ran (nothing committed in a test)
    record = imports._progress_recorder(run)
    record(importer.IMPORTING, 500)
    assert imports.question_import_progress(run=run) is None  # not importing yet
    run.state = State.IMPORTING
    assert imports.question_import_progress(run=run) == 500
    run.state = State.CHECKING
    assert imports.question_import_progress(run=run) is None  # a count of another stage

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "set", down)
    monkeypatch.setattr(cache, "get", down)
    record(importer.CHECKING, 1000)  # no error: the import goes on
    assert imports.question_import_progress(run=run) is None


def test_the_check_reports_progress_as_it_goes(trainer, run_tasks, monkeypatch):
    monkeypatch.setattr(importer, "BATCH_SIZE", 1)
    seen = []
    real = imports._progress_recorder

    def recorder(run):
        record = real(run)
        return lambda stage, done: seen.append((stage, done)) or record(stage, done)

    monkeypatch.setattr(imports, "_progress_recorder", recorder)
    run = run_tasks(start, trainer=trainer)
    run_tasks(imports.question_import_confirm, run=run)
    assert seen == [
        ("checking", 1),
        ("checking", 2),
        ("checking", 1),
        ("checking", 2),
        ("importing", 1),
        ("importing", 2),
    ]


def test_only_the_uploader_and_superusers_see_a_run(trainer):
    run = start(trainer)
    assert imports.question_import_for(user=trainer, import_id=run.pk) == run
    admin = UserFactory(is_superuser=True)
    assert imports.question_import_for(user=admin, import_id=run.pk) == run
    colleague = UserFactory(groups=["Trainers"])
    with pytest.raises(Http404):
        imports.question_import_for(user=colleague, import_id=run.pk)
    assert imports.recent_question_imports(user=colleague) == []
    assert imports.recent_question_imports(user=trainer) == [run]
