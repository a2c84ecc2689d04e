"""Statements written out once per process rather than compiled by the ORM per request.

Only for the hottest paths: the account every signed-in request loads, and a final
test's answer saves, where a thousand learners post at once. There, building and
compiling a queryset costs more Python than everything else the request does. The SQL
is plain enough to run on SQLite and PostgreSQL alike; what comes back goes through the
converters the ORM would apply, so the instances are what a queryset would give.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection as default_connection
from django.db.models import Model


def quoted(model: type[Model], name: str) -> str:
    """A field's column, quoted for the database in use."""
    return default_connection.ops.quote_name(model._meta.get_field(name).column)


def table(model: type[Model]) -> str:
    return default_connection.ops.quote_name(model._meta.db_table)


class RowLoader:
    """Instances of ``model`` from rows holding the fields ``names`` (concrete ones),
    converted as a queryset converts them (dates on SQLite, JSON, UUIDs). The columns
    come in the model's order, whatever the order of ``names``: ``from_db`` takes a
    part of the fields in that order."""

    def __init__(self, model: type[Model], names: Sequence[str]) -> None:
        self.model = model
        wanted = {model._meta.get_field(name) for name in names}
        self.fields = [field for field in model._meta.concrete_fields if field in wanted]
        self.attnames = [field.attname for field in self.fields]
        self._converters: dict[str, list[tuple[int, list, object]]] = {}

    def columns(self, alias: str) -> str:
        """The columns to select, in the loader's order, of the table named ``alias``."""
        quote = default_connection.ops.quote_name
        return ", ".join(f"{alias}.{quote(field.column)}" for field in self.fields)

    def _converters_for(self, connection) -> list[tuple[int, list, object]]:
        found = self._converters.get(connection.vendor)
        if found is None:
            found = []
            for index, field in enumerate(self.fields):
                column = field.get_col(self.model._meta.db_table)
                converters = connection.ops.get_db_converters(column) + column.get_db_converters(
                    connection
                )
                if converters:
                    found.append((index, converters, column))
            self._converters[connection.vendor] = found
        return found

    def values(self, row: Sequence, connection) -> list:
        """The row's values as the fields hold them."""
        values = list(row)
        for index, converters, column in self._converters_for(connection):
            for converter in converters:
                values[index] = converter(values[index], column, connection)
        return values

    def instance(self, row: Sequence, connection) -> Model:
        """A model instance of the row, as loaded from the database (``from_db``)."""
        return self.model.from_db(connection.alias, self.attnames, self.values(row, connection))
