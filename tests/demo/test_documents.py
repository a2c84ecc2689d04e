"""The demo's lesson and article files: front matter and StreamField blocks."""

import pytest

from demo.documents import read_document

LESSON = """---
title: 'Бюджетный цикл: от плана до отчёта'
minutes: 25
---
<!-- heading -->
Четыре стадии

<!-- paragraph -->
<p>Бюджет проходит четыре стадии.</p>
<ul>
  <li>Планирование</li>
  <li>Исполнение</li>
</ul>

<!-- heading {"level": "h3"} -->
Отчёт

<!-- callout {"kind": "tip", "title": "Совет"} -->
<p>Начните с календаря.</p>

<!-- quote {"attribution": "аким села"} -->
План, который жители не видели, — это план аппарата.

<!-- table {"table_caption": "Сроки"} -->
| Стадия | Срок |
| Планирование | май |
"""


def test_a_file_gives_its_fields_and_the_blocks_a_streamfield_takes(tmp_path):
    path = tmp_path / "lesson-1.html"
    path.write_text(LESSON, encoding="utf-8")
    fields, body = read_document(path)
    assert fields == {"title": "Бюджетный цикл: от плана до отчёта", "minutes": 25}
    assert body == [
        ("heading", {"text": "Четыре стадии", "level": "h2"}),
        (
            "paragraph",
            "<p>Бюджет проходит четыре стадии.</p>"
            "<ul><li>Планирование</li><li>Исполнение</li></ul>",
        ),
        ("heading", {"text": "Отчёт", "level": "h3"}),
        ("callout", {"kind": "tip", "title": "Совет", "text": "<p>Начните с календаря.</p>"}),
        (
            "quote",
            {
                "attribution": "аким села",
                "text": "План, который жители не видели, — это план аппарата.",
            },
        ),
        (
            "table",
            {
                "first_row_is_table_header": True,
                "first_col_is_header": False,
                "table_header_choice": "row",
                "table_caption": "Сроки",
                "data": [["Стадия", "Срок"], ["Планирование", "май"]],
            },
        ),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: x\n---\n", "must open with"),
        ("---\ntitle: x\n---\n<p>loose</p>\n<!-- paragraph -->\n", "before the first block"),
        ("---\ntitle: x\n---\n<!-- video -->\nx\n", "unknown block type"),
    ],
)
def test_a_malformed_file_is_refused(tmp_path, text, message):
    path = tmp_path / "bad.html"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        read_document(path)
