"""The quiz submissions' chain in the ledger starts with one entry ("baseline") for every
finished attempt, holding its state as ``quizzes.history`` records it.

The state is copied here as it was when this migration was written, so later changes
to the live function cannot change what this migration does.
"""

from decimal import Decimal

from django.db import migrations

from lms.ledger import digest, ledger_append_many

CHAIN = "quiz-submissions"


def _two_places(value):
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def submission_state(attempt, answers):
    return {
        "attempt": attempt.pk,
        "quiz": attempt.quiz_id,
        "learner": attempt.user_id,
        "number": attempt.number,
        "finished_at": attempt.finished_at,
        "answers": {
            str(answer.question_id): {
                "response": digest(answer.response),
                "mark": _two_places(answer.mark),
            }
            for answer in answers
        },
        "score": _two_places(attempt.score),
        "max_score": _two_places(attempt.max_score),
        "percent": _two_places(attempt.percent),
        "passed": attempt.passed,
        "needs_marking": attempt.needs_marking,
    }


def record_existing(apps, schema_editor):
    Attempt = apps.get_model("quizzes", "Attempt")
    attempts = (
        Attempt.objects.filter(state="finished")
        .defer("layout")
        .prefetch_related("answers")
        .order_by("finished_at", "pk")
    )
    ledger_append_many(
        chain=CHAIN,
        entries=(
            (
                f"attempt:{attempt.pk}",
                "baseline",
                {"state": submission_state(attempt, attempt.answers.all())},
            )
            for attempt in attempts.iterator(chunk_size=500)
        ),
        actor="migration",
        entry_model=apps.get_model("lms", "LedgerEntry"),
        head_model=apps.get_model("lms", "LedgerHead"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0003_results_release"),
        ("lms", "0004_ledger"),
    ]

    operations = [migrations.RunPython(record_existing, migrations.RunPython.noop)]
