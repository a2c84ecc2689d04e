"""The layout checks themselves: each kind of problem on a made-up page is found and
named, and a page without them passes. No server, no database: ``set_content``."""

from __future__ import annotations

from tests.e2e.browser_helpers import layout_problems

STYLE = (
    "<style>body{margin:0;font:16px/1.5 sans-serif} .field label{display:block}"
    " .row{display:flex;align-items:flex-start;gap:.5rem;min-height:44px}</style>"
)


def problems_in(page, body: str, width: int = 390) -> list[str]:
    page.set_viewport_size({"width": width, "height": 800})
    page.set_content(f"<!doctype html><html><head>{STYLE}</head><body>{body}</body></html>")
    return layout_problems(page)


GOOD = """<h1>Тест</h1>
<form class="question"><fieldset><legend>Ответ</legend>
<label class="row"><input type="radio" name="a"> Да</label>
<label class="row"><input type="radio" name="a"> Нет</label>
</fieldset>
<label for="n">Имя</label><input id="n" style="display:block;padding:8px">
<button style="padding:10px 16px">Отправить</button></form>
<p>Текст с <a href="/x">короткой ссылкой</a> в предложении, которое длиннее двадцати знаков.</p>"""


def test_a_clean_page_passes(page):
    assert problems_in(page, GOOD) == []
    assert problems_in(page, GOOD, width=1280) == []


def test_a_radio_a_line_away_from_its_text_is_named(page):
    """Today's bug: the radio as wide as the row, its text on the next line."""
    found = problems_in(
        page,
        """<h1>Тест</h1><form class="question"><div class="field">
        <label><input type="radio" name="a" id="r1" style="width:100%"> Первый ответ</label>
        </div></form>""",
    )
    assert any("same line" in p and "input#r1" in p for p in found), found


def test_a_label_far_from_its_box_and_a_box_without_one(page):
    found = problems_in(
        page,
        """<h1>Форма</h1><label for="far">Имя</label><div style="height:80px"></div>
        <input id="far"><input id="bare" placeholder="Без подписи">""",
    )
    assert any("next to" in p and "input#far" in p for p in found), found
    assert any("no visible label" in p and "input#bare" in p for p in found), found


def test_small_crowded_targets_but_not_links_in_a_sentence(page):
    found = problems_in(
        page,
        """<h1>Ссылки</h1><nav><a href="/a" id="a1" style="font-size:12px">1</a><a
        href="/b" id="a2" style="font-size:12px">2</a></nav>
        <p>Длинное предложение со <a href="/c" id="inline">ссылкой</a> внутри текста.</p>""",
    )
    assert any("target" in p and "a#a1" in p for p in found), found
    assert not any("a#inline" in p for p in found), found


def test_short_quiz_answer_rows_overflow_small_text_and_headings(page):
    found = problems_in(
        page,
        """<h1>Один</h1><h1>Два</h1>
        <form class="question"><label id="row" style="display:inline-flex;min-height:30px">
        <input type="checkbox"> Ответ</label></form>
        <p id="tiny" style="font-size:10px">Мелкий текст</p>
        <div id="wide" style="width:600px">Широкий блок</div>""",
    )
    assert any(p.startswith("2 h1 elements") for p in found), found
    assert any("answer row" in p and "label#row" in p for p in found), found
    assert any("text 10 px" in p and "p#tiny" in p for p in found), found
    assert any("px wide in a 390 px viewport" in p and "div#wide" in p for p in found), found
