"""The demo assignment for ``seed_demo``: "A project for my village" at the end of the
project-management module (11), with a rubric of four criteria, in kk/ru/en; and work
of the 2021 demo cohort in every state (draft, handed in, returned, handed in again,
marked), each with small real files made here (a PDF and a PNG). The 2021 cohort, not
the current one: the current cohort's module 11 opens in its last week, and work on an
assignment not open yet is refused.

Written through the services; seeding again changes nothing (a learner's work that
exists is left as it is).
"""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale

from assignments import services
from assignments.models import AssignmentPage, Submission, SubmissionVersion
from courses import services as course_services
from courses.models import Cohort, ItemCompletion, ModulePage
from lms.models import User

SLUG = "project-for-my-village"

TITLES = {
    "ru": "Проект для моего села",
    "kk": "Менің ауылыма арналған жоба",
    "en": "A project for my village",
}
INSTRUCTIONS = {
    "ru": (
        "<p>Напишите короткий проект для вашего сельского округа: детская площадка, "
        "водопровод, освещение улиц или бюджетные слушания. Опишите проблему с цифрами, "
        "цель и результат, план работ со сроками, смету и источники денег.</p>"
        "<p>Сдайте текст здесь и файл (PDF, DOCX или XLSX со сметой, фото документов).</p>"
    ),
    "kk": (
        "<p>Ауылдық округіңізге арналған қысқа жоба жазыңыз: балалар алаңы, су құбыры, "
        "көше жарығы немесе бюджеттік тыңдаулар. Мәселені сандармен, мақсат пен нәтижені, "
        "мерзімдері бар жұмыс жоспарын, сметаны және қаржы көздерін сипаттаңыз.</p>"
        "<p>Мәтінді осында тапсырыңыз және файл қосыңыз (PDF, DOCX немесе сметасы бар XLSX, "
        "құжаттардың суреті).</p>"
    ),
    "en": (
        "<p>Write a short project for your rural district: a playground, a water line, "
        "street lighting or a budget hearing. Describe the problem with figures, the aim "
        "and result, a work plan with dates, the estimate and where the money comes "
        "from.</p><p>Hand in the text here with a file (PDF, DOCX or XLSX with the "
        "estimate, photos of documents).</p>"
    ),
}
# four criteria × three or four levels: (title, [(level, points), ...]) per language
CRITERIA = {
    "ru": [
        (
            "Проблема и цель",
            [("Не описаны", 0), ("Описаны в общих словах", 2), ("С цифрами и результатом", 4)],
        ),
        (
            "План работ и сроки",
            [("Нет плана", 0), ("Есть этапы", 2), ("Этапы со сроками и ответственными", 4)],
        ),
        (
            "Смета и источники",
            [
                ("Нет сметы", 0),
                ("Общая сумма", 1),
                ("Смета по статьям", 3),
                ("Смета и источники денег", 4),
            ],
        ),
        (
            "Участие жителей",
            [("Не предусмотрено", 0), ("Информирование", 1), ("Сход или слушания", 3)],
        ),
    ],
    "kk": [
        (
            "Мәселе және мақсат",
            [("Сипатталмаған", 0), ("Жалпы сипатталған", 2), ("Сандармен және нәтижемен", 4)],
        ),
        (
            "Жұмыс жоспары мен мерзімдер",
            [
                ("Жоспар жоқ", 0),
                ("Кезеңдері бар", 2),
                ("Мерзімдері мен жауаптылары бар кезеңдер", 4),
            ],
        ),
        (
            "Смета және қаржы көздері",
            [
                ("Смета жоқ", 0),
                ("Жалпы сома", 1),
                ("Баптар бойынша смета", 3),
                ("Смета және қаржы көздері", 4),
            ],
        ),
        (
            "Тұрғындардың қатысуы",
            [("Қарастырылмаған", 0), ("Хабарлау", 1), ("Жиын немесе тыңдау", 3)],
        ),
    ],
    "en": [
        (
            "Problem and aim",
            [("Not described", 0), ("In general words", 2), ("With figures and a result", 4)],
        ),
        (
            "Work plan and dates",
            [("No plan", 0), ("Stages", 2), ("Stages with dates and who does them", 4)],
        ),
        (
            "Estimate and funding",
            [("No estimate", 0), ("A total", 1), ("By item", 3), ("By item, with funding", 4)],
        ),
        ("Residents' part", [("None", 0), ("Informed", 1), ("A meeting or hearing", 3)]),
    ],
}

# learners of the 2021 cohort, one per state; the second demo account's work is marked
WORKERS = [
    ("akim.draft@example.com", "Айгүл Нұрланқызы", "draft"),
    ("akim.submitted@example.com", "Бауыржан Омаров", "submitted"),
    ("akim.returned@example.com", "Сәуле Тұрсынова", "returned"),
    ("akim.resubmitted@example.com", "Дәурен Әбенов", "resubmitted"),
]
DEMO_LEARNER_STATE = ("learner2@example.com", "marked")

TEXT = (
    "Проблема: на улице Абая нет освещения, 1,2 км, 240 жителей. Цель: 40 фонарей до "
    "1 сентября. Смета: 6,8 млн тенге из бюджета сельского округа, сход жителей 15 мая."
)


def demo_pdf() -> bytes:
    """A one-page PDF saying "Project plan", with a correct cross-reference table."""
    text = b"BT /F1 18 Tf 72 720 Td (Project plan: street lighting) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def demo_png() -> bytes:
    """A small picture (a "photo of a document"): a white page with grey lines."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (120, 160), "white")
    draw = ImageDraw.Draw(image)
    for y in range(20, 150, 12):
        draw.line((12, y, 108, y), fill=(150, 150, 150), width=2)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _files():
    return [
        SimpleUploadedFile("proekt.pdf", demo_pdf(), content_type="application/pdf"),
        SimpleUploadedFile("protokol-skhoda.png", demo_png(), content_type="image/png"),
    ]


def _rubric(language: str) -> list[dict]:
    return [
        {
            "type": "criterion",
            "value": {
                "title": title,
                "levels": [
                    {"label": label, "description": "", "points": Decimal(points)}
                    for label, points in levels
                ],
            },
        }
        for title, levels in CRITERIA[language]
    ]


def _page(cohort: Cohort) -> AssignmentPage:
    module = ModulePage.objects.child_of(cohort.course).order_by("path").last()
    page = AssignmentPage.objects.child_of(module).filter(slug=SLUG).first()
    if page is None:
        page = AssignmentPage(
            title=TITLES["ru"],
            slug=SLUG,
            instructions=INSTRUCTIONS["ru"],
            rubric=_rubric("ru"),
            accept_xlsx=True,
            max_files=3,
            pass_mark=Decimal("9"),
        )
        module.add_child(instance=page)  # after the final exam: the module ends with it
        page.save_revision().publish()
    for language in ("kk", "en"):
        locale = Locale.objects.get(language_code=language)
        if page.get_translation_or_none(locale) is None:
            copy = page.copy_for_translation(locale)
            copy.title = copy.draft_title = TITLES[language]
            copy.instructions = INSTRUCTIONS[language]
            copy.rubric = _rubric(language)
            copy.save_revision().publish()
    return page


def _hand_in(learner: User, page: AssignmentPage) -> None:
    services.draft_save(learner=learner, page=page, text=TEXT)
    for upload in _files():
        services.file_add(learner=learner, page=page, upload=upload)
    services.submission_submit(learner=learner, page=page)


def _work(learner: User, page: AssignmentPage, state: str, trainer: User) -> None:
    def latest() -> Submission:
        return Submission.objects.get(
            enrolment__learner=learner, assignment_key=page.translation_key
        )

    if state == "draft":
        services.draft_save(learner=learner, page=page, text=TEXT)
        services.file_add(learner=learner, page=page, upload=_files()[0])
        return
    _hand_in(learner, page)
    if state == "submitted":
        return
    services.submission_return(
        submission=latest(),
        page=page,
        marker=trainer,
        comment="Хорошее начало. Добавьте смету по статьям и дату схода жителей.",
    )
    if state == "returned":
        return
    services.draft_save(learner=learner, page=page, text=TEXT + " Смета по статьям — в файле.")
    services.submission_submit(learner=learner, page=page)
    if state == "resubmitted":
        return
    levels = {criterion.id: "2" for criterion in page.criteria}
    services.submission_mark(
        submission=latest(),
        page=page,
        marker=trainer,
        comment="Проект готов к защите.",
        levels=levels,
    )


@transaction.atomic
def seed_assignment(*, cohort: Cohort) -> AssignmentPage:
    """The assignment and the 2021 cohort's work on it (``cohort``)."""
    page = _page(cohort)
    trainer = cohort.trainers.order_by("pk").first()
    learners = Group.objects.get(name="Learners")
    people = []
    for email, name, state in WORKERS:
        user, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
        if created:
            user.set_unusable_password()  # in the trainer's queue only; nobody signs in as them
            user.save(update_fields=["password"])
            user.groups.add(learners)
        course_services.enrolment_create(learner=user, cohort=cohort)
        people.append((user, state))
    email, state = DEMO_LEARNER_STATE
    people.append((User.objects.get(email=email), state))
    for user, state in people:
        if Submission.objects.filter(
            enrolment__learner=user, assignment_key=page.translation_key
        ).exists():
            continue
        _work(user, page, state, trainer)
    _date_in_the_cohort(cohort, page)
    return page


def _date_in_the_cohort(cohort: Cohort, page: AssignmentPage) -> None:
    """The 2021 cohort handed its work in on time: its versions, marks and the passed
    item are dated in the cohort's last week, not on the day the demo is loaded."""
    handed_in = timezone.make_aware(datetime.combine(cohort.ends_on - timedelta(days=7), time(10)))
    SubmissionVersion.objects.filter(
        submission__enrolment__cohort=cohort, submission__assignment_key=page.translation_key
    ).update(submitted_at=handed_in, late=False)
    SubmissionVersion.objects.filter(
        submission__enrolment__cohort=cohort,
        submission__assignment_key=page.translation_key,
        marked_at__isnull=False,
    ).update(marked_at=handed_in + timedelta(days=2))
    ItemCompletion.objects.filter(enrolment__cohort=cohort, item_key=page.translation_key).update(
        completed_at=handed_in + timedelta(days=2), late=False
    )
