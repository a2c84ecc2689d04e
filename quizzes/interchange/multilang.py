"""Moodle's multi-language markup in question files: reading it into a text per
language, and writing it.

Moodle keeps one question for several languages by marking up its texts, shown by a
filter in the reader's language:

* core ``filter_multilang``: a *group* of two or more adjacent
  ``<span lang="kk" class="multilang">…</span>`` elements (attributes in either order;
  the old ``<lang lang="kk">…</lang>`` too), only whitespace between them;
* the ``filter_multilang2`` plugin: ``{mlang kk}…{mlang}`` blocks, a block naming one
  language, several (``{mlang kk,ru}``) or ``other`` (for every language not named).

Text outside a group is the same in every language. For a language, each group shows
that language's part, else its parent's (``en`` for ``en_us``), else ``other``, else
the group's first part, as Moodle's filters do when nothing matches.

A question file is read once per language it is written in (see :func:`variants`):
every group replaced by that language's part, *before* the file is parsed, so that the
parsers never see the markup (a choice's ``<span>`` would otherwise be stripped into
"ИәДа"). In a GIFT file the markup may carry GIFT's escapes (``lang\\="kk"``,
``\\{mlang kk\\}``), which Moodle users write to keep GIFT's parser off them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

OTHER = "other"

_LANG = r"[a-zA-Z0-9_-]+"
_EQ = r"\\?="  # GIFT escapes "=" as "\="
_SPAN_OPEN = (
    rf"<span(?:\s+lang{_EQ}\"(?P<lang1>{_LANG})\"|\s+class{_EQ}\"multilang\"){{2}}\s*>"
    rf"|<lang\s+lang{_EQ}\"(?P<lang2>{_LANG})\"\s*>"
)
_SPAN_PART = rf"(?:{_SPAN_OPEN})(?P<body>.*?)</(?:span|lang)>"
_SPAN = re.compile(_SPAN_PART, re.IGNORECASE | re.DOTALL)
_SPAN_GROUP = re.compile(
    rf"(?:{_SPAN_PART.replace('?P<', '?P<g_')})(?:\s*(?:{_SPAN_PART.replace('?P<', '?P<h_')}))+",
    re.IGNORECASE | re.DOTALL,
)
_MLANG_PART = r"\\?\{mlang\s+(?P<langs>[a-zA-Z0-9_,\s-]+?)\s*\\?\}(?P<body>.*?)\\?\{mlang\s*\\?\}"
_MLANG = re.compile(_MLANG_PART, re.IGNORECASE | re.DOTALL)
_MLANG_GROUP = re.compile(
    rf"(?:{_MLANG_PART.replace('?P<', '?P<g_')})(?:\s*(?:{_MLANG_PART.replace('?P<', '?P<h_')}))*",
    re.IGNORECASE | re.DOTALL,
)


def normalise(code: str) -> str:
    """``en-US`` → ``en_us``, as Moodle spells language codes."""
    return code.strip().lower().replace("-", "_")


def _parent(code: str) -> str | None:
    return code.split("_", 1)[0] if "_" in code else None


def _span_parts(group: str) -> list[tuple[list[str], str]]:
    return [
        ([normalise(match["lang1"] or match["lang2"])], match["body"])
        for match in _SPAN.finditer(group)
    ]


def _mlang_parts(group: str) -> list[tuple[list[str], str]]:
    return [
        ([normalise(code) for code in match["langs"].split(",") if code.strip()], match["body"])
        for match in _MLANG.finditer(group)
    ]


def _choose(parts: list[tuple[list[str], str]], language: str) -> str:
    for wanted in (language, _parent(language), OTHER):
        for codes, body in parts:
            if wanted in codes or (wanted and wanted in {_parent(code) for code in codes}):
                return body
    return parts[0][1]


def resolve(text: str, language: str) -> str:
    """``text`` as a reader of ``language`` sees it: every group replaced by its part."""
    language = normalise(language)
    text = _SPAN_GROUP.sub(lambda match: _choose(_span_parts(match[0]), language), text)
    return _MLANG_GROUP.sub(lambda match: _choose(_mlang_parts(match[0]), language), text)


def languages(text: str) -> list[str]:
    """The languages ``text`` has parts in, in order of first appearance (``other`` left
    out); a regional code also counts as its parent language."""
    found: dict[str, None] = {}
    parts = [part for match in _SPAN_GROUP.finditer(text) for part in _span_parts(match[0])] + [
        part for match in _MLANG_GROUP.finditer(text) for part in _mlang_parts(match[0])
    ]
    for codes, _body in parts:
        for code in codes:
            if code != OTHER:
                found[code] = None
                if parent := _parent(code):
                    found[parent] = None
    return list(found)


def variants(text: str, wanted: Iterable[str]) -> dict[str, str]:
    """The text once per language of ``wanted`` that it has parts in; empty when it has
    no multi-language markup at all."""
    present = set(languages(text))
    return {code: resolve(text, code) for code in wanted if code in present}


def join(texts: dict[str, str], *, escape: bool) -> str:
    """One text in several languages as core Moodle's filter reads it: adjacent spans.

    A single language (or the same text in every language) is written as it is.
    ``escape`` for plain texts: the spans make it HTML, so their content is escaped.
    """
    filled = {code: text for code, text in texts.items() if text}
    if len(set(filled.values())) <= 1:
        return next(iter(filled.values()), "")
    return "".join(
        f'<span lang="{code}" class="multilang">{html.escape(text) if escape else text}</span>'
        for code, text in filled.items()
    )
