"""Reads of the people's own records."""

from __future__ import annotations

import functools

from django.db import connection

from lms import sql
from lms.models import LearnerProfile, Region


@functools.cache
def _profile_sql(vendor: str) -> str:
    """Written out once per process: the dashboard shows the profile to every learner,
    and compiling the join cost several times reading the row."""
    p, r = "p", "r"
    return (
        f"SELECT {sql.columns(LearnerProfile, sql.field_names(LearnerProfile), p)}, "  # noqa: S608
        f"{sql.columns(Region, sql.field_names(Region), r)} "
        f"FROM {sql.table(LearnerProfile)} {p} LEFT OUTER JOIN {sql.table(Region)} {r} "
        f"ON {sql.column(Region, 'id', r)} = {sql.column(LearnerProfile, 'region', p)} "
        f"WHERE {sql.column(LearnerProfile, 'user', p)} = %s"
    )


def learner_profile(*, user) -> LearnerProfile | None:
    """The person's profile with its region (one written-out query), or None."""
    rows = sql.fetch(_profile_sql(connection.vendor), [user.pk])
    if not rows:
        return None
    names = sql.field_names(LearnerProfile)
    (profile,) = sql.instances(LearnerProfile, names, [rows[0][: len(names)]])
    if profile.region_id is not None:
        (profile.region,) = sql.instances(Region, sql.field_names(Region), [rows[0][len(names) :]])
    return profile
