"""Importing a question file from the admin, as background tasks.

Parsing and saving a big file (a 5 MB GIFT file holds some 12,000 questions) takes
longer than a web request may, so the request only keeps the upload and the work runs
in django-tasks tasks (inline with the immediate backend, in the worker in production):

1. ``question_import_start`` keeps the file in a :class:`QuestionImport` and queues the
   check: a dry run that parses the file and validates every question, writing the
   preview report (or, for a malformed file, the problems per line: the run has then
   failed and nothing was changed);
2. ``question_import_confirm``, when the person who uploaded it says "Import", queues
   the import: the file is read again and every question saved in one transaction.

Each task moves the run on from one state only (waiting → checking → checked;
confirmed → importing → finished), with a conditional UPDATE that only one caller can
win, so a task delivered twice does its work once. When the worker running a task dies
mid-check or mid-import, recovery gives the task to another worker as its next attempt
(``lms.background``), which takes the run over from the dead one and does the work
again: the check saves nothing, and an import saves everything in one transaction, so
one cut off left nothing behind. A task given up for good (its workers kept dying)
fails its run with a problem that says so; the file can be uploaded again. Progress is
counted as the task goes; the import's own transaction hides what it writes until the
end, so the counts on the way go through the shared cache.

The people who may import are those with ``quizzes.add_question``; a run is seen only
by the person who uploaded it, and superusers (``question_import_for``).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms.background import attempt_token, earlier_attempt
from quizzes.interchange import ParseProblem, importer, split_category_path
from quizzes.models import QuestionImport

logger = logging.getLogger(__name__)

IMPORT_MAX_BYTES = 5 * 1024 * 1024
# A checked file waits this long for its "Import"; then it is forgotten.
CONFIRM_WITHIN = timedelta(hours=24)
PROGRESS_KEY = "quizzes:question-import:{pk}:progress"
PROGRESS_SECONDS = 60 * 60

State = QuestionImport.State


class ImportExpired(Exception):
    """The check is too old (or the run is not waiting for a confirmation)."""


# Starting and confirming (in the request) ------------------------------------------------


def question_import_start(
    *,
    user,
    file_name: str,
    data: bytes,
    format: str,
    category_path: str,
    content_language: str = settings.LANGUAGE_CODE,
    as_translation: bool = False,
) -> QuestionImport:
    """Keep an uploaded question file and queue its check (a dry run).

    ``format`` is ``"gift"`` or ``"moodle-xml"``; ``category_path`` ("Budget/Import")
    names the category the questions go into, made if missing (with
    ``as_translation``: the category whose questions the file translates).
    ``content_language`` is the language of the file's texts (multi-language markup
    names its own). Raises ValueError for
    a file over the size cap, an unknown format or a path naming no category: the
    upload form refuses them first.
    """
    if len(data) > IMPORT_MAX_BYTES:
        raise ValueError(f"The file is larger than {IMPORT_MAX_BYTES} bytes.")
    if format not in QuestionImport.Format.values:
        raise ValueError(f"Unknown question file format {format!r}.")
    if not split_category_path(category_path):
        raise ValueError("Name the category to import into.")
    if content_language not in dict(settings.LANGUAGES):
        raise ValueError(f"Unknown language {content_language!r}.")
    with transaction.atomic():
        _forget_expired_uploads()
        run = QuestionImport.objects.create(
            requested_by=user,
            file_name=file_name[:255],
            format=format,
            category_path=category_path,
            data=data,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            content_language=content_language,
            as_translation=as_translation,
        )
        transaction.on_commit(lambda: _enqueue("check_question_import", run.pk))
    return run


def question_import_confirm(*, run: QuestionImport) -> QuestionImport:
    """Queue the import of a checked file ("Import" pressed).

    Only a run waiting for its confirmation moves on, once: pressing twice queues one
    import. Raises :class:`ImportExpired` when the check is older than
    ``CONFIRM_WITHIN`` (the file has been forgotten) or the run was never checked.
    """
    with transaction.atomic():
        confirmed = QuestionImport.objects.filter(
            pk=run.pk, state=State.CHECKED, checked_at__gte=timezone.now() - CONFIRM_WITHIN
        ).update(state=State.CONFIRMED)
        if confirmed:
            transaction.on_commit(lambda: _enqueue("run_question_import", run.pk))
    run.refresh_from_db(fields=["state"])
    if not confirmed and run.state in (State.WAITING, State.CHECKING, State.CHECKED, State.FAILED):
        raise ImportExpired
    return run


def question_import_expired(*, run: QuestionImport) -> bool:
    """A checked run whose "Import" came too late: its file is forgotten."""
    return run.state == State.CHECKED and (
        run.checked_at is None or run.checked_at < timezone.now() - CONFIRM_WITHIN
    )


def _enqueue(task_name: str, import_id: int) -> None:
    from quizzes import tasks  # the tasks run this module's functions: imported on use

    result = getattr(tasks, task_name).enqueue(import_id)
    QuestionImport.objects.filter(pk=import_id).update(task_id=str(result.id)[:64])


def _forget_expired_uploads() -> None:
    """Files checked but never confirmed are not kept past ``CONFIRM_WITHIN``."""
    QuestionImport.objects.filter(
        state=State.CHECKED, checked_at__lt=timezone.now() - CONFIRM_WITHIN
    ).exclude(data=b"").update(data=b"")


# The tasks' work ------------------------------------------------------------------------


def _claim(import_id: int, *, waiting: str, working: str, attempt: str, **changes) -> bool:
    """Move a run from ``waiting`` to ``working`` for this attempt, or take over a run
    left in ``working`` by an earlier attempt of the same task (its worker died)."""
    return bool(
        QuestionImport.objects.filter(
            Q(state=waiting) | (Q(state=working) & earlier_attempt(attempt)), pk=import_id
        ).update(state=working, claimed_by=attempt, **changes)
    )


def question_import_check(*, import_id: int, attempt: str | None = None) -> QuestionImport:
    """Parse the file and check every question, saving nothing: the preview report.

    Only a waiting run is checked (or one whose check an earlier attempt of the same
    task left unfinished, see :func:`_claim`). A malformed file (or one whose questions
    the models refuse) ends the run as failed, with the problems per line; a sound one
    waits for its confirmation with the report: questions to import and skip, and
    where they go.
    """
    claimed = _claim(
        import_id,
        waiting=State.WAITING,
        working=State.CHECKING,
        attempt=attempt or attempt_token(None),
    )
    run = QuestionImport.objects.get(pk=import_id)
    if not claimed:
        return run
    try:
        with translation.override(run.language or settings.LANGUAGE_CODE):
            versions = _read(run)
            _save(
                run,
                questions_found=len(versions.parsed),
                questions_skipped=_skipped(versions.problems),
            )
            try:
                report = importer.import_file_into(
                    versions=versions,
                    category_path=run.category_path,
                    as_translation=run.as_translation,
                    dry_run=True,
                    on_progress=_progress_recorder(run),
                )
            except importer.ImportFailed as failure:
                return _fail(run, failure.problems)
    except Exception:
        logger.exception("question import %s: the check failed", run.pk)
        _fail(run, [ParseProblem("file", "", _("the file could not be checked"))])
        raise
    return _save(
        run,
        state=State.CHECKED,
        checked_at=timezone.now(),
        problems=[_problem_data(problem) for problem in report.problems],
        report={
            "categories": [vars(category) for category in report.categories],
            "categories_created": report.categories_created,
            "languages": list(versions.questions),
            "translated": report.imported if run.as_translation else 0,
        },
    )


def question_import_run(*, import_id: int, attempt: str | None = None) -> QuestionImport:
    """Import a confirmed run's questions, all in one transaction, or none.

    Only a confirmed run is imported (or one whose import an earlier attempt of the
    same task left unfinished, see :func:`_claim`). The run is marked finished in the
    same transaction that saves the questions, so an import that is saved is always
    recorded as done, and one interrupted leaves nothing behind. That transaction
    starts by writing to the run as this attempt, so an attempt taken over (thought
    dead, but alive) saves nothing, and a takeover waits until a saved import is done.
    """
    attempt = attempt or attempt_token(None)
    claimed = _claim(
        import_id,
        waiting=State.CONFIRMED,
        working=State.IMPORTING,
        attempt=attempt,
        started_at=timezone.now(),
    )
    run = QuestionImport.objects.get(pk=import_id)
    if not claimed:
        return run
    try:
        with translation.override(run.language or settings.LANGUAGE_CODE):
            versions = _read(run)
            try:
                with transaction.atomic():
                    still_ours = QuestionImport.objects.filter(
                        pk=run.pk, state=State.IMPORTING, claimed_by=attempt
                    ).update(claimed_by=attempt)
                    if not still_ours:
                        logger.warning("question import %s: taken over; %s stops", run.pk, attempt)
                        run.refresh_from_db()
                        return run
                    report = importer.import_file_into(
                        versions=versions,
                        category_path=run.category_path,
                        as_translation=run.as_translation,
                        on_progress=_progress_recorder(run),
                    )
                    return _save(
                        run,
                        state=State.FINISHED,
                        finished_at=timezone.now(),
                        questions_found=len(versions.parsed),
                        questions_imported=report.imported,
                        questions_skipped=report.skipped,
                        problems=[_problem_data(problem) for problem in report.problems],
                        root_category=importer.category_for_path(run.category_path),
                        data=b"",
                    )
            except importer.ImportFailed as failure:
                return _fail(run, failure.problems)
    except Exception:
        logger.exception("question import %s: the import failed", run.pk)
        _fail(run, [ParseProblem("file", "", _("the import stopped with an error"))])
        raise


def question_import_abandon(*, import_id: int, task_id: str) -> bool:
    """The run's task has failed for good (its workers kept dying under it): a run it
    left in progress is failed, saying so, and nothing was imported. A run another
    attempt has since taken over is left to it."""
    run = (
        QuestionImport.objects.filter(
            Q(claimed_by="") | Q(claimed_by__startswith=f"{task_id}/"),
            pk=import_id,
            state__in=[State.WAITING, State.CHECKING, State.CONFIRMED, State.IMPORTING],
        )
        .only("pk", "language")
        .first()
    )
    if run is None:
        return False
    with translation.override(run.language or settings.LANGUAGE_CODE):
        reason = _(
            "the work on this file was interrupted several times and has stopped; "
            "nothing was imported. Upload the file again."
        )
    _fail(run, [ParseProblem("file", "", reason)])
    return True


def _read(run: QuestionImport) -> importer.Versions:
    return importer.read_file_versions(
        bytes(run.data), run.format, language=run.content_language or settings.LANGUAGE_CODE
    )


def _skipped(problems: list[ParseProblem]) -> int:
    return sum(1 for problem in problems if not problem.fatal and problem.skips)


def _problem_data(problem: ParseProblem) -> dict:
    return {
        "position": problem.position,
        "qtype": problem.qtype,
        "reason": problem.reason,
        "fatal": problem.fatal,
        "skips": problem.skips,
    }


def _save(run: QuestionImport, **changes) -> QuestionImport:
    QuestionImport.objects.filter(pk=run.pk).update(**changes)
    for name, value in changes.items():
        setattr(run, name, value)
    return run


def _fail(run: QuestionImport, problems: list[ParseProblem]) -> QuestionImport:
    """The run is over and nothing was imported; the file is forgotten."""
    return _save(
        run,
        state=State.FAILED,
        finished_at=timezone.now(),
        questions_imported=0,
        problems=[_problem_data(problem) for problem in problems],
        data=b"",
    )


# Progress ---------------------------------------------------------------------------------


def _progress_recorder(run: QuestionImport) -> importer.Progress:
    key = PROGRESS_KEY.format(pk=run.pk)

    def record(stage: str, done: int) -> None:
        try:
            cache.set(key, {"stage": stage, "done": done}, PROGRESS_SECONDS)
        except Exception:  # progress is a courtesy: the import goes on without it
            logger.warning("question import %s: progress not recorded", run.pk, exc_info=True)

    return record


def question_import_progress(*, run: QuestionImport) -> int | None:
    """Questions checked (while checking) or written (while importing) so far; None when
    the run is not at that stage or nothing has been counted yet."""
    stage = {State.CHECKING: importer.CHECKING, State.IMPORTING: importer.IMPORTING}.get(run.state)
    if stage is None:
        return None
    try:
        progress = cache.get(PROGRESS_KEY.format(pk=run.pk))
    except Exception:  # noqa: BLE001 - the page shows the state without a count
        return None
    if not progress or progress.get("stage") != stage:
        return None
    return progress["done"]


# Reading ----------------------------------------------------------------------------------


def question_import_for(*, user, import_id: int) -> QuestionImport:
    """A run, for the person who uploaded it or a superuser; Http404 for anyone else.

    The file itself is not loaded.
    """
    runs = QuestionImport.objects.defer("data").select_related("requested_by", "root_category")
    if not user.is_superuser:
        runs = runs.filter(requested_by=user)
    run = runs.filter(pk=import_id).first()
    if run is None:
        raise Http404
    return run


def recent_question_imports(*, user, limit: int = 10) -> list[QuestionImport]:
    """The user's latest runs, newest first (without their files)."""
    return list(QuestionImport.objects.defer("data").filter(requested_by=user)[:limit])
