"""Bulk enrolment from a CSV or XLSX list: reading, checking, dry run, import, invitations."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

from courses import imports, services
from courses.imports import (
    ALREADY_ENROLLED,
    CREATE_ACCOUNT,
    ENROL,
    UPDATE_ACCOUNT,
    RosterAction,
    RosterError,
    roster_import,
    roster_parse,
)
from courses.models import Enrolment
from lms.models import LearnerProfile, Region, User
from tests.factories import LearnerProfileFactory, UserFactory
from tests.factories.courses import build_cohort

HEADER = "full_name,email,region,rural_district,position,phone"
ROWS = [
    "Ерлан Сейітов,Erlan@Example.com,akmola,Жалтыр,akim,+7 701 123 45 67",
    "Айгүл Нұрланова,aigul@example.com,Акмолинская область,Жалтыр,deputy,",
    "Олег Петров,oleg@example.com,Ақмола,Жалтыр,,",
]
EMAILS = ["erlan@example.com", "aigul@example.com", "oleg@example.com"]


def _csv(*lines: str, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    text = "\r\n".join(line.replace(",", delimiter) for line in lines) + "\r\n"
    return text.encode(encoding)


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _counts() -> tuple[int, int, int]:
    return User.objects.count(), LearnerProfile.objects.count(), Enrolment.objects.count()


def _upload(cohort, file_name: str, data: bytes, *, dry_run: bool = False):
    """What the admin view does: read the file, then import it."""
    rows = roster_parse(file_name=file_name, data=data)
    return roster_import(cohort=cohort, rows=rows, dry_run=dry_run, actor="trainer@example.com")


def _rejected(cohort, file_name: str, data: bytes) -> list[tuple[int | None, str | None]]:
    """Upload a bad file: it must raise RosterError and change nothing."""
    before = _counts()
    with pytest.raises(RosterError) as caught:
        _upload(cohort, file_name, data)
    assert _counts() == before
    problems = caught.value.problems
    assert problems and all(problem.message for problem in problems)
    return [(problem.line, problem.field) for problem in problems]


def _messages(error: pytest.ExceptionInfo[RosterError]) -> str:
    return " | ".join(problem.message for problem in error.value.problems)


# ---------------------------------------------------------------------------------
# Reading good files


@pytest.mark.django_db
def test_utf8_csv_is_read_and_cleaned():
    rows = roster_parse(file_name="list.csv", data=_csv(HEADER, *ROWS))
    akmola = Region.objects.get(code="akmola")
    assert [row.line for row in rows] == [2, 3, 4]
    assert [row.email for row in rows] == EMAILS
    assert {row.region for row in rows} == {akmola}
    first, second, third = rows
    assert first.full_name == "Ерлан Сейітов"
    assert first.phone == "+7 701 123 45 67"
    assert first.position == "akim"
    assert second.position == "deputy"
    assert third.position == "akim"  # blank: akim
    assert third.phone == ""
    assert first.rural_district == "Жалтыр"


@pytest.mark.django_db
def test_utf8_csv_with_bom():
    data = "\ufeff".encode() + _csv(HEADER, *ROWS)
    rows = roster_parse(file_name="LIST.CSV", data=data)
    assert [row.email for row in rows] == EMAILS


@pytest.mark.django_db
def test_windows_1251_csv_with_semicolons_and_russian_headers():
    data = _csv(
        "ФИО;Электронная почта;Область;Сельский округ;Должность;Телефон",
        "Петров Олег Иванович;oleg@example.com;Акмолинская область;Жалтырский;аким;87011234567",
        "Иванова Анна;anna@example.com;Карагандинская;;заместитель акима;",
        "Сидоров Пётр;petr@example.com;город Астана;;сотрудник аппарата;",
        encoding="cp1251",
    )
    rows = roster_parse(file_name="список.csv", data=data)
    assert [row.full_name for row in rows] == [
        "Петров Олег Иванович",
        "Иванова Анна",
        "Сидоров Пётр",
    ]
    assert [row.region.code for row in rows] == ["akmola", "karaganda", "astana"]
    assert [row.position for row in rows] == ["akim", "deputy", "staff"]
    assert rows[0].rural_district == "Жалтырский"


@pytest.mark.django_db
def test_semicolons_in_utf8_and_excel_sep_line():
    data = _csv("sep=;", HEADER, ROWS[0], delimiter=";")
    [row] = roster_parse(file_name="list.csv", data=data)
    assert row.line == 2  # Excel hides the sep= line, so the header is still line 1
    assert row.email == "erlan@example.com"


@pytest.mark.django_db
def test_xlsx_with_kazakh_headers():
    data = _xlsx(
        [
            ["Аты-жөні", "Электрондық пошта", "Облыс", "Ауылдық округ", "Лауазымы", "Телефон"],
            ["Ерлан Сейітов", "erlan@example.com", "Ақмола облысы", "Жалтыр", "әкім", 77011234567],
            ["Айгүл Нұрланова", "aigul@example.com", "Қарағанды", None, "әкімнің орынбасары"],
            [None, None, None],
            ["Мұрат Әбенов", "murat@example.com", "akmola", None, "аппарат қызметкері"],
        ]
    )
    rows = roster_parse(file_name="тізім.xlsx", data=data)
    assert [row.line for row in rows] == [2, 3, 5]  # the blank row is skipped, not renumbered
    assert [row.region.code for row in rows] == ["akmola", "karaganda", "akmola"]
    assert [row.position for row in rows] == ["akim", "deputy", "staff"]
    assert rows[0].phone == "77011234567"  # a number cell, without ".0"


@pytest.mark.django_db
def test_headings_are_matched_loosely_and_phone_position_columns_are_optional():
    data = _csv(" E-Mail ,Ф.И.О.,РЕГИОН", "akim@example.com,Ерлан Сейітов,Акмолинская обл.")
    [row] = roster_parse(file_name="list.csv", data=data)
    assert (row.full_name, row.email, row.region.code) == (
        "Ерлан Сейітов",
        "akim@example.com",
        "akmola",
    )
    assert (row.position, row.phone, row.rural_district) == ("akim", "", "")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("akmola", "akmola"),
        ("AKMOLA", "akmola"),
        ("Akmola Region", "akmola"),
        ("Akmola", "akmola"),
        ("Акмолинская область", "akmola"),
        ("акмолинская", "akmola"),
        ("Ақмола облысы", "akmola"),
        ("Ақмола", "akmola"),
        ("Область Жетісу", "jetisu"),
        ("Жетісу", "jetisu"),
        ("Восточно-Казахстанская", "east-kazakhstan"),
        ("Almaty", "almaty"),  # the city's full English name
        ("Almaty Region", "almaty-region"),
        ("Алматинская", "almaty-region"),
        ("Алматы қаласы", "almaty"),
        ("г. Шымкент", "shymkent"),
    ],
)
def test_regions_by_code_or_name_in_full_or_short(value, code):
    [row] = roster_parse(file_name="list.csv", data=_csv(HEADER, f"Имя,a@example.com,{value}"))
    assert row.region.code == code


# ---------------------------------------------------------------------------------
# Importing


def test_dry_run_changes_nothing_and_reports_what_an_import_would_do(
    cohort, learner, mailoutbox, django_capture_on_commit_callbacks
):
    LearnerProfileFactory(user=learner)
    rows = roster_parse(
        file_name="list.csv",
        data=_csv(HEADER, *ROWS, "Ерлан Сейітов (аким),AKIM@example.com,akmola"),
    )
    before = _counts()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        preview = roster_import(cohort=cohort, rows=rows, dry_run=True, actor="trainer")

    assert _counts() == before
    assert not Enrolment.objects.exists()
    assert callbacks == [] and mailoutbox == []
    assert preview.dry_run
    assert (preview.created, preview.updated, preview.enrolled, preview.already_enrolled) == (
        3,
        1,
        4,
        0,
    )
    assert preview.actions[:2] == [
        RosterAction(2, "erlan@example.com", CREATE_ACCOUNT),
        RosterAction(2, "erlan@example.com", ENROL),
    ]
    assert RosterAction(5, "akim@example.com", UPDATE_ACCOUNT) in preview.actions

    with django_capture_on_commit_callbacks(execute=True):
        result = roster_import(cohort=cohort, rows=rows, dry_run=False, actor="trainer")
    assert not result.dry_run
    assert (result.created, result.updated, result.enrolled, result.already_enrolled) == (
        preview.created,
        preview.updated,
        preview.enrolled,
        preview.already_enrolled,
    )
    assert result.actions == preview.actions


def test_import_creates_accounts_profiles_enrolments_and_invites_new_learners(
    cohort, course, learner, mailoutbox, django_capture_on_commit_callbacks, client
):
    data = _csv(HEADER, *ROWS, "Ерлан Сейітов (аким),akim@example.com,Карагандинская,,deputy,")
    with django_capture_on_commit_callbacks(execute=True):
        result = _upload(cohort, "list.csv", data)

    assert (result.created, result.updated, result.enrolled, result.already_enrolled) == (
        3,
        1,
        4,
        0,
    )
    for email in EMAILS:
        user = User.objects.get(email=email)
        assert not user.has_usable_password()
        assert user.groups.filter(name="Learners").exists()
        assert Enrolment.objects.get(learner=user).cohort == cohort
    erlan = LearnerProfile.objects.select_related("user", "region").get(
        user__email="erlan@example.com"
    )
    assert erlan.user.full_name == "Ерлан Сейітов"
    assert erlan.region.code == "akmola"
    assert (erlan.rural_district, erlan.position, erlan.phone) == (
        "Жалтыр",
        "akim",
        "+7 701 123 45 67",
    )
    # The existing account is updated and enrolled, keeps its password, gets no invitation.
    learner.refresh_from_db()
    assert learner.full_name == "Ерлан Сейітов (аким)"
    assert learner.has_usable_password()
    assert learner.learner_profile.position == "deputy"
    assert learner.learner_profile.region.code == "karaganda"
    assert Enrolment.objects.get(learner=learner).cohort == cohort

    assert sorted(message.to[0] for message in mailoutbox) == sorted(EMAILS)
    message = next(m for m in mailoutbox if m.to == ["erlan@example.com"])
    assert course.title in message.subject
    assert "\n" not in message.subject
    assert course.title in message.body and cohort.name in message.body
    assert "Ерлан Сейітов" in message.body
    link = re.search(r"http://testserver/accounts/reset/(\S+)/(\S+)/", message.body)
    assert link, message.body
    uid, token = link.groups()
    user = User.objects.get(pk=force_str(urlsafe_base64_decode(uid)))
    assert user.email == "erlan@example.com"
    assert default_token_generator.check_token(user, token)
    # The link opens the "choose a password" form.
    response = client.get(link.group(0))
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/reset/{uid}/set-password/"


def test_reimport_is_idempotent_and_updates_names(
    cohort, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _upload(cohort, "list.csv", _csv(HEADER, *ROWS))
    counts = _counts()
    mailoutbox.clear()

    renamed = ROWS[0].replace("Ерлан Сейітов", "Ерлан Сейітов Болатұлы")
    with django_capture_on_commit_callbacks(execute=True):
        result = _upload(cohort, "list.csv", _csv(HEADER, renamed, *ROWS[1:]))

    assert _counts() == counts
    assert (result.created, result.updated, result.enrolled, result.already_enrolled) == (
        0,
        1,
        0,
        3,
    )
    assert result.actions == [
        RosterAction(2, "erlan@example.com", UPDATE_ACCOUNT),
        RosterAction(2, "erlan@example.com", ALREADY_ENROLLED),
        RosterAction(3, "aigul@example.com", ALREADY_ENROLLED),
        RosterAction(4, "oleg@example.com", ALREADY_ENROLLED),
    ]
    assert User.objects.get(email="erlan@example.com").full_name == "Ерлан Сейітов Болатұлы"
    assert mailoutbox == []


def test_blank_optional_cells_keep_what_the_profile_holds(cohort, learner):
    LearnerProfileFactory(user=learner, phone="+7 777 000 00 00", rural_district="Жалтыр")
    result = _upload(
        cohort, "list.csv", _csv(HEADER, f"{learner.full_name},{learner.email},akmola")
    )
    assert result.updated == 0 and result.enrolled == 1
    learner.learner_profile.refresh_from_db()
    assert learner.learner_profile.phone == "+7 777 000 00 00"
    assert learner.learner_profile.rural_district == "Жалтыр"


def test_learners_in_another_cohort_of_the_course_move_here(cohort, course, learner):
    LearnerProfileFactory(user=learner)
    other = build_cohort(course, name="Поток 2")
    services.enrolment_create(learner=learner, cohort=other)
    result = _upload(
        cohort, "list.csv", _csv(HEADER, f"{learner.full_name},{learner.email},akmola")
    )
    assert result.actions == [RosterAction(2, learner.email, ENROL)]
    assert Enrolment.objects.get(learner=learner).cohort == cohort


def test_a_failure_during_the_import_rolls_everything_back(
    cohort, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    rows = roster_parse(file_name="list.csv", data=_csv(HEADER, *ROWS))
    real = imports.enrolment_create
    calls = []

    def failing_on_third(**kwargs):
        calls.append(kwargs["learner"].email)
        if len(calls) == 3:
            raise RuntimeError("database went away")
        return real(**kwargs)

    monkeypatch.setattr(imports, "enrolment_create", failing_on_third)
    before = _counts()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        roster_import(cohort=cohort, rows=rows, dry_run=False, actor="trainer")
    assert _counts() == before
    assert mailoutbox == []


def test_send_invitations_in_the_learners_language(cohort, course, mailoutbox, settings):
    from django.utils import translation

    settings.SITE_URL = "https://academy.example.kz"
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"  # not the source of links
    seen = []
    user = UserFactory(email="kk@example.com", preferred_language="kk")
    real_render = imports.render_to_string

    def render(template, context):
        seen.append(translation.get_language())
        return real_render(template, context)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(imports, "render_to_string", render)
        sent = imports.send_invitations(users=[user], cohort=cohort)
    assert sent == 1
    assert seen == ["kk", "kk"]
    assert "https://academy.example.kz/accounts/reset/" in mailoutbox[0].body


# ---------------------------------------------------------------------------------
# Bad files: every problem with its line, and nothing imported


def test_an_error_on_line_4_of_5_imports_nothing(cohort):
    data = _csv(HEADER, ROWS[0], ROWS[1], "Без почты,,akmola", ROWS[2])
    assert _rejected(cohort, "list.csv", data) == [(4, "email")]
    assert not User.objects.filter(email__in=EMAILS).exists()


def test_every_bad_row_is_reported(cohort):
    data = _csv(
        HEADER,
        ROWS[0],  # 2: fine
        "Дубль,ERLAN@example.com,akmola",  # 3: same e-mail as line 2
        "Неизвестная,x@example.com,Нарния",  # 4: unknown region
        "Плохая почта,not-an-email,akmola",  # 5: bad e-mail
        ",y@example.com,akmola",  # 6: no name
        "Телефон,z@example.com,akmola,,,abc",  # 7: bad phone
        "Должность,w@example.com,akmola,,президент,",  # 8: unknown position
        "Алматы,v@example.com,Алматы",  # 9: city or region?
        "",  # 10: blank, skipped
        f"{'Я' * 201},u@example.com,,,,",  # 11: name too long, no region
    )
    assert _rejected(cohort, "list.csv", data) == [
        (3, "email"),
        (4, "region"),
        (5, "email"),
        (6, "full_name"),
        (7, "phone"),
        (8, "position"),
        (9, "region"),
        (11, "full_name"),
        (11, "region"),
    ]
    with pytest.raises(RosterError) as caught:
        roster_parse(file_name="list.csv", data=data)
    problems = {problem.line: problem.message for problem in caught.value.problems}
    assert "2" in problems[3]
    assert "erlan@example.com" in problems[3]
    assert "Нарния" in problems[4]
    assert "not-an-email" in problems[5]


def test_missing_columns_are_named_in_one_problem(cohort):
    data = _csv("full_name,rural_district", "Ерлан Сейітов,Жалтыр")
    assert _rejected(cohort, "list.csv", data) == [(1, None)]
    with pytest.raises(RosterError) as caught:
        roster_parse(file_name="list.csv", data=data)
    message = _messages(caught)
    assert "email" in message and "region" in message and "full_name /" not in message


def test_unknown_and_duplicate_columns(cohort):
    data = _csv("full_name,emial,region,ФИО,notes", "Ерлан,erlan@example.com,akmola,Ерлан,x")
    problems = _rejected(cohort, "list.csv", data)
    assert problems == [(1, None), (1, None), (1, "full_name"), (1, None)]
    with pytest.raises(RosterError) as caught:
        roster_parse(file_name="list.csv", data=data)
    message = _messages(caught)
    assert "emial" in message and "notes" in message and "ФИО" in message


def test_a_value_under_no_heading_is_a_problem(cohort):
    data = _csv("full_name,email,region,", "Ерлан,erlan@example.com,akmola,лишнее")
    assert _rejected(cohort, "list.csv", data) == [(2, None)]


def test_too_many_rows(cohort, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    data = _csv(HEADER, *ROWS, "Четвёртый,four@example.com,akmola")
    assert _rejected(cohort, "list.csv", data) == [(None, None)]


def test_five_thousand_rows_are_allowed_but_not_one_more(db):
    lines = [HEADER] + [f"Аким {n},akim{n}@example.com,akmola" for n in range(5_000)]
    assert len(roster_parse(file_name="list.csv", data=_csv(*lines))) == 5_000
    with pytest.raises(RosterError) as caught:
        roster_parse(file_name="list.csv", data=_csv(*lines, "Лишний,extra@example.com,akmola"))
    assert "5,000" in _messages(caught)


def test_too_large(cohort):
    data = _csv(HEADER, *ROWS) + b" " * (2 * 1024 * 1024)
    assert _rejected(cohort, "list.csv", data) == [(None, None)]


@pytest.mark.parametrize("file_name", ["list.xls", "list.txt", "list", "list.csv.exe"])
def test_unsupported_file_type(cohort, file_name):
    assert _rejected(cohort, file_name, _csv(HEADER, *ROWS)) == [(None, None)]


@pytest.mark.parametrize(
    "data",
    [
        b"not a zip at all",
        b"PK\x03\x04 truncated",
        _xlsx([["full_name", "email", "region"]])[:2000],
    ],
    ids=["text", "zip-header", "truncated"],
)
def test_corrupt_xlsx(cohort, data):
    assert _rejected(cohort, "list.xlsx", data) == [(None, None)]


def test_an_xlsx_uploaded_as_csv(cohort):
    data = _xlsx([HEADER.split(","), ROWS[0].split(",")])
    assert _rejected(cohort, "list.csv", data) == [(None, None)]


@pytest.mark.parametrize(
    ("file_name", "data"),
    [
        ("list.csv", b""),
        ("list.csv", b"\r\n\r\n"),
        ("list.csv", "\ufeff".encode()),
        ("list.xlsx", _xlsx([])),
    ],
    ids=["csv", "csv-blank-lines", "csv-bom-only", "xlsx"],
)
def test_empty_file(cohort, file_name, data):
    assert _rejected(cohort, file_name, data) == [(None, None)]


def test_header_without_learners(cohort):
    assert _rejected(cohort, "list.csv", _csv(HEADER, "", ",,,,,")) == [(None, None)]


def test_utf16_csv_is_rejected(cohort):
    assert _rejected(cohort, "list.csv", _csv(HEADER, *ROWS, encoding="utf-16")) == [(None, None)]
