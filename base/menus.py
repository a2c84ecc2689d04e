"""Admin menu items shown only to whoever may use the page they lead to."""

from __future__ import annotations

from collections.abc import Callable

from wagtail.admin.menu import MenuItem


class PermissionMenuItem(MenuItem):
    """A menu item shown to users with ``permission`` (``"app.codename"``), or for whom
    ``check(user)`` is true: one of the two, so the rule is said once."""

    def __init__(
        self,
        label,
        url: str,
        *,
        permission: str | None = None,
        check: Callable[[object], bool] | None = None,
        **kwargs,
    ):
        if (permission is None) == (check is None):
            raise TypeError("PermissionMenuItem takes one of permission or check")
        super().__init__(label, url, **kwargs)
        self.permission = permission
        self.check = check

    def is_shown(self, request) -> bool:
        if self.check is not None:
            return bool(self.check(request.user))
        return request.user.has_perm(self.permission)
