"""Reads written out in SQL, for the few where compiling the query is the cost.

A page that asks a handful of small questions (the dashboard: a learner's results,
certificates, sessions) spends many times more Python compiling each ORM query than
running it and reading its few rows, or none. Those statements are written once per
process from the models' own table and column names, quoted by the connection; the
values sent go through their fields as the ORM sends them, and what comes back goes
through the fields' converters as the ORM's would, so the same SQL and the same values
hold on PostgreSQL and SQLite. The ORM stays the rule: this is for a page's hot reads.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Field, Model


def table(model: type[Model]) -> str:
    """The model's table, quoted."""
    return connection.ops.quote_name(model._meta.db_table)


def field_names(model: type[Model]) -> tuple[str, ...]:
    """Every field the model has a column for, in the model's order."""
    return tuple(field.name for field in model._meta.concrete_fields)


def column(model: type[Model], name: str, alias: str = "") -> str:
    """The column of the model's field ``name`` (``quiz`` for ``quiz_id``), quoted, after
    the table's ``alias`` if given."""
    quoted = connection.ops.quote_name(model._meta.get_field(name).column)
    return f"{alias}.{quoted}" if alias else quoted


def columns(model: type[Model], names: Iterable[str], alias: str = "") -> str:
    return ", ".join(column(model, name, alias) for name in names)


def param(model: type[Model], name: str, value: Any) -> Any:
    """``value`` as the database takes it for the field ``name`` (a date in UTC text on
    SQLite, say)."""
    return model._meta.get_field(name).get_db_prep_value(value, connection)


def fetch(sql: str, params: Sequence[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def converted_rows(fields: Sequence[Field | None], rows: Iterable[Sequence]) -> list[list]:
    """``rows`` with each value converted by the field of its column (``fields``, from
    the first column; None, or no field at all, for one read as it is), as the ORM
    converts what it reads: aware datetimes, UUIDs, booleans and decimals on SQLite,
    JSON everywhere."""
    rows = list(rows)
    if not rows:  # most of these reads find nothing: no converter to look up
        return []
    return _convert(_steps(tuple(fields), connection.vendor), rows)


@functools.cache
def _steps(fields: tuple[Field | None, ...], vendor: str) -> tuple:
    """Which columns need converting, and by what: worked out once per process."""
    steps = []
    for index, field in enumerate(fields):
        if field is None:
            continue
        col = field.get_col(field.model._meta.db_table)
        found = (*connection.ops.get_db_converters(col), *field.get_db_converters(connection))
        if found:
            steps.append((index, col, found))
    return tuple(steps)


def _convert(steps: tuple, rows: list) -> list[list]:
    converted = []
    for row in rows:
        row = list(row)
        for index, col, found in steps:
            value = row[index]
            for converter in found:
                value = converter(value, col, connection)
            row[index] = value
        converted.append(row)
    return converted


@functools.cache
def _instance_plan(model: type[Model], names: tuple[str, ...], vendor: str) -> tuple:
    """The conversion steps, the attribute names in the model's order and where each
    comes from in a row of ``names``: worked out once per process."""
    fields = [model._meta.get_field(name) for name in names]
    # ``from_db`` takes the values in the order of the model's fields
    place = {field.attname: index for index, field in enumerate(fields)}
    attnames = [f.attname for f in model._meta.concrete_fields if f.attname in place]
    return _steps(tuple(fields), vendor), attnames, [place[name] for name in attnames]


def instances(model: type[Model], names: Sequence[str], rows: Iterable[Sequence]) -> list:
    """A ``model`` instance from each row of values read for its fields ``names``,
    converted; the fields not read are deferred (they load if ever asked for)."""
    rows = list(rows)
    if not rows:
        return []
    steps, attnames, order = _instance_plan(model, tuple(names), connection.vendor)
    return [
        model.from_db(connection.alias, attnames, [row[index] for index in order])
        for row in _convert(steps, rows)
    ]
