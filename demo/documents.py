"""Reading the demo's lessons and articles: HTML files with a YAML front matter.

A file opens with its fields between two ``---`` lines, then its body as StreamField
blocks, each introduced by a comment naming the block, with the block's other fields
as JSON where it has any::

    ---
    title: Бюджетный цикл
    minutes: 25
    ---
    <!-- heading {"level": "h3"} -->
    Планирование
    <!-- paragraph -->
    <p>Бюджет села проходит четыре стадии.</p>
    <!-- callout {"kind": "tip", "title": "Совет"} -->
    <p>Начните с календаря.</p>
    <!-- table {"table_caption": "Стадии"} -->
    | Стадия | Срок |
    | Планирование | май |

A block's lines are joined as they are, without their indentation, so long HTML may be
broken across lines between tags (never inside a text). Headings are ``h2`` unless
they say otherwise; table rows are cells between ``|``, the first row the header.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

_MARKER = re.compile(r"<!-- (?P<type>[a-z_]+)(?: (?P<fields>\{.*\}))? -->")
_TABLE = {
    "first_row_is_table_header": True,
    "first_col_is_header": False,
    "table_header_choice": "row",
}
_TEXT_BLOCKS = {"callout", "quote", "contacts"}


def read_document(path: Path) -> tuple[dict, list[tuple[str, Any]]]:
    """The front matter of the file at ``path`` and its body as ``(block type, value)``
    pairs, the raw data a StreamField takes."""
    text = path.read_text(encoding="utf-8")
    parts = re.split(r"^---$\n?", text, maxsplit=2, flags=re.MULTILINE)
    if len(parts) != 3 or parts[0].strip():
        raise ValueError(f"{path}: the file must open with its fields between two --- lines")
    _opening, header, body = parts
    blocks: list[tuple[str, dict, list[str]]] = []
    for number, line in enumerate(body.splitlines(), start=1):
        if match := _MARKER.fullmatch(line.strip()):
            fields = json.loads(match["fields"]) if match["fields"] else {}
            blocks.append((match["type"], fields, []))
        elif blocks:
            blocks[-1][2].append(line.strip())
        elif line.strip():
            raise ValueError(f"{path}: body line {number} comes before the first block")
    return yaml.safe_load(header), [_block(kind, fields, lines) for kind, fields, lines in blocks]


def _block(kind: str, fields: dict, lines: list[str]) -> tuple[str, Any]:
    content = "".join(lines)
    if kind == "paragraph":
        return kind, content
    if kind == "heading":
        return kind, {"text": content, "level": fields.get("level", "h2")}
    if kind in _TEXT_BLOCKS:
        return kind, {**fields, "text": content}
    if kind == "table":
        rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines if line]
        return kind, {**_TABLE, **fields, "data": rows}
    raise ValueError(f"unknown block type {kind!r}")
