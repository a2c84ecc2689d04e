"""Reminders for a cohort of 2,000 learners: the "session tomorrow" job end to end.

``run(ctx)`` runs ``python -m bench.reminders`` in a subprocess with the bench settings
(the cohort comes from ``python -m bench.prepare reminders-cohort``). There, with
e-mail to memory (Django's locmem backend) and the immediate task backend, a session
tomorrow is added to the cohort and ``schedule.services.session_reminders_send`` is
timed with the delivery of every e-mail: the task the job queues sends the first
deliveries, and the scheduler's ``deliveries_send_due`` (called here until nothing is
left, as its minute job would) the rest. Then the job runs again and must send
nothing. The session and its notifications are deleted before and after. Prints one
JSON object.
"""

from __future__ import annotations

import json
import sys
import time

from bench.harness import Context

TARGET_SECONDS = 60


def run(ctx: Context) -> None:
    from bench.certificates import in_process

    figures = in_process("bench.reminders")
    learners = int(figures["learners"])
    print(
        f"  reminders: {learners} learners, {figures['emails']} e-mails in "
        f"{figures['seconds']:.1f} s (the job {figures['job_seconds']:.1f} s); "
        f"re-run {figures['rerun_seconds']:.2f} s",
        file=sys.stderr,
    )
    ctx.results.add(
        f"reminders_{learners}_seconds",
        figures["seconds"],
        "s",
        target=TARGET_SECONDS,
        compare="<=",
    )
    ctx.results.add(f"reminders_{learners}_job_seconds", figures["job_seconds"], "s")
    ctx.results.add(f"reminders_{learners}_rerun_seconds", figures["rerun_seconds"], "s")
    # Every learner e-mailed once, and the second run sent nothing.
    ctx.results.add(
        "reminders_missed_or_repeated",
        abs(learners - figures["emails"]) + figures["rerun_emails"],
        "e-mails",
        target=0,
        compare="<=",
    )


def main() -> None:
    import django

    django.setup()
    from datetime import time as clock
    from datetime import timedelta

    from django.core import mail
    from django.test.utils import override_settings
    from django.utils import timezone

    from bench.prepare import REMINDER_COHORT_NAME
    from courses.models import Cohort
    from lms.models import User
    from notifications.models import Notification
    from notifications.services import deliveries_send_due
    from schedule import services
    from schedule.models import Session

    cohort = Cohort.objects.get(name=REMINDER_COHORT_NAME)
    title = "Бюджет сельского округа (нагрузочный тест)"

    def clean() -> None:
        for session in Session.objects.filter(cohort=cohort, title=title):
            Notification.objects.filter(target__startswith=f"session:{session.pk}:").delete()
            session.delete()
        cohort_learners.update(unread_notifications=0)  # their only notifications were ours

    cohort_learners = User.objects.filter(enrolments__cohort=cohort)
    addresses = set(cohort_learners.values_list("email", flat=True))

    def to_cohort() -> int:
        # The job reminds every session of tomorrow: the demo cohort's too.
        return sum(message.to[0] in addresses for message in mail.outbox)

    def send_all() -> int:
        services.session_reminders_send()
        while deliveries_send_due():  # what the minute job does with the rest
            pass
        return to_cohort()

    tomorrow = timezone.localdate() + timedelta(days=1)
    immediate = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    locmem = "django.core.mail.backends.locmem.EmailBackend"
    figures: dict[str, float] = {}
    with override_settings(TASKS=immediate, EMAIL_BACKEND=locmem):
        clean()
        try:
            Session.objects.create(
                cohort=cohort,
                title=title,
                starts_at=services.local_datetime(tomorrow, clock(10)),
                ends_at=services.local_datetime(tomorrow, clock(13)),
                place="Кокшетау, ул. Абая, 1",
            )
            figures["learners"] = len(addresses)
            mail.outbox = []
            started = time.perf_counter()
            services.session_reminders_send()
            figures["job_seconds"] = time.perf_counter() - started
            while deliveries_send_due():
                pass
            figures["seconds"] = time.perf_counter() - started
            figures["emails"] = to_cohort()
            mail.outbox = []
            started = time.perf_counter()
            figures["rerun_emails"] = send_all()
            figures["rerun_seconds"] = time.perf_counter() - started
        finally:
            clean()
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
