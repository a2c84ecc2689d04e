"""A 5 MB question file imported through the admin's services, as tasks.

``run(ctx)`` (``--only question_import``) runs ``python -m bench.question_import`` with
the bench settings. That process generates a GIFT file of 12,000 mixed questions just
under the 5 MB upload cap (``bench/question_files.py``) and imports it the way the admin
does: ``question_import_start`` keeps the upload and queues the check task, then
``question_import_confirm`` queues the import task. The immediate task backend runs each
task inline, so the time of each call is the time of its task (with the database
worker, the requests only store the file and queue). Then the same with a Moodle XML
file of about 5 MB. The questions, their categories and the runs are deleted before and
after. Prints one JSON object.
"""

from __future__ import annotations

import json
import sys
import time

from bench.harness import BENCH_EMAIL_DOMAIN, Context

GIFT_QUESTIONS = 12_000
XML_QUESTIONS = 7_200  # about as many bytes as the GIFT file
ROOT = "Bench import"
IMPORTER_EMAIL = f"bench-importer@{BENCH_EMAIL_DOMAIN}"


def run(ctx: Context) -> None:
    from bench.certificates import in_process

    figures = in_process("bench.question_import")
    for kind, label in (("gift", "GIFT"), ("moodle_xml", "Moodle XML")):
        count = int(figures[f"{kind}_questions"])
        print(
            f"  {label}: {count:,} questions ({figures[f'{kind}_bytes'] / 2**20:.2f} MB) "
            f"checked in {figures[f'{kind}_check_seconds']:.1f} s, imported in "
            f"{figures[f'{kind}_import_seconds']:.1f} s",
            file=sys.stderr,
        )
    count = int(figures["gift_questions"])
    total = figures["gift_check_seconds"] + figures["gift_import_seconds"]
    ctx.results.add(f"question_import_gift_{count}_seconds", total, "s", target=60, compare="<=")
    ctx.results.add(
        f"question_import_gift_{count}_check_seconds", figures["gift_check_seconds"], "s"
    )
    ctx.results.add(
        f"question_import_gift_{count}_import_seconds", figures["gift_import_seconds"], "s"
    )
    ctx.results.add("question_import_gift_questions_per_second", count / total, "questions/s")
    xml_count = int(figures["moodle_xml_questions"])
    ctx.results.add(
        f"question_import_moodle_xml_{xml_count}_seconds",
        figures["moodle_xml_check_seconds"] + figures["moodle_xml_import_seconds"],
        "s",
    )
    ctx.results.add(
        "question_import_missed", figures["missed"], "questions", target=0, compare="<="
    )


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.contrib.contenttypes.models import ContentType
    from django.test.utils import override_settings
    from wagtail.models import ReferenceIndex

    from bench.question_files import gift_file, moodle_xml_file
    from lms.models import User
    from quizzes import imports
    from quizzes.interchange.importer import category_for_path
    from quizzes.models import Category, Question, QuestionImport

    user, _created = User.objects.get_or_create(
        email=IMPORTER_EMAIL,
        defaults={"full_name": "Импорт для теста", "password": make_password(None)},
    )

    def clean() -> None:
        root = category_for_path(ROOT)
        if root is not None:
            ids = root.descendant_ids()
            questions = Question.objects.filter(category__in=ids)
            question_type = ContentType.objects.get_for_model(Question)
            ReferenceIndex.objects.filter(
                base_content_type=question_type,
                object_id__in=[str(pk) for pk in questions.values_list("pk", flat=True)],
            ).delete()
            questions.delete()
            Category.objects.filter(pk__in=ids).order_by("-pk").delete()
        QuestionImport.objects.filter(requested_by=user).delete()

    def timed_import(name: str, data: bytes, file_format: str) -> tuple[float, float, int]:
        started = time.perf_counter()
        run = imports.question_import_start(
            user=user, file_name=name, data=data, format=file_format, category_path=ROOT
        )
        checked = time.perf_counter()
        run.refresh_from_db()
        assert run.state == QuestionImport.State.CHECKED, (run.state, run.problems[:3])
        imports.question_import_confirm(run=run)
        imported = time.perf_counter()
        run.refresh_from_db()
        assert run.state == QuestionImport.State.FINISHED, (run.state, run.problems[:3])
        return checked - started, imported - checked, run.questions_imported

    figures: dict[str, float] = {"missed": 0}
    immediate = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    files = [
        ("gift", "bench.gift", gift_file(GIFT_QUESTIONS), "gift", GIFT_QUESTIONS),
        ("moodle_xml", "bench.xml", moodle_xml_file(XML_QUESTIONS), "moodle-xml", XML_QUESTIONS),
    ]
    with override_settings(TASKS=immediate):
        clean()
        try:
            for kind, name, data, file_format, count in files:
                assert len(data) <= imports.IMPORT_MAX_BYTES, len(data)
                check, load, imported = timed_import(name, data, file_format)
                figures.update(
                    {
                        f"{kind}_questions": count,
                        f"{kind}_bytes": len(data),
                        f"{kind}_check_seconds": check,
                        f"{kind}_import_seconds": load,
                    }
                )
                figures["missed"] += count - imported
                clean()
        finally:
            clean()
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
