"""What the site's panels (laces components on the dashboard and under lessons) share."""

from __future__ import annotations

from django.template.context_processors import csrf


def form_token(*, request, parent_context=None) -> dict:
    """``csrf_token`` for the forms a panel draws. A component renders with a context of
    its own, without the request's context processors, so ``{% csrf_token %}`` would be
    empty and the form's post refused; the page's own token is taken when there is one
    (each new token costs a fresh random mask)."""
    token = parent_context.get("csrf_token") if parent_context is not None else None
    return {"csrf_token": token} if token is not None else csrf(request)
