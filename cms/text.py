"""What readers write, made safe: plain text in, escaped HTML with safe links out."""

from __future__ import annotations

import bleach
from django.utils.html import escape, linebreaks


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
