"""What people write on the site (comments, questions), made safe: plain text in,
escaped HTML with safe links out."""

from __future__ import annotations

import html

import bleach
from django.utils.html import escape, linebreaks


def strip_markup(text: str) -> str:
    """A reader's text with any HTML they typed removed, as plain text."""
    return html.unescape(bleach.clean(text, tags=set(), attributes={}, strip=True)).strip()


def comment_html(text: str) -> str:
    """Plain text as safe HTML: everything escaped, web links made ``nofollow ugc``."""
    escaped = escape(text)
    linked = bleach.linkify(escaped, callbacks=[_nofollow_ugc], parse_email=False)
    html = linebreaks(linked, autoescape=False)
    return bleach.clean(
        html,
        tags={"a", "p", "br"},
        attributes={"a": ["href", "rel"]},
        protocols={"http", "https"},
        strip=True,
    )


def _nofollow_ugc(attrs: dict, new: bool = False) -> dict | None:
    href = attrs.get((None, "href"), "")
    if not href.startswith(("http://", "https://")):
        return None  # not a web link: leave it as text
    attrs[(None, "rel")] = "nofollow ugc"
    attrs.pop((None, "target"), None)
    return attrs
