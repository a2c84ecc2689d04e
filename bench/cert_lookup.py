"""In-process timings for the certificate registry, run as ``python -m bench.cert_lookup``.

Inside one transaction that is rolled back: verification lookups with 100 and with
100,000 certificates in the table, and PDF rendering. Prints one JSON object.
"""

from __future__ import annotations

import json
import random
import statistics
import time
import uuid

LOOKUPS = 2000
SMALL, LARGE = 100, 100_000
PDF_RENDERS = 10


class _Rollback(Exception):
    pass


def _lookup_us(services, printed: list[str]) -> float:
    rng = random.Random(7)
    timings = []
    for _ in range(LOOKUPS):
        started = time.perf_counter()
        services.verify(typed=rng.choice(printed))
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1_000_000


def main() -> None:
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from bench.harness import BENCH_EMAIL_DOMAIN
    from certification import numbers, services
    from certification.documents import render_pdf
    from certification.models import Certificate
    from lms.models import User

    figures: dict[str, float] = {}

    def batch(holder, count: int) -> list[Certificate]:
        now = timezone.now()
        return Certificate.objects.bulk_create(
            [
                Certificate(
                    number=numbers.new_number(),
                    holder=holder,
                    # One standing certificate per holder and course: a course each
                    # (course_version is a small integer, too small to count 100,000).
                    course_key=uuid.uuid4(),
                    course_version=1,
                    holder_name="Әлия Ғабитқызы Қоңырбаева",
                    course_titles={"ru": "Управление сельским округом"},
                    academic_hours=72,
                    issued_at=now,
                    issuer="Академия государственного управления",
                )
                for _ in range(count)
            ],
            batch_size=2000,
        )

    try:
        with transaction.atomic():
            holder = User.objects.create(
                email=f"bench-registry@{BENCH_EMAIL_DOMAIN}", full_name="Bench"
            )
            existing = Certificate.objects.count()
            small = batch(holder, SMALL)
            printed = [numbers.format_number(c.number) for c in small]
            figures["verify_lookup_us_small"] = _lookup_us(services, printed)
            holder_large = User.objects.create(
                email=f"bench-registry-2@{BENCH_EMAIL_DOMAIN}", full_name="Bench 2"
            )
            started = time.perf_counter()
            batch(holder_large, LARGE - SMALL)
            figures["insert_seconds"] = time.perf_counter() - started
            figures["verify_lookup_us_large"] = _lookup_us(services, printed)
            figures["certificates_small"] = existing + SMALL
            figures["certificates_large"] = existing + LARGE
            renders = []
            for certificate in small[:PDF_RENDERS]:
                started = time.perf_counter()
                render_pdf(certificate)
                renders.append(time.perf_counter() - started)
            figures["pdf_render_ms"] = statistics.median(renders) * 1000
            raise _Rollback
    except _Rollback:
        pass
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
