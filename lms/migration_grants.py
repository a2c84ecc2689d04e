"""Granting the roles (auth groups) permissions from a data migration.

Kept apart from the models: a migration calls it with the historical models of its own
state, so it must never import the current ones.
"""

from __future__ import annotations

from collections.abc import Callable


def grant_to_groups(app_label: str, grants: dict[str, list[tuple[str, str]]]) -> Callable:
    """A ``RunPython`` function giving each group the ``(model, codename)`` permissions
    of ``app_label`` listed for it, creating the group, content type and permission when
    the migration runs before Django's post-migrate signal has made them."""

    def grant(apps, schema_editor) -> None:
        ContentType = apps.get_model("contenttypes", "ContentType")
        Permission = apps.get_model("auth", "Permission")
        Group = apps.get_model("auth", "Group")
        for group_name, pairs in grants.items():
            group, _ = Group.objects.get_or_create(name=group_name)
            for model, codename in pairs:
                content_type, _ = ContentType.objects.get_or_create(
                    app_label=app_label, model=model
                )
                permission, _ = Permission.objects.get_or_create(
                    content_type=content_type,
                    codename=codename,
                    defaults={"name": codename.replace("_", " ").capitalize()},
                )
                group.permissions.add(permission)

    return grant
