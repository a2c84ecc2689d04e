"""Bulk enrolment: a trainer's list of learners (CSV or XLSX) into a cohort.

Two steps, so that a view can show a preview before anything is written:

1. ``roster_parse`` reads the file and checks every row. It returns the rows, or raises
   ``RosterError`` listing *every* problem with its line number as a spreadsheet shows
   it (the header is line 1). A file with any problem imports nothing.
2. ``roster_import`` creates or updates the accounts and learner profiles and enrols
   them, in one transaction. With ``dry_run=True`` it works out the same result and
   rolls back, so the trainer sees what a real import would do.

New accounts have no password. After a real import commits, each new learner gets an
invitation (``send_invitations``) with a link to choose one.
"""

from __future__ import annotations

import csv
import io
import logging
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import PurePath
from typing import NamedTuple

import openpyxl
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.models import Cohort, Enrolment
from courses.services import enrolment_create
from lms.links import absolute_url
from lms.models import LearnerProfile, Region, User
from lms.security import log_event

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5_000
# An .xlsx is a zip archive: 2 MB packed can hide gigabytes of XML. 5,000 learners
# take a few megabytes unpacked, so this leaves a wide margin.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_FULL_NAME = User._meta.get_field("full_name").max_length
MAX_EMAIL = User._meta.get_field("email").max_length
MAX_RURAL_DISTRICT = LearnerProfile._meta.get_field("rural_district").max_length

INVITATION_SUBJECT_TEMPLATE = "courses/email/invitation_subject.txt"
INVITATION_BODY_TEMPLATE = "courses/email/invitation_body.txt"

# Column -> the headings accepted for it (English, Russian, Kazakh), compared by _heading.
COLUMNS: dict[str, tuple[str, ...]] = {
    "full_name": ("full_name", "full name", "name", "ФИО", "Ф.И.О.", "Аты-жөні"),
    "email": ("email", "e-mail", "почта", "электронная почта", "электрондық пошта"),
    "region": ("region", "область", "регион", "облыс", "өңір"),
    "rural_district": ("rural_district", "rural district", "сельский округ", "ауылдық округ"),
    "position": ("position", "должность", "лауазымы"),
    "phone": ("phone", "телефон"),
}
REQUIRED_COLUMNS = ("full_name", "email", "region")
# How a column is named in messages: one heading in each language.
COLUMN_HINTS = {
    "full_name": "full_name / ФИО / Аты-жөні",
    "email": "email / электронная почта / электрондық пошта",
    "region": "region / область / облыс",
    "rural_district": "rural_district / сельский округ / ауылдық округ",
    "position": "position / должность / лауазымы",
    "phone": "phone / телефон",
}

POSITIONS: dict[str, tuple[str, ...]] = {
    LearnerProfile.Position.AKIM: ("akim", "аким", "әкім"),
    LearnerProfile.Position.DEPUTY: (
        "deputy",
        "deputy akim",
        "заместитель акима",
        "әкімнің орынбасары",
    ),
    LearnerProfile.Position.STAFF: (
        "staff",
        "akimat staff",
        "сотрудник аппарата",
        "аппарат қызметкері",
    ),
}

# Words dropped to get a region's short name: "Акмолинская область" -> "акмолинская".
REGION_WORDS = frozenset(
    {"область", "обл", "облысы", "region", "город", "г", "қаласы", "қ", "city"}
)

# What roster_import does for a row (RosterAction.action), and how to show it.
CREATE_ACCOUNT = "create account"
UPDATE_ACCOUNT = "update account"
ENROL = "enrol"
ALREADY_ENROLLED = "already enrolled"
ACTION_LABELS = {
    CREATE_ACCOUNT: gettext_lazy("create account"),
    UPDATE_ACCOUNT: gettext_lazy("update account"),
    ENROL: gettext_lazy("enrol"),
    ALREADY_ENROLLED: gettext_lazy("already enrolled"),
}


@dataclass(frozen=True)
class RosterProblem:
    """Why a file cannot be imported: a line (None: the whole file), a column, a message."""

    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = [f"line {self.line}"] if self.line is not None else []
        if self.field:
            where.append(self.field)
        return f"{', '.join(where)}: {self.message}" if where else self.message


class RosterError(Exception):
    """The file cannot be imported; ``problems`` lists every reason found."""

    def __init__(self, problems: list[RosterProblem]):
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))


@dataclass(frozen=True)
class RosterRow:
    """One learner from the file, checked and cleaned.

    ``rural_district`` and ``phone`` are "" when the cell was blank (or the column
    absent); ``position`` is always one of ``LearnerProfile.Position``.
    """

    line: int
    full_name: str
    email: str
    region: Region
    rural_district: str
    position: str
    phone: str


class RosterAction(NamedTuple):
    """One thing an import does (or, in a dry run, would do) for the row on ``line``."""

    line: int
    email: str
    action: str  # CREATE_ACCOUNT, UPDATE_ACCOUNT, ENROL or ALREADY_ENROLLED


@dataclass
class RosterResult:
    """What an import did, or in a dry run would do.

    ``updated`` counts existing accounts whose name or profile changed. Each row has
    one enrolment action (ENROL or ALREADY_ENROLLED), preceded by CREATE_ACCOUNT or
    UPDATE_ACCOUNT when the account is new or changes.
    """

    dry_run: bool
    created: int = 0
    updated: int = 0
    enrolled: int = 0
    already_enrolled: int = 0
    actions: list[RosterAction] = field(default_factory=list)

    def lines(self) -> list[tuple[int, str, list[str]]]:
        """One entry per row of the file, (line, e-mail, what happens to it, in order):
        a row has up to two actions, and a preview listing actions showed it twice."""
        by_line: dict[int, tuple[int, str, list[str]]] = {}
        for line, email, action in self.actions:
            by_line.setdefault(line, (line, email, []))[2].append(action)
        return list(by_line.values())


# ---------------------------------------------------------------------------------
# Reading the file


def _whole_file_problem(message: str) -> RosterError:
    return RosterError([RosterProblem(line=None, field=None, message=message)])


def _cell_text(value: object) -> str:
    """A spreadsheet cell as text: numbers typed as phone numbers lose their ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\u00a0", " ").strip()


def _csv_lines(data: bytes) -> Iterator[list[str]]:
    """The cells of each record of a UTF-8 (with or without BOM) or Windows-1251 CSV."""
    if data.startswith(b"PK\x03\x04"):
        raise _whole_file_problem(
            _("This is an Excel workbook, not a CSV file: upload it with the .xlsx extension.")
        )
    not_text = _whole_file_problem(
        _(
            "The file is not readable text. Save it as “CSV UTF-8” (or CSV in "
            "Windows-1251) and upload it again."
        )
    )
    if b"\x00" in data:  # UTF-16 ("Unicode text") or a binary file
        raise not_text
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1251")
        except UnicodeDecodeError:
            raise not_text from None
    first_line = text.split("\n", 1)[0].strip()
    if len(first_line) == 5 and first_line.lower().startswith("sep="):
        # Excel's hint line: Excel itself hides it, so the header stays line 1.
        delimiter = first_line[4]
        text = text.split("\n", 1)[1] if "\n" in text else ""
    else:
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for record in reader:
            yield [_cell_text(cell) for cell in record]
    except csv.Error:
        raise RosterError(
            [
                RosterProblem(
                    line=reader.line_num,
                    field=None,
                    message=_("The file could not be read as CSV here: check the quotes."),
                )
            ]
        ) from None


def _xlsx_lines(data: bytes) -> Iterator[list[str]]:
    """The cells of each row of the first worksheet of an .xlsx workbook."""
    unreadable = _whole_file_problem(
        _(
            "The file could not be read as an Excel workbook. Open it in Excel, save it "
            "as “Excel Workbook (.xlsx)” and upload it again."
        )
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise unreadable from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise _whole_file_problem(
            _("The workbook is too large once unpacked. Keep only the list of learners in it.")
        )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - a damaged file fails in many ways
        logger.info("Unreadable roster workbook: %r", error)
        raise unreadable from None
    try:
        if not workbook.worksheets:
            raise unreadable
        sheet = workbook.worksheets[0]
        # Some programs write a wrong sheet size; read what is really there.
        sheet.reset_dimensions()
        for values in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in values]
    except RosterError:
        raise
    except Exception as error:  # noqa: BLE001 - a damaged file fails in many ways
        logger.info("Unreadable roster workbook: %r", error)
        raise unreadable from None
    finally:
        workbook.close()


READERS: dict[str, Callable[[bytes], Iterator[list[str]]]] = {
    ".csv": _csv_lines,
    ".xlsx": _xlsx_lines,
}


# ---------------------------------------------------------------------------------
# The header


def _heading(text: str) -> str:
    """A column heading compared loosely: case, spacing, "_", "ё" and a trailing ":" or "*"."""
    text = text.replace("_", " ").replace("ё", "е").replace("Ё", "Е")
    for dash in "‐‑–—":
        text = text.replace(dash, "-")
    return " ".join(text.split()).casefold().rstrip(":*").strip()


HEADINGS = {_heading(alias): column for column, aliases in COLUMNS.items() for alias in aliases}


def _read_header(cells: list[str]) -> dict[str, int]:
    """{column: index} from the header row, or RosterError naming what is wrong."""
    found: dict[str, int] = {}
    problems = []
    for index, cell in enumerate(cells):
        if not cell:
            continue  # an unnamed column: rows must leave it blank (see _read_row)
        column = HEADINGS.get(_heading(cell))
        if column is None:
            problems.append(
                RosterProblem(
                    line=1,
                    field=None,
                    message=_(
                        "Unknown column “%(name)s”. Rename it to one of the expected "
                        "columns or remove it."
                    )
                    % {"name": cell},
                )
            )
        elif column in found:
            problems.append(
                RosterProblem(
                    line=1,
                    field=column,
                    message=_("The column “%(name)s” appears twice.") % {"name": cell},
                )
            )
        else:
            found[column] = index
    missing = [column for column in REQUIRED_COLUMNS if column not in found]
    if missing:
        problems.insert(
            0,
            RosterProblem(
                line=1,
                field=None,
                message=_(
                    "The first row must name the columns. Missing: %(columns)s "
                    "(optional: rural district, position, phone)."
                )
                % {"columns": "; ".join(COLUMN_HINTS[column] for column in missing)},
            ),
        )
    if problems:
        raise RosterError(problems)
    return found


# ---------------------------------------------------------------------------------
# Regions and positions


def _region_key(text: str) -> str:
    text = text.casefold().replace("ё", "е").replace(".", " ")
    return " ".join(text.split())


def _region_short(key: str) -> str:
    return " ".join(word for word in key.split() if word not in REGION_WORDS)


class _RegionIndex:
    """Regions by code or by name in any language, in full or short."""

    def __init__(self, regions: Iterable[Region]):
        self.exact: dict[str, dict[int, Region]] = defaultdict(dict)
        self.short: dict[str, dict[int, Region]] = defaultdict(dict)
        for region in regions:
            for name in (region.code, region.name_kk, region.name_ru, region.name_en):
                key = _region_key(name)
                self.exact[key][region.pk] = region
                self.short[_region_short(key)][region.pk] = region

    def find(self, value: str) -> list[Region]:
        """The regions ``value`` may mean: one when it is clear."""
        key = _region_key(value)
        if key in self.exact:
            # A full name wins over short ones: "Almaty" is the city, not "Almaty Region".
            return list(self.exact[key].values())
        short = _region_short(key)
        return list(self.short.get(short, {}).values()) if short else []


POSITION_VALUES = {
    _heading(label): position for position, labels in POSITIONS.items() for label in labels
}


# ---------------------------------------------------------------------------------
# Rows


def _read_row(
    line: int,
    cells: list[str],
    columns: dict[str, int],
    unnamed: set[int],
    regions: _RegionIndex,
    email_lines: dict[str, int],
) -> tuple[RosterRow | None, list[RosterProblem]]:
    problems: list[RosterProblem] = []

    def problem(column: str | None, message: str) -> None:
        problems.append(RosterProblem(line=line, field=column, message=message))

    def cell(column: str) -> str:
        index = columns.get(column)
        return cells[index] if index is not None and index < len(cells) else ""

    stray = [value for index, value in enumerate(cells) if value and index in unnamed]
    if stray:
        problem(
            None,
            _("“%(value)s” is in a column without a heading: name the column or remove it.")
            % {"value": stray[0]},
        )

    full_name = " ".join(cell("full_name").split())
    if not full_name:
        problem("full_name", _("The full name is missing."))
    elif len(full_name) > MAX_FULL_NAME:
        problem(
            "full_name",
            _("The full name is longer than %(max)d characters.") % {"max": MAX_FULL_NAME},
        )

    email = cell("email").lower()
    if not email:
        problem("email", _("The e-mail address is missing."))
    else:
        try:
            if len(email) > MAX_EMAIL:
                raise ValidationError("too long")
            validate_email(email)
        except ValidationError:
            problem("email", _("“%(value)s” is not a valid e-mail address.") % {"value": email})
        else:
            if email in email_lines:
                problem(
                    "email",
                    _("The e-mail address %(email)s is already on line %(line)d.")
                    % {"email": email, "line": email_lines[email]},
                )
            else:
                email_lines[email] = line

    region_value = cell("region")
    region = None
    if not region_value:
        problem("region", _("The region is missing."))
    else:
        matches = regions.find(region_value)
        if len(matches) == 1:
            region = matches[0]
        elif matches:
            problem(
                "region",
                _("“%(value)s” could mean more than one region (%(names)s): write it in full.")
                % {
                    "value": region_value,
                    "names": ", ".join(f"“{match.name}”" for match in matches),
                },
            )
        else:
            problem(
                "region",
                _(
                    "Unknown region “%(value)s”. Write its name (for example "
                    "“Акмолинская область”) or its code (for example “akmola”)."
                )
                % {"value": region_value},
            )

    rural_district = " ".join(cell("rural_district").split())
    if len(rural_district) > MAX_RURAL_DISTRICT:
        problem(
            "rural_district",
            _("The rural district is longer than %(max)d characters.")
            % {"max": MAX_RURAL_DISTRICT},
        )

    position_value = cell("position")
    position = LearnerProfile.Position.AKIM.value
    if position_value:
        found = POSITION_VALUES.get(_heading(position_value))
        if found is None:
            problem(
                "position",
                _(
                    "Unknown position “%(value)s”. Write akim, deputy or staff "
                    "(аким, заместитель акима, сотрудник аппарата)."
                )
                % {"value": position_value},
            )
        else:
            position = str(found)

    phone = " ".join(cell("phone").split())
    if phone:
        try:
            LearnerProfile._meta.get_field("phone").run_validators(phone)
        except ValidationError as error:
            for message in error.messages:
                problem("phone", f"“{phone}”: {message}")

    if problems or region is None:
        return None, problems
    return (
        RosterRow(
            line=line,
            full_name=full_name,
            email=email,
            region=region,
            rural_district=rural_district,
            position=position,
            phone=phone,
        ),
        [],
    )


def roster_parse(*, file_name: str, data: bytes) -> list[RosterRow]:
    """Read and check a list of learners; every row, or RosterError listing every problem.

    ``file_name`` is the uploaded name (its extension picks the format: .csv or .xlsx);
    ``data`` its content. The first row names the columns (in English, Russian or
    Kazakh); full name, e-mail and region are required, rural district, position and
    phone optional. Blank rows are skipped. Line numbers are as a spreadsheet shows
    them: the header is line 1. Reads regions from the database, writes nothing.
    """
    extension = PurePath(file_name).suffix.lower()
    reader = READERS.get(extension)
    if reader is None:
        raise _whole_file_problem(
            _("Unsupported file type “%(extension)s”: upload a .csv or .xlsx file.")
            % {"extension": extension or file_name}
        )
    if len(data) > MAX_FILE_BYTES:
        raise _whole_file_problem(
            _("The file is larger than %(size)d MB: split the list into smaller files.")
            % {"size": MAX_FILE_BYTES // (1024 * 1024)}
        )
    if not data.strip():
        raise _whole_file_problem(_("The file is empty."))

    lines = reader(data)
    header = next(lines, None)
    if header is None or not any(header):
        if header is not None and any(any(cells) for cells in lines):
            raise _whole_file_problem(_("The first row must hold the column names; it is blank."))
        raise _whole_file_problem(_("The file is empty."))
    columns = _read_header(header)
    unnamed = {index for index, cell in enumerate(header) if not cell}

    regions = _RegionIndex(Region.objects.all())
    rows: list[RosterRow] = []
    problems: list[RosterProblem] = []
    email_lines: dict[str, int] = {}
    learners = 0
    for line, cells in enumerate(lines, start=2):
        if not any(cells):
            continue
        learners += 1
        if learners > MAX_ROWS:
            raise _whole_file_problem(
                _("The file has more than %(max)s learners: split it into smaller files.")
                % {"max": f"{MAX_ROWS:,}"}
            )
        # Cells beyond the header's last column have no heading either.
        extra = set(range(len(header), len(cells)))
        row, row_problems = _read_row(line, cells, columns, unnamed | extra, regions, email_lines)
        problems.extend(row_problems)
        if row is not None:
            rows.append(row)
    if not learners:
        raise _whole_file_problem(_("The file has no learners under the header row."))
    if problems:
        raise RosterError(problems)
    return rows


# ---------------------------------------------------------------------------------
# Importing


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def _fill_profile(profile: LearnerProfile, row: RosterRow) -> list[str]:
    """Copy the row onto the profile; the names of the fields that changed.

    Blank rural district and phone cells leave what the profile holds.
    """
    changed = []
    if profile.region_id != row.region.pk:
        profile.region = row.region
        changed.append("region")
    if row.rural_district and profile.rural_district != row.rural_district:
        profile.rural_district = row.rural_district
        changed.append("rural_district")
    if profile.position != row.position:
        profile.position = row.position
        changed.append("position")
    if row.phone and profile.phone != row.phone:
        profile.phone = row.phone
        changed.append("phone")
    return changed


def _account_create(row: RosterRow) -> User:
    user = User(email=row.email, full_name=row.full_name)
    user.set_unusable_password()
    # Uniqueness was settled by the look-up in _apply (and the database enforces it).
    user.full_clean(validate_unique=False, validate_constraints=False)
    user.save()
    profile = LearnerProfile(user=user)
    _fill_profile(profile, row)
    profile.full_clean(validate_unique=False)
    profile.save()
    return user


def _account_update(user: User, row: RosterRow) -> bool:
    """Bring an existing account in line with the row; True if anything changed."""
    changed = False
    if user.full_name != row.full_name:
        user.full_name = row.full_name
        user.full_clean(validate_unique=False, validate_constraints=False)
        user.save(update_fields=["full_name"])
        changed = True
    profile = getattr(user, "learner_profile", None)  # None: staff with no profile yet
    is_new = profile is None
    if profile is None:
        profile = LearnerProfile(user=user)
    fields = _fill_profile(profile, row)
    if is_new or fields:
        profile.full_clean(validate_unique=False)
        profile.save(update_fields=None if is_new else fields)
        user.learner_profile = profile
        changed = True
    return changed


def _apply(
    *, cohort: Cohort, rows: Sequence[RosterRow], result: RosterResult, actor: str
) -> list[User]:
    """Write the rows (enrolments only when not a dry run); the accounts created."""
    existing = {
        user.email.lower(): user
        for user in User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=[row.email for row in rows])
        .select_related("learner_profile")
    }
    in_cohort = set(
        Enrolment.objects.filter(
            cohort=cohort,
            course_key=cohort.course.translation_key,
            learner__in=[user.pk for user in existing.values()],
        )
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .values_list("learner_id", flat=True)
    )
    created: list[User] = []
    for row in rows:
        user = existing.get(row.email)
        if user is None:
            user = _account_create(row)
            created.append(user)
            result.created += 1
            result.actions.append(RosterAction(row.line, row.email, CREATE_ACCOUNT))
        elif _account_update(user, row):
            result.updated += 1
            result.actions.append(RosterAction(row.line, row.email, UPDATE_ACCOUNT))
        if user.pk in in_cohort:
            result.already_enrolled += 1
            result.actions.append(RosterAction(row.line, row.email, ALREADY_ENROLLED))
            continue
        if not result.dry_run:
            # Not in a dry run: enrolment_create writes an audit line, which a rollback
            # would not take back. What it would do is known from ``in_cohort``.
            enrolment_create(learner=user, cohort=cohort, actor=actor)
        result.enrolled += 1
        result.actions.append(RosterAction(row.line, row.email, ENROL))
    return created


def roster_import(
    *, cohort: Cohort, rows: Sequence[RosterRow], dry_run: bool, actor: str
) -> RosterResult:
    """Create or update the rows' accounts and profiles and enrol them in ``cohort``.

    All or nothing, in one transaction. Accounts are matched by e-mail without regard
    to case; new ones get an unusable password and, once the transaction commits, an
    invitation to choose one (``send_invitations``). Learners already in another cohort
    of the course move to this one; withdrawn learners come back (see
    ``enrolment_create``). With ``dry_run`` the same result is worked out and
    everything is rolled back: no account, enrolment, audit line or e-mail.
    ``actor`` (the trainer's e-mail) goes to the audit log.
    """
    result = RosterResult(dry_run=dry_run)
    try:
        with transaction.atomic():
            created = _apply(cohort=cohort, rows=rows, result=result, actor=actor)
            if dry_run:
                raise _DryRun
            if created:
                # After commit, so a rolled-back import sends nothing; a mail server
                # failure is logged and does not undo the import.
                transaction.on_commit(
                    partial(send_invitations, users=created, cohort=cohort), robust=True
                )
    except _DryRun:
        return result
    log_event(
        "roster_import",
        actor=actor,
        cohort=cohort.pk,
        created=result.created,
        updated=result.updated,
        enrolled=result.enrolled,
        already_enrolled=result.already_enrolled,
    )
    return result


# ---------------------------------------------------------------------------------
# Invitations


def invitation_link(*, user: User) -> str:
    """An absolute link (on SITE_URL) for ``user`` to choose a password (valid
    PASSWORD_RESET_TIMEOUT)."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return absolute_url(path)


def send_invitations(*, users: Iterable[User], cohort: Cohort) -> int:
    """E-mail each user a link to choose a password and start the cohort's course.

    Each message is in the user's preferred language, with the course title in that
    language when the course has a live translation; the link is on ``SITE_URL``.
    Returns how many were sent.
    Usable to send an invitation again: each link is new, and an earlier one stops
    working once the password is set.
    """
    valid_days = max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60))
    messages = []
    for user in users:
        with translation.override(user.preferred_language):
            context = {
                "user": user,
                "full_name": user.full_name,
                "email": user.email,
                "cohort_name": cohort.name,
                "course_title": cohort.course.localized.title,
                "link": invitation_link(user=user),
                "valid_days": valid_days,
            }
            subject = render_to_string(INVITATION_SUBJECT_TEMPLATE, context)
            body = render_to_string(INVITATION_BODY_TEMPLATE, context)
        messages.append(EmailMessage(subject=" ".join(subject.split()), body=body, to=[user.email]))
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0
