"""Tasks cut off by a dead worker go back to their queue; results are pruned; how long
tasks wait, per queue; the worker's heartbeat."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks.signals import task_finished
from django_tasks_db.models import DBTaskResult

from cms.tasks import fold_article_views
from lms import background
from lms.models import WorkerHeartbeat
from tests.processes import start_worker, wait_for

pytestmark = pytest.mark.django_db


def _enqueue(n: int = 1) -> list[DBTaskResult]:
    return [DBTaskResult.objects.get(pk=fold_article_views.enqueue().id) for _ in range(n)]


def _running(task: DBTaskResult, *workers: str, started=None) -> DBTaskResult:
    DBTaskResult.objects.filter(pk=task.pk).update(
        status="RUNNING", started_at=started or timezone.now(), worker_ids=list(workers)
    )
    task.refresh_from_db()
    return task


def _beat(worker_id: str, *, ago: timedelta = timedelta(0), queues: str = "default"):
    WorkerHeartbeat.objects.create(worker_id=worker_id, queues=queues, seen_at=timezone.now() - ago)


# Recovery ----------------------------------------------------------------------------------


def test_a_task_whose_worker_died_goes_back_to_the_head_of_its_queue(database_tasks):
    waiting, cut_off, alive, late = _enqueue(4)
    _running(cut_off, "dead")  # no heartbeat at all: killed, or gone for a day
    _running(alive, "alive")
    _beat("alive", ago=timedelta(seconds=5))
    _running(late, "silent")
    _beat("silent", ago=timedelta(minutes=2))  # TASK_WORKER_STALE_SECONDS is 60

    recovery = background.stale_tasks_recover()

    assert sorted(recovery.requeued) == sorted([str(cut_off.pk), str(late.pk)])
    assert recovery.abandoned == []
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses[cut_off.pk] == statuses[late.pk] == statuses[waiting.pk] == "READY"
    assert statuses[alive.pk] == "RUNNING"
    # The tasks put back run before the one that was waiting all along.
    assert list(DBTaskResult.objects.ready().values_list("pk", flat=True))[2] == waiting.pk
    cut_off.refresh_from_db()
    assert cut_off.worker_ids == ["dead"] and cut_off.started_at is None

    assert background.stale_tasks_recover().requeued == []  # once


def test_the_next_worker_runs_the_task_again(run_worker):
    (task,) = _enqueue()
    _running(task, "dead")
    run_worker()  # it recovers as it starts
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL" and task.worker_ids == ["dead", "test-worker"]
    assert not WorkerHeartbeat.objects.exists()  # it stopped cleanly: no heartbeat left


def test_a_task_whose_workers_keep_dying_is_failed_and_announced(database_tasks):
    (task,) = _enqueue()
    _running(task, "w1", "w2", "w3")
    announced = []

    def receiver(sender, task_result, **kwargs):
        announced.append((task_result.id, task_result.status))

    task_finished.connect(receiver)
    try:
        recovery = background.stale_tasks_recover()
    finally:
        task_finished.disconnect(receiver)
    assert recovery.abandoned == [str(task.pk)] and recovery.requeued == []
    task.refresh_from_db()
    assert task.status == "FAILED" and task.finished_at
    assert task.exception_class_path == "lms.background.WorkerLost"
    assert "stopped without finishing it 3 times" in task.traceback
    assert announced == [(str(task.pk), "FAILED")]


def test_attempt_tokens_tell_an_earlier_attempt_of_the_same_task():
    from lms.models import ScheduledJob  # any model with a free-text field will do

    for name, claimed in [("a", "task-1/1"), ("b", "task-1/2"), ("c", "task-2/1")]:
        ScheduledJob.objects.create(name=name, next_run_at=timezone.now(), locked_by=claimed)
    earlier = background.earlier_attempt("task-1/2", field_name="locked_by")
    assert list(ScheduledJob.objects.filter(earlier).values_list("name", flat=True)) == ["a"]
    assert background.attempt_token(None).endswith("/1")


# Pruning -----------------------------------------------------------------------------------


def test_pruning_keeps_failures_longer_than_successes(database_tasks, settings):
    settings.TASK_RESULTS_KEEP_DAYS, settings.TASK_FAILURES_KEEP_DAYS = 7, 30
    now = timezone.now()
    tasks = _enqueue(6)
    finished = [
        ("SUCCESSFUL", 8),  # pruned
        ("SUCCESSFUL", 6),
        ("FAILED", 8),
        ("FAILED", 31),  # pruned
    ]
    for task, (status, days) in zip(tasks, finished, strict=False):
        DBTaskResult.objects.filter(pk=task.pk).update(
            status=status, finished_at=now - timedelta(days=days)
        )
    _running(tasks[4], "alive", started=now - timedelta(days=40))
    _beat("alive")
    _beat("gone", ago=timedelta(days=2))
    DBTaskResult.objects.filter(pk=tasks[5].pk).update(enqueued_at=now - timedelta(days=40))

    assert background.task_results_prune() == 2

    kept = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert kept == {tasks[1].pk, tasks[2].pk, tasks[4].pk, tasks[5].pk}
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["alive"]


def test_pruning_with_tasks_run_inline_only_forgets_old_heartbeats():
    _beat("gone", ago=timedelta(days=2))
    assert background.task_results_prune() == 0
    assert not WorkerHeartbeat.objects.exists()


# Waiting -----------------------------------------------------------------------------------


def test_how_long_the_oldest_task_of_each_queue_has_waited(database_tasks):
    from certification.tasks import render_certificate_pdf

    now = timezone.now()
    old, new, put_back = _enqueue(3)
    DBTaskResult.objects.filter(pk=old.pk).update(enqueued_at=now - timedelta(seconds=300))
    DBTaskResult.objects.filter(pk=new.pk).update(enqueued_at=now - timedelta(seconds=20))
    # Put back by recovery 40 s ago, first queued an hour ago: it waits from the former.
    DBTaskResult.objects.filter(pk=put_back.pk).update(
        enqueued_at=now - timedelta(hours=1), run_after=now - timedelta(seconds=40)
    )
    render = render_certificate_pdf.enqueue(1)
    DBTaskResult.objects.filter(pk=render.id).update(enqueued_at=now - timedelta(seconds=7))
    _running(_enqueue()[0], "alive")

    assert background.waiting_tasks(now=now) == {
        "default": {"waiting": 3, "oldest_seconds": 300},
        "documents": {"waiting": 1, "oldest_seconds": 7},
    }


def test_which_queues_a_worker_serves():
    worker = WorkerHeartbeat(queues="*,-documents")
    assert background.serves(worker, "default") and not background.serves(worker, "documents")
    assert background.serves(WorkerHeartbeat(queues="documents"), "documents")


# The worker process ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_worker_beats_while_it_runs_and_leaves_no_heartbeat_when_stopped(
    shared_database, tmp_path
):
    worker = start_worker(shared_database, tmp_path, worker_id="beating")
    try:
        first = wait_for(
            lambda: WorkerHeartbeat.objects.filter(worker_id="beating").first(),
            timeout=120,
            what="the worker's first heartbeat",
            processes=[worker],
        )
        assert first.queues == "default" and first.pid == worker.popen.pid
        wait_for(
            lambda: WorkerHeartbeat.objects.get(worker_id="beating").seen_at > first.seen_at,
            timeout=30,
            what="a second heartbeat",
            processes=[worker],
        )
    finally:
        assert worker.stop() == 0, worker.output()
    assert not WorkerHeartbeat.objects.filter(worker_id="beating").exists()
