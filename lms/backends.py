"""Sign-in backends: Django's and django-axes', loading the signed-in account with one
statement written out once per process (``lms.written_sql``).

Every signed-in request loads its account; through the ORM, building and compiling that
one query cost about as much Python as a whole trivial view. Signing in itself
(``authenticate``) and the permission checks are the parents' own.
"""

from __future__ import annotations

import functools

from axes.backends import AxesBackend as BaseAxesBackend
from django.contrib.auth import backends
from django.db import connections, router

from lms.models import User
from lms.written_sql import RowLoader, quoted, table


@functools.cache
def _account_loader() -> RowLoader:
    return RowLoader(User, [field.name for field in User._meta.concrete_fields])


@functools.cache
def _account_sql(vendor: str) -> str:
    columns = _account_loader().columns(table(User))
    return f"SELECT {columns} FROM {table(User)} WHERE {table(User)}.{quoted(User, 'id')} = %s"  # noqa: S608


def account(user_id) -> User | None:
    """The account with this id as a queryset would load it, or None."""
    connection = connections[router.db_for_read(User)]
    with connection.cursor() as cursor:
        cursor.execute(_account_sql(connection.vendor), [user_id])
        row = cursor.fetchone()
    return None if row is None else _account_loader().instance(row, connection)


class AccountLoading:
    """``get_user`` of the signed-in account: one written-out statement, and, as
    Django's, None for an account that may not sign in (deactivated)."""

    def get_user(self, user_id):
        user = account(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(AccountLoading, backends.ModelBackend):
    """Django's e-mail and password sign-in."""


class AxesBackend(AccountLoading, BaseAxesBackend):
    """django-axes' lockout check, first in line: it refuses a locked-out sign-in and
    otherwise steps aside for ``ModelBackend``."""
