"""The ledger: entries chained by hash, append-only in the ORM and (on PostgreSQL) in the
database itself, gapless under concurrent appends; and verify_history, which names the
first broken link of a chain and every record that no longer matches its latest entry."""

import io
import json
import threading
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from lms import ledger
from lms.ledger import GENESIS_HASH, ledger_append, verify_history
from lms.models import AppendOnlyError, LedgerEntry, LedgerHead

CHAIN = "village-registry"


def _append(subject="village:1", action="register", payload=None, chain=CHAIN):
    return ledger_append(
        chain=chain,
        subject=subject,
        action=action,
        actor="registrar@example.com",
        payload=payload if payload is not None else {"name": "Жалтыр"},
    )


def tamper(sql: str, params=()) -> None:
    """Change the ledger's table directly, as someone with access to the database would.
    On PostgreSQL the trigger stops the application; the table's owner can switch it
    off (which is why the application must not run as the owner): the chain must still
    show the change."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE lms_ledgerentry DISABLE TRIGGER lms_ledgerentry_append_only"
            )
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE lms_ledgerentry ENABLE TRIGGER lms_ledgerentry_append_only")


SET_PAYLOAD = {
    "postgresql": "UPDATE lms_ledgerentry SET payload = CAST(%s AS jsonb), entry_hash = %s, "
    "previous_hash = %s WHERE id = %s",
    "sqlite": "UPDATE lms_ledgerentry SET payload = %s, entry_hash = %s, previous_hash = %s "
    "WHERE id = %s",
}


def tamper_payload(entry, payload: dict, entry_hash=None, previous_hash=None) -> None:
    """Rewrite an entry's payload (and, if given, its hashes) in the table."""
    tamper(
        SET_PAYLOAD[connection.vendor],
        [
            json.dumps(payload),
            entry_hash or entry.entry_hash,
            previous_hash or entry.previous_hash,
            entry.pk,
        ],
    )


def _report(chain=CHAIN):
    return verify_history(chains=[chain])[0]


# Chaining ------------------------------------------------------------------------------


def test_entries_link_each_to_the_one_before(db):
    first = _append()
    second = _append(subject="village:2", payload={"name": "Есиль"})
    third = _append(action="rename", payload={"name": "Жалтыр ауылы"})
    assert [e.sequence for e in (first, second, third)] == [1, 2, 3]
    assert first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.entry_hash
    assert third.previous_hash == second.entry_hash
    stored = LedgerEntry.objects.get(pk=second.pk)
    assert stored.entry_hash == ledger.entry_hash(**ledger._hashed_fields(stored))
    head = LedgerHead.objects.get(chain=CHAIN)
    assert (head.last_sequence, head.last_hash) == (3, third.entry_hash)


def test_chains_are_numbered_apart(db):
    _append()
    other = _append(chain="other-chain")
    assert other.sequence == 1 and other.previous_hash == GENESIS_HASH


def test_many_entries_at_once_continue_the_chain(db):
    first = _append()
    count = ledger.ledger_append_many(
        chain=CHAIN,
        entries=[(f"village:{n}", "register", {"n": n}) for n in range(2, 5)],
        actor="migration",
        batch_size=2,
    )
    assert count == 3
    entries = list(LedgerEntry.objects.filter(chain=CHAIN).order_by("sequence"))
    assert [e.sequence for e in entries] == [1, 2, 3, 4]
    assert entries[1].previous_hash == first.entry_hash
    assert _report().ok
    assert ledger.ledger_append_many(chain="empty", entries=[], actor="migration") == 0
    assert not LedgerHead.objects.filter(chain="empty").exists()


@pytest.mark.parametrize(
    "change",
    [
        {"chain": "x"},
        {"sequence": 2},
        {"subject": "village:9"},
        {"action": "delete"},
        {"payload": {"name": "Есиль"}},
        {"actor": "system"},
        {"recorded_at": datetime(2024, 1, 1, 10, 0, 0, 1, tzinfo=UTC)},
        {"previous_hash": "1" * 64},
    ],
)
def test_the_hash_covers_every_field(change):
    fields = {
        "chain": CHAIN,
        "sequence": 1,
        "subject": "village:1",
        "action": "register",
        "payload": {"name": "Жалтыр"},
        "actor": "registrar@example.com",
        "recorded_at": datetime(2024, 1, 1, 10, 0, 0, tzinfo=UTC),
        "previous_hash": GENESIS_HASH,
    }
    assert ledger.entry_hash(**fields) != ledger.entry_hash(**{**fields, **change})


def test_values_hash_the_same_however_they_were_written():
    almaty = timezone(timedelta(hours=5))
    moment = datetime(2021, 10, 22, 15, 0, tzinfo=almaty)
    assert ledger.digest({"b": 1, "a": moment}) == ledger.digest(
        {"a": moment.astimezone(UTC), "b": 1}
    )
    assert ledger.jsonable({1: Decimal("85.50")}) == {"1": "85.50"}
    assert ledger.canonical_json({"b": "ә", "a": [1, None]}) == '{"a":[1,null],"b":"ә"}'.encode()
    with pytest.raises(TypeError):
        ledger.digest({"grade": 85.5})  # a float's text is not stable
    with pytest.raises(ValueError):
        ledger.digest({"at": datetime(2021, 10, 22, 15, 0)})  # naive


# Append-only ---------------------------------------------------------------------------


def test_the_orm_refuses_to_change_or_delete_entries(db):
    entry = _append()
    entry.payload = {"name": "Есиль"}
    attempts = [
        entry.save,
        entry.delete,
        lambda: LedgerEntry.objects.filter(pk=entry.pk).update(actor="system"),
        lambda: LedgerEntry.objects.filter(pk=entry.pk).delete(),
        lambda: LedgerEntry.objects.bulk_update([entry], ["payload"]),
        lambda: LedgerEntry.objects.bulk_create(
            [entry], update_conflicts=True, unique_fields=["id"], update_fields=["payload"]
        ),
    ]
    for attempt in attempts:
        with pytest.raises(AppendOnlyError), transaction.atomic():
            attempt()
    assert not hasattr(LedgerEntry.objects, "delete")
    assert LedgerEntry.objects.get(pk=entry.pk).payload == {"name": "Жалтыр"}


def test_the_database_refuses_update_and_delete_from_the_application(postgres):
    entry = _append()
    for sql in (
        "UPDATE lms_ledgerentry SET actor = 'system' WHERE id = %s",
        "UPDATE lms_ledgerentry SET payload = '{}'::jsonb, entry_hash = '' WHERE id = %s",
        "DELETE FROM lms_ledgerentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [entry.pk])
    stored = LedgerEntry.objects.get(pk=entry.pk)
    assert (stored.actor, stored.entry_hash) == (entry.actor, entry.entry_hash)
    # Appending is still allowed.
    assert _append().sequence == 2


def test_appending_costs_three_queries(db, django_assert_num_queries):
    _append()  # the chain's head exists from here on
    with django_assert_num_queries(3):  # lock the head, insert the entry, move the head
        _append(subject="village:2")


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_make_one_gapless_chain(postgres):
    workers, each = 8, 10
    barrier = threading.Barrier(workers)
    errors = []

    def work(number):
        try:
            barrier.wait(timeout=10)
            for tick in range(each):
                with transaction.atomic():
                    _append(subject=f"worker:{number}", action="tick", payload={"tick": tick})
        except Exception as exc:  # noqa: BLE001 (collected and reported)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    sequences = list(
        LedgerEntry.objects.filter(chain=CHAIN)
        .order_by("sequence")
        .values_list("sequence", flat=True)
    )
    assert sequences == list(range(1, workers * each + 1))
    report = _report()
    assert report.ok and report.entries == workers * each


# Verifying the chain -----------------------------------------------------------------


@pytest.fixture
def five(db):
    return [_append(subject=f"village:{n}", payload={"name": f"ауыл {n}"}) for n in range(1, 6)]


def test_an_intact_chain_verifies(five):
    report = _report()
    assert report.ok
    assert (report.entries, report.last_sequence, report.last_hash) == (5, 5, five[-1].entry_hash)


def test_an_edited_payload_is_named(five):
    tamper_payload(five[2], {"name": "подделка"})
    broken = _report().broken
    assert (broken.chain, broken.sequence, broken.subject) == (CHAIN, 3, "village:3")
    assert "no longer match its hash" in broken.what


def test_an_entry_rewritten_with_a_fresh_hash_breaks_the_next_link(five):
    forged = ledger.build_entry(
        chain=CHAIN,
        sequence=2,
        previous_hash=five[0].entry_hash,
        subject="village:2",
        action="register",
        payload={"name": "подделка"},
        actor="registrar@example.com",
        recorded_at=five[1].recorded_at,
    )
    tamper_payload(five[1], forged["payload"], forged["entry_hash"])
    broken = _report().broken
    assert (broken.sequence, broken.subject) == (3, "village:3")
    assert "does not link to entry 2" in broken.what


def test_a_deleted_entry_is_named(five):
    tamper("DELETE FROM lms_ledgerentry WHERE id = %s", [five[1].pk])
    broken = _report().broken
    assert broken.sequence == 2 and "missing" in broken.what


def test_entries_removed_from_the_end_are_noticed(five):
    tamper("DELETE FROM lms_ledgerentry WHERE id IN (%s, %s)", [five[3].pk, five[4].pk])
    broken = _report().broken
    assert broken.sequence == 5 and "ends at entry 3" in broken.what


def test_a_chain_emptied_behind_its_head_is_noticed(five):
    tamper("DELETE FROM lms_ledgerentry WHERE chain = %s", [CHAIN])
    broken = _report().broken
    assert broken.sequence == 5 and "ends at entry 0" in broken.what


def test_the_command_says_ok_with_counts_and_the_last_entry(five):
    out = io.StringIO()
    call_command("verify_history", "--chain", CHAIN, stdout=out)
    last = f"{CHAIN}:5:{five[-1].entry_hash}"
    assert f"{CHAIN}: 5 entries, 0 records compared; last entry {last}" in out.getvalue()
    assert "OK: 1 chains, 5 entries" in out.getvalue()
    call_command("verify_history", "--expect", last, stdout=io.StringIO())  # still there


def test_a_chain_rewritten_link_by_link_differs_from_a_hash_kept_earlier(five):
    kept = f"{CHAIN}:4:{five[3].entry_hash}"
    previous = five[0].entry_hash
    for entry in five[1:]:  # forge entry 2, then rehash everything after it
        payload = {"name": "подделка"} if entry.sequence == 2 else entry.payload
        forged = ledger.build_entry(
            chain=CHAIN,
            sequence=entry.sequence,
            previous_hash=previous,
            subject=entry.subject,
            action=entry.action,
            payload=payload,
            actor=entry.actor,
            recorded_at=entry.recorded_at,
        )
        tamper_payload(entry, forged["payload"], forged["entry_hash"], previous)
        previous = forged["entry_hash"]
    LedgerHead.objects.filter(chain=CHAIN).update(last_hash=previous)
    assert _report().ok  # consistent in itself...
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_history", "--expect", kept, stdout=out)
    assert (
        f"BROKEN {CHAIN}, entry 4 (village:4): its hash is not the one kept earlier"
        in out.getvalue()
    )
    with pytest.raises(CommandError, match="CHAIN:SEQUENCE:HASH"):
        call_command("verify_history", "--expect", "certificates:4")


def test_the_command_names_the_first_broken_link_and_fails(five):
    tamper("DELETE FROM lms_ledgerentry WHERE id = %s", [five[3].pk])
    tamper_payload(five[1], {"name": "подделка"})
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_history", stdout=out)
    lines = [line for line in out.getvalue().splitlines() if line.startswith("BROKEN")]
    assert lines == [
        f"BROKEN {CHAIN}, entry 2 (village:2): its contents no longer match its hash: "
        "it was changed after it was written"
    ]


# Comparing live records with their latest entry ----------------------------------------


@pytest.fixture
def villages(monkeypatch, db):
    """A chain whose owner registered its live records (here: a dict)."""
    live = {"village:1": {"name": "Жалтыр", "people": 1200}}
    monkeypatch.setitem(ledger._current_states, CHAIN, lambda: list(live.items()))
    _append(subject="village:1", payload={"state": live["village:1"]})
    return live


def test_records_equal_to_their_latest_entry_verify(villages):
    villages["village:1"]["people"] = 1250
    _append(subject="village:1", action="census", payload={"state": villages["village:1"]})
    report = _report()
    assert report.ok and report.records == 1


def test_a_record_changed_behind_the_ledgers_back_is_named(villages):
    villages["village:1"]["people"] = 9999
    (problem,) = _report().mismatches
    assert (problem.sequence, problem.subject) == (1, "village:1")
    assert problem.what == "the record no longer matches this entry: people"


def test_records_without_entries_and_entries_without_records_are_named(villages):
    villages["village:2"] = {"name": "Есиль", "people": 800}
    _append(subject="village:3", payload={"state": {"name": "Ушедший"}})
    problems = {(p.subject, p.what) for p in _report().mismatches}
    assert problems == {
        ("village:2", "the record has no entry in the history"),
        ("village:3", "the record in this entry is gone"),
    }


def test_a_removal_recorded_in_the_history_is_not_a_problem(villages):
    del villages["village:1"]
    _append(subject="village:1", action="delete", payload={"state": None})
    assert _report().ok
