"""What people type, made plain: shared by reader comments (cms) and trainers'
announcements (courses)."""

from __future__ import annotations

import html

import bleach


def strip_markup(text: str) -> str:
    """A person's text with any HTML they typed removed, as plain text."""
    return html.unescape(bleach.clean(text, tags=set(), attributes={}, strip=True)).strip()
