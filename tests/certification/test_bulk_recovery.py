"""A bulk run whose worker dies: the next attempt takes the run over and finishes it,
with no certificate issued twice, no learner left out and counts that add up.

The first test does it for real: ``manage.py db_worker`` processes against a database
they share with the test (PostgreSQL's test database, or SQLite's copied to a file),
the first killed with SIGKILL in the middle of the run.
"""

import pytest
from django.contrib.auth.hashers import make_password
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from certification import services
from certification.models import BulkIssuance, Certificate
from certification.tasks import render_certificate_pdf, run_bulk_issuance
from courses.models import Enrolment
from lms.background import stale_tasks_recover
from lms.ledger import problems, verify_history
from lms.models import User, WorkerHeartbeat
from tests.factories import UserFactory
from tests.factories.courses import build_cohort, build_course
from tests.processes import start_worker, wait_for

LEARNERS = 300


def _completed_cohort(home, learners: int):
    """A cohort of ``learners`` who have all completed its course."""
    course = build_course(home, modules=1, lessons=1)
    cohort = build_cohort(course)
    emails = [f"akim-{n}@example.kz" for n in range(learners)]
    User.objects.bulk_create(
        User(email=email, full_name=f"Аким Әкімов {n:03}", password=make_password(None))
        for n, email in enumerate(emails)
    )
    Enrolment.objects.bulk_create(
        Enrolment(
            learner=learner,
            cohort=cohort,
            course_key=course.translation_key,
            status=Enrolment.Status.COMPLETED,
            completed_at=timezone.now(),
        )
        for learner in User.objects.filter(email__in=emails)
    )
    return cohort


def _no_duplicates() -> bool:
    return not (
        Certificate.objects.values("holder_id", "course_key")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .exists()
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("stopped_by", ["SIGKILL", "two SIGTERMs"])
def test_a_worker_killed_mid_run_is_followed_by_one_that_finishes_it(
    stopped_by, home_pages, shared_database, database_tasks, tmp_path, client
):
    registrar = UserFactory(email="registrar@example.com", groups=["Registrars"])
    cohort = _completed_cohort(home_pages["ru"], LEARNERS)
    workers = [start_worker(shared_database, tmp_path, worker_id="first")]
    try:
        wait_for(
            lambda: WorkerHeartbeat.objects.filter(worker_id="first").exists(),
            timeout=120,
            what="the first worker to start",
            processes=workers,
        )
        run = services.bulk_issuance_start(cohort=cohort, requested_by=registrar)
        wait_for(
            lambda: BulkIssuance.objects.get(pk=run.pk).issued >= 30,
            timeout=120,
            what="thirty certificates",
            processes=workers,
        )
        if stopped_by == "SIGKILL":
            workers[0].kill()
        else:  # the library would record the task as failed; ours leaves it to be resumed
            assert workers[0].interrupt_twice() == 1

        run.refresh_from_db()
        assert run.state == BulkIssuance.State.RUNNING, "the run ended before the kill"
        assert 30 <= run.issued < LEARNERS
        # Each learner's certificate and its count were committed together.
        assert Certificate.objects.count() == run.issued
        task = DBTaskResult.objects.get(pk=run.task_id)
        assert (task.status, task.worker_ids) == ("RUNNING", ["first"])
        # Asking again meanwhile shows the same run, not a second one.
        assert services.bulk_issuance_start(cohort=cohort, requested_by=registrar).pk == run.pk

        workers.append(start_worker(shared_database, tmp_path, worker_id="second"))
        wait_for(
            lambda: BulkIssuance.objects.get(pk=run.pk).state == BulkIssuance.State.FINISHED,
            timeout=240,
            what="the second worker to finish the run",
            processes=workers[1:],
        )
    finally:
        for worker in workers:
            worker.stop()

    run.refresh_from_db()
    assert (run.total, run.issued, run.skipped, run.failed) == (LEARNERS, LEARNERS, 0, 0), (
        run.problems
    )
    assert run.attempts == 2 and run.problems == []
    assert Certificate.objects.count() == LEARNERS
    assert set(Certificate.objects.values_list("holder_id", flat=True)) == set(
        Enrolment.objects.filter(cohort=cohort).values_list("learner_id", flat=True)
    )
    assert _no_duplicates()
    task = DBTaskResult.objects.get(pk=run.task_id)
    assert (task.status, task.worker_ids) == ("SUCCESSFUL", ["first", "second"])
    # The renders wait in their own queue (no worker of that queue ran here): the bulk
    # run never waited behind them.
    renders = DBTaskResult.objects.filter(task_path=render_certificate_pdf.module_path)
    assert set(renders.values_list("queue_name", flat=True)) == {"documents"}
    assert renders.count() >= LEARNERS - 1  # one may be lost to the kill: made on download
    assert not list(problems(verify_history()))

    client.force_login(registrar)
    page = client.get(reverse("certification_bulk_progress", args=[run.pk])).content.decode()
    assert f'class="bulk-issued">{LEARNERS}<' in page
    assert 'class="bulk-resumed"' in page
    assert 'http-equiv="refresh"' not in page


# The takeover, step by step -----------------------------------------------------------------


@pytest.fixture
def registrar(db):
    return UserFactory(email="registrar@example.com", groups=["Registrars"])


@pytest.fixture
def cohort_of_six(home_pages):
    return _completed_cohort(home_pages["ru"], 6)


def _run_halfway(cohort, registrar, *, attempt: str, stop_after: int, monkeypatch):
    """A run whose worker dies after issuing to ``stop_after`` learners: the exception
    stands for the process vanishing (nothing after it runs)."""

    class WorkerDied(BaseException):
        pass

    real = services._issue_for_enrolment
    calls = []

    def dying(**kwargs):
        if len(calls) == stop_after:
            raise WorkerDied
        calls.append(kwargs["enrolment"].pk)
        return real(**kwargs)

    run = BulkIssuance.objects.create(cohort=cohort, requested_by=registrar)
    monkeypatch.setattr(services, "_issue_for_enrolment", dying)
    with pytest.raises(WorkerDied):
        services.bulk_issuance_run(run_id=run.pk, attempt=attempt)
    monkeypatch.setattr(services, "_issue_for_enrolment", real)
    run.refresh_from_db()
    return run


def test_the_next_attempt_of_the_task_takes_over_and_carries_on(
    cohort_of_six, registrar, monkeypatch
):
    run = _run_halfway(
        cohort_of_six, registrar, attempt="task-1/1", stop_after=2, monkeypatch=monkeypatch
    )
    assert (run.state, run.issued, run.claimed_by) == ("running", 2, "task-1/1")

    # The same attempt delivered twice, or another task, finds the run busy.
    assert services.bulk_issuance_run(run_id=run.pk, attempt="task-1/1").issued == 2
    assert services.bulk_issuance_run(run_id=run.pk, attempt="task-2/1").issued == 2

    run = services.bulk_issuance_run(run_id=run.pk, attempt="task-1/2")  # after recovery
    assert run.state == BulkIssuance.State.FINISHED
    assert (run.total, run.issued, run.skipped, run.failed, run.attempts) == (6, 6, 0, 0, 2)
    assert Certificate.objects.count() == 6 and _no_duplicates()


def test_an_attempt_taken_over_stops_without_issuing(cohort_of_six, registrar, monkeypatch):
    """An attempt thought dead but still alive: when it finds another attempt holding
    the run, the certificate it had just made is rolled back with the count it could
    not write, and it stops; the run then finishes with everyone issued to once."""
    real = services._issue_for_enrolment
    calls = []

    def overtaken(**kwargs):
        calls.append(kwargs["enrolment"].pk)
        issued = real(**kwargs)
        if len(calls) == 3:  # meanwhile another attempt took the run over
            BulkIssuance.objects.filter(pk=kwargs["log_data"]["run"]).update(claimed_by="task-1/2")
        return issued

    run = BulkIssuance.objects.create(cohort=cohort_of_six, requested_by=registrar)
    monkeypatch.setattr(services, "_issue_for_enrolment", overtaken)
    run = services.bulk_issuance_run(run_id=run.pk, attempt="task-1/1")
    monkeypatch.setattr(services, "_issue_for_enrolment", real)
    assert len(calls) == 3 and (run.state, run.issued) == ("running", 2)
    assert Certificate.objects.count() == 2  # the third was rolled back

    run = services.bulk_issuance_run(run_id=run.pk, attempt="task-1/2")
    assert (run.state, run.total, run.issued, run.skipped) == ("finished", 6, 6, 0)
    assert Certificate.objects.count() == 6 and _no_duplicates()


def test_asking_again_takes_over_a_run_silent_too_long(
    cohort_of_six, registrar, monkeypatch, django_capture_on_commit_callbacks
):
    """A run left running with no recovery to come (it ran inline in a web process that
    was killed, say) is not shown as stuck: once silent for BULK_RUN_STALE_AFTER, the
    registrar asking again queues a task that takes it over."""
    run = _run_halfway(
        cohort_of_six, registrar, attempt="web/1", stop_after=3, monkeypatch=monkeypatch
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.bulk_issuance_start(cohort=cohort_of_six, requested_by=registrar) == run
    run.refresh_from_db()
    assert (run.state, run.issued) == ("running", 3)  # not silent long enough yet

    BulkIssuance.objects.filter(pk=run.pk).update(
        heartbeat_at=timezone.now() - services.BULK_RUN_STALE_AFTER
    )
    with django_capture_on_commit_callbacks(execute=True):
        again = services.bulk_issuance_start(cohort=cohort_of_six, requested_by=registrar)
    assert again.pk == run.pk and BulkIssuance.objects.count() == 1
    run.refresh_from_db()
    assert (run.state, run.total, run.issued, run.skipped, run.attempts) == (
        "finished",
        6,
        6,
        0,
        2,
    )
    assert Certificate.objects.count() == 6 and _no_duplicates()


def test_a_failed_learner_is_counted_once_across_a_takeover(cohort_of_six, registrar, monkeypatch):
    real = services._snapshot
    first = Enrolment.objects.order_by("pk").first()

    def failing(*, holder, **kwargs):
        if holder.pk == first.learner_id:
            raise RuntimeError("шаблон недоступен")
        return real(holder=holder, **kwargs)

    monkeypatch.setattr(services, "_snapshot", failing)
    run = _run_halfway(
        cohort_of_six, registrar, attempt="task-1/1", stop_after=3, monkeypatch=monkeypatch
    )
    assert (run.issued, run.failed) == (2, 1)
    run = services.bulk_issuance_run(run_id=run.pk, attempt="task-1/2")
    assert (run.total, run.issued, run.skipped, run.failed) == (6, 5, 0, 1)
    assert [problem["learner"] for problem in run.problems] == [first.learner_id]


def test_a_run_whose_task_is_given_up_is_failed_and_can_be_started_again(
    cohort_of_six, registrar, database_tasks, django_capture_on_commit_callbacks
):
    """The workers died under the task three times: the task is failed, and so is its
    run (not left "running"); starting again makes a new run."""
    with django_capture_on_commit_callbacks(execute=True):
        run = services.bulk_issuance_start(cohort=cohort_of_six, requested_by=registrar)
    run.refresh_from_db()
    task = DBTaskResult.objects.get(pk=run.task_id)
    assert (run.state, task.status, task.task_path) == (
        "pending",
        "READY",
        run_bulk_issuance.module_path,
    )
    # Its third worker died in the middle of the run.
    DBTaskResult.objects.filter(pk=task.pk).update(
        status="RUNNING", started_at=timezone.now(), worker_ids=["w1", "w2", "w3"]
    )
    BulkIssuance.objects.filter(pk=run.pk).update(
        state="running", claimed_by=f"{task.pk}/3", heartbeat_at=timezone.now()
    )

    recovery = stale_tasks_recover()
    assert recovery.abandoned == [str(task.pk)] and recovery.requeued == []
    task.refresh_from_db()
    assert task.status == "FAILED" and task.exception_class_path == "lms.background.WorkerLost"
    run.refresh_from_db()
    assert run.state == BulkIssuance.State.FAILED and run.finished_at

    with django_capture_on_commit_callbacks(execute=True):
        again = services.bulk_issuance_start(cohort=cohort_of_six, requested_by=registrar)
    assert again.pk != run.pk
