"""Sign-in backends: Django's and django-axes', loading the signed-in account with one
statement written out once per process (``lms.sql``).

Every signed-in request loads its account; through the ORM, building and compiling that
one query cost about as much Python as a whole trivial view. Signing in itself
(``authenticate``) and the permission checks are the parents' own.
"""

from __future__ import annotations

import functools

from axes.backends import AxesBackend as BaseAxesBackend
from django.contrib.auth import backends
from django.db import connection

from lms import sql
from lms.models import User

_ACCOUNT = [field.name for field in User._meta.concrete_fields]


@functools.cache
def _account_sql(vendor: str) -> str:
    return (
        f"SELECT {sql.columns(User, _ACCOUNT)} FROM {sql.table(User)} "  # noqa: S608
        f"WHERE {sql.column(User, 'id')} = %s"
    )


def account(user_id) -> User | None:
    """The account with this id as a queryset would load it, or None."""
    found = sql.instances(User, _ACCOUNT, sql.fetch(_account_sql(connection.vendor), [user_id]))
    return found[0] if found else None


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
