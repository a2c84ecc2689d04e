"""An append-only, hash-chained ledger: the tamper-evident history of what matters most.

A *chain* ("certificates", "quiz-submissions") is a numbered run of entries. Each entry
says what happened (``action``) to what (``subject``, such as ``certificate:<number>``),
who did it and when, with a JSON ``payload``; and it carries the hash of the entry
before it, so changing or removing any entry breaks every link after it. A payload
may hold ``state``: the subject's state after the action, which ``verify_history``
compares with the live record (the chains' owners register how to read it).

The hashing functions are pure: migrations import them to record what existed before
the ledger. Appends happen inside the caller's transaction and lock the chain's head
row until it ends, so call :func:`ledger_append` as late in the transaction as you can.
On PostgreSQL a trigger refuses UPDATE and DELETE of entries (migration
``lms.0004_ledger``); the models refuse them on every database.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from lms.models import LedgerEntry, LedgerHead

GENESIS_HASH = "0" * 64  # what the first entry of a chain links to


# Hashing (pure) ----------------------------------------------------------------------


def jsonable(value):
    """``value`` as plain JSON values, the same whichever database stored it: decimals
    as strings, times as UTC ISO 8601 with microseconds, dates as ISO dates, UUIDs as
    strings, mapping keys as strings. Floats are refused: their text is not stable."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        if timezone.is_naive(value):
            raise ValueError("Ledger times must be aware")
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    raise TypeError(f"{type(value).__name__} has no stable form in the ledger")


def canonical_json(value) -> bytes:
    """The one byte string a value hashes as: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        jsonable(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


def digest(value) -> str:
    """Hex SHA-256 of a value's canonical JSON (a record's state, an answer)."""
    return hashlib.sha256(canonical_json(value)).hexdigest()


def entry_hash(
    *,
    chain: str,
    sequence: int,
    subject: str,
    action: str,
    payload: dict,
    actor: str,
    recorded_at: datetime,
    previous_hash: str,
) -> str:
    """The hash of one entry: every field of it, the previous entry's hash included."""
    return digest(
        {
            "chain": chain,
            "sequence": sequence,
            "subject": subject,
            "action": action,
            "payload": payload,
            "actor": actor,
            "recorded_at": recorded_at,
            "previous_hash": previous_hash,
        }
    )


def build_entry(
    *,
    chain: str,
    sequence: int,
    previous_hash: str,
    subject: str,
    action: str,
    payload: dict,
    actor: str,
    recorded_at: datetime,
) -> dict:
    """The fields of the next entry of a chain, its hash included (no database)."""
    fields = {
        "chain": chain,
        "sequence": sequence,
        "subject": subject,
        "action": action,
        "payload": jsonable(payload),
        "actor": actor,
        "recorded_at": recorded_at,
        "previous_hash": previous_hash,
    }
    return {**fields, "entry_hash": entry_hash(**fields)}


def actor_label(actor) -> str:
    """Who acted, as the ledger records it: a person's e-mail, or a label such as
    "system"."""
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    return getattr(actor, "email", "") or str(actor)


# Appending ---------------------------------------------------------------------------


def ledger_append(
    *,
    chain: str,
    subject: str,
    action: str,
    actor: str,
    payload: dict | None = None,
) -> LedgerEntry:
    """Append one entry to ``chain``, inside the caller's transaction.

    Three queries (a few more for a chain's very first entry): lock the head, insert
    the entry, move the head. The head stays locked until the caller's transaction ends,
    so concurrent appends to one chain queue up and no sequence number is skipped or
    used twice.
    """
    with transaction.atomic(savepoint=False):
        head, _created = LedgerHead.objects.select_for_update().get_or_create(
            chain=chain, defaults={"last_sequence": 0, "last_hash": GENESIS_HASH}
        )
        entry = LedgerEntry(
            **build_entry(
                chain=chain,
                sequence=head.last_sequence + 1,
                previous_hash=head.last_hash,
                subject=subject,
                action=action,
                payload=payload or {},
                actor=actor,
                recorded_at=timezone.now(),
            )
        )
        entry.save()
        LedgerHead.objects.filter(chain=chain).update(
            last_sequence=entry.sequence, last_hash=entry.entry_hash
        )
    return entry


def ledger_append_many(
    *,
    chain: str,
    entries: Iterable[tuple[str, str, dict]],
    actor: str,
    entry_model=LedgerEntry,
    head_model=LedgerHead,
    batch_size: int = 500,
) -> int:
    """Append many (subject, action, payload) entries at once, in batches; returns how
    many. Data migrations pass their historical models."""
    entries = iter(entries)
    first = next(entries, None)
    if first is None:
        return 0  # no head is made for a chain with nothing in it
    appended = 0
    with transaction.atomic():
        head, _created = head_model.objects.select_for_update().get_or_create(
            chain=chain, defaults={"last_sequence": 0, "last_hash": GENESIS_HASH}
        )
        sequence, previous = head.last_sequence, head.last_hash
        batch = []
        for subject, action, payload in itertools.chain([first], entries):
            sequence += 1
            fields = build_entry(
                chain=chain,
                sequence=sequence,
                previous_hash=previous,
                subject=subject,
                action=action,
                payload=payload,
                actor=actor,
                recorded_at=timezone.now(),
            )
            previous = fields["entry_hash"]
            batch.append(entry_model(**fields))
            if len(batch) >= batch_size:
                entry_model.objects.bulk_create(batch)
                appended += len(batch)
                batch = []
        if batch:
            entry_model.objects.bulk_create(batch)
            appended += len(batch)
        head_model.objects.filter(chain=chain).update(last_sequence=sequence, last_hash=previous)
    return appended


# What the chains' owners register ------------------------------------------------------

# chain -> a function yielding (subject, state) for every live record the chain follows
CurrentStates = Callable[[], Iterable[tuple[str, dict]]]
_current_states: dict[str, CurrentStates] = {}


def register_current_states(chain: str, current_states: CurrentStates) -> None:
    """Let ``verify_history`` compare the live records of ``chain`` with their latest
    entries. Domain apps call this from ``AppConfig.ready()``: the ledger imports none
    of them."""
    _current_states[chain] = current_states


# Verifying -------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    chain: str
    sequence: int | None
    subject: str
    what: str

    def __str__(self) -> str:
        where = f"entry {self.sequence}" if self.sequence is not None else "no entry"
        subject = f" ({self.subject})" if self.subject else ""
        return f"{self.chain}, {where}{subject}: {self.what}"


@dataclass
class ChainReport:
    chain: str
    entries: int = 0
    last_sequence: int = 0
    last_hash: str = GENESIS_HASH
    records: int = 0  # live records compared with their latest entry
    broken: Problem | None = None  # the first broken link, if any
    mismatches: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.broken is None and not self.mismatches


def _link_problem(entry: LedgerEntry, expected: int, previous: str) -> Problem | None:
    """What is wrong with this link of the chain, if anything."""
    if entry.sequence != expected:
        return Problem(
            entry.chain,
            expected,
            "",
            f"the entry is missing (the chain goes on at entry {entry.sequence})",
        )
    if entry.previous_hash != previous:
        what = f"it does not link to entry {expected - 1}: that entry, or this link, was changed"
    elif entry_hash(**_hashed_fields(entry)) != entry.entry_hash:
        what = "its contents no longer match its hash: it was changed after it was written"
    else:
        return None
    return Problem(entry.chain, entry.sequence, entry.subject, what)


def _walk(chain: str, report: ChainReport) -> dict[str, tuple[int, str | None]]:
    """Check every link of the chain, in order, and its head; return each subject's
    latest recorded state as (sequence, digest of the state, or None when the record
    was removed)."""
    latest: dict[str, tuple[int, str | None]] = {}
    expected, previous = 1, GENESIS_HASH
    entries = LedgerEntry.objects.filter(chain=chain).order_by("sequence")
    for entry in entries.iterator(chunk_size=2000):
        report.entries += 1
        if report.broken is None:
            report.broken = _link_problem(entry, expected, previous)
        expected, previous = entry.sequence + 1, entry.entry_hash
        if isinstance(entry.payload, dict) and "state" in entry.payload:
            state = entry.payload["state"]
            latest[entry.subject] = (entry.sequence, None if state is None else digest(state))
    report.last_sequence, report.last_hash = expected - 1, previous
    if report.broken is None:
        head = LedgerHead.objects.filter(chain=chain).first()
        if head is None and report.entries:
            report.broken = Problem(chain, None, "", "the chain has no head")
        elif head and (head.last_sequence, head.last_hash) != (expected - 1, previous):
            report.broken = Problem(
                chain,
                head.last_sequence,
                "",
                f"the chain ends at entry {expected - 1} but its head records entry "
                f"{head.last_sequence}: entries at its end were removed or changed",
            )
    return latest


def _hashed_fields(entry: LedgerEntry) -> dict:
    return {
        "chain": entry.chain,
        "sequence": entry.sequence,
        "subject": entry.subject,
        "action": entry.action,
        "payload": entry.payload,
        "actor": entry.actor,
        "recorded_at": entry.recorded_at,
        "previous_hash": entry.previous_hash,
    }


def _differences(recorded, current, prefix: str = "") -> list[str]:
    """The dotted paths at which two states differ."""
    if not (isinstance(recorded, dict) and isinstance(current, dict)):
        return [prefix.rstrip(".") or "state"] if recorded != current else []
    paths = []
    for key in sorted(set(recorded) | set(current)):
        paths += _differences(recorded.get(key), current.get(key), f"{prefix}{key}.")
    return paths


def _compare(chain: str, latest: dict[str, tuple[int, str | None]], report: ChainReport) -> None:
    """Each live record against its latest entry; then the records that are gone."""
    seen = set()
    for subject, state in _current_states[chain]():
        seen.add(subject)
        report.records += 1
        sequence, recorded = latest.get(subject, (None, None))
        if recorded is None:
            what = (
                "the record has no entry in the history"
                if sequence is None
                else "the history says the record was removed, but it is there"
            )
            report.mismatches.append(Problem(chain, sequence, subject, what))
            continue
        if digest(state) == recorded:
            continue
        entry = LedgerEntry.objects.get(chain=chain, sequence=sequence)
        changed = _differences(entry.payload["state"], jsonable(state))
        report.mismatches.append(
            Problem(
                chain,
                sequence,
                subject,
                "the record no longer matches this entry: " + ", ".join(changed[:10]),
            )
        )
    for subject, (sequence, recorded) in latest.items():
        if subject not in seen and recorded is not None:
            report.mismatches.append(
                Problem(chain, sequence, subject, "the record in this entry is gone")
            )
    report.mismatches.sort(key=lambda problem: (problem.sequence or 0, problem.subject))


def _check_anchors(chain: str, anchors: dict[int, str], report: ChainReport) -> None:
    """Entries whose hash was kept elsewhere earlier (``verify_history`` prints the last
    one of each chain) must still have it: a chain rewritten from start to end, links
    and all, differs from every hash kept before the rewrite."""
    entries = LedgerEntry.objects.filter(chain=chain, sequence__in=anchors).order_by("sequence")
    found = {entry.sequence: entry for entry in entries}
    for sequence, kept in sorted(anchors.items()):
        entry = found.get(sequence)
        if entry is None:
            problem = Problem(chain, sequence, "", "the entry is missing")
        elif entry.entry_hash != kept:
            problem = Problem(
                chain,
                sequence,
                entry.subject,
                "its hash is not the one kept earlier: this entry or one before it was rewritten",
            )
        else:
            continue
        report.broken = report.broken or problem
        return


def verify_history(
    *, chains: Iterable[str] | None = None, anchors: Iterable[tuple[str, int, str]] = ()
) -> list[ChainReport]:
    """Walk each chain (all of them by default): every sequence number present, every
    link and hash intact, the head at the last entry, the hashes kept earlier
    (``anchors``: chain, sequence, hash) still there; and every live record the chain
    follows equal to its latest entry."""
    kept: dict[str, dict[int, str]] = {}
    for chain, sequence, hash_ in anchors:
        kept.setdefault(chain, {})[sequence] = hash_
    if chains is None:
        known = set(_current_states) | set(kept)
        known |= set(LedgerHead.objects.values_list("chain", flat=True))
        known |= set(LedgerEntry.objects.order_by().values_list("chain", flat=True).distinct())
        chains = sorted(known)
    reports = []
    for chain in chains:
        report = ChainReport(chain)
        latest = _walk(chain, report)
        if chain in kept:
            _check_anchors(chain, kept[chain], report)
        if chain in _current_states:
            _compare(chain, latest, report)
        reports.append(report)
    return reports


def problems(reports: Iterable[ChainReport]) -> Iterator[Problem]:
    for report in reports:
        if report.broken:
            yield report.broken
        yield from report.mismatches
