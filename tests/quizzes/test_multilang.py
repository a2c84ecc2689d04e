"""Moodle's multi-language markup: read as Moodle's filters read it, file by file."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizzes.interchange import multilang
from quizzes.interchange.importer import GIFT, MOODLE_XML, read_file_versions

FILES = Path(__file__).parent / "files"
KK_RU = '<span lang="kk" class="multilang">Иә</span> <span lang="ru" class="multilang">Да</span>'


@pytest.mark.parametrize(
    ("language", "expected"),
    [("kk", "Жауап: Иә."), ("ru", "Жауап: Да."), ("en", "Жауап: Иә.")],  # else the first part
)
def test_a_span_group_shows_the_readers_part_and_keeps_the_text_around_it(language, expected):
    assert multilang.resolve(f"Жауап: {KK_RU}.", language) == expected


def test_attributes_in_either_order_and_the_old_lang_element_are_read_like_moodle():
    text = (
        '<span class="multilang" lang="RU">Да</span><span class="multilang" lang="kk">Иә</span>'
        ' / <lang lang="en">Yes</lang><lang lang="ru">Да</lang>'
    )
    assert multilang.languages(text) == ["ru", "kk", "en"]
    assert multilang.resolve(text, "kk") == "Иә / Yes"  # the second group has no kk: its first
    assert multilang.resolve(text, "en") == "Да / Yes"


def test_a_single_span_is_not_a_group_as_in_moodle():
    text = '<span lang="kk" class="multilang">Иә</span> only'
    assert multilang.languages(text) == []
    assert multilang.resolve(text, "ru") == text


def test_mlang_blocks_take_lists_other_and_regional_codes():
    text = "{mlang kk}Иә{mlang}{mlang ru,en_US}Да / Yes{mlang}{mlang other}?{mlang}"
    assert multilang.languages(text) == ["kk", "ru", "en_us", "en"]
    assert multilang.resolve(text, "kk") == "Иә"
    assert multilang.resolve(text, "en") == "Да / Yes"  # en is the parent of en_us
    assert multilang.resolve(text, "de") == "?"  # other: every language not named


def test_join_writes_spans_only_when_the_languages_differ_and_escapes_plain_text():
    assert multilang.join({"kk": "a < b", "ru": "а < б"}, escape=True) == (
        '<span lang="kk" class="multilang">a &lt; b</span>'
        '<span lang="ru" class="multilang">а &lt; б</span>'
    )
    assert multilang.join({"kk": "12", "ru": "12", "en": ""}, escape=True) == "12"
    back = multilang.join({"kk": "<p>Иә</p>", "ru": "<p>Да</p>"}, escape=False)
    assert multilang.variants(back, ["kk", "ru", "en"]) == {"kk": "<p>Иә</p>", "ru": "<p>Да</p>"}


GIFT_FILE = (FILES / "multilang.gift").read_text(encoding="utf-8")


@pytest.mark.django_db
def test_a_gift_file_is_read_once_per_language_with_the_same_questions():
    versions = read_file_versions(GIFT_FILE.encode(), GIFT, language="ru")
    assert versions.language == "ru"
    assert set(versions.questions) == {"kk", "ru"}
    kk, ru = versions.questions["kk"], versions.questions["ru"]
    assert [q.name for q in kk] == [q.name for q in ru] == ["Астана", "Бюджет"]
    assert ru[0].text == "<p>Где Астана?</p>"
    assert kk[0].text == "<p>Астана қай жерде?</p>"
    assert [c.text for c in kk[0].choices] == ["Солтүстікте", "Оңтүстікте"]
    assert [c.text for c in ru[0].choices] == ["На севере", "На юге"]
    assert [c.feedback for c in kk[0].choices] == ["", "Жоқ"]
    # A question without markup is the same in every version.
    assert kk[1].text == ru[1].text
    assert not [problem for problem in versions.problems if problem.fatal]


@pytest.mark.django_db
def test_the_uploaders_language_comes_first_when_the_file_has_it_else_the_files_first():
    assert read_file_versions(GIFT_FILE.encode(), GIFT, language="kk").language == "kk"
    assert read_file_versions(GIFT_FILE.encode(), GIFT, language="en").language == "kk"


@pytest.mark.django_db
def test_a_file_without_markup_is_one_version_in_the_uploaders_language():
    versions = read_file_versions("::Q::Вопрос? {TRUE}".encode(), GIFT, language="kk")
    assert list(versions.questions) == ["kk"]
    assert versions.parsed[0].name == "Q"


@pytest.mark.django_db
def test_languages_the_site_does_not_have_are_listed_not_imported():
    text = "::Q::{mlang ru}Да?{mlang}{mlang de}Ja?{mlang} {TRUE}"
    versions = read_file_versions(text.encode(), GIFT, language="ru")
    assert list(versions.questions) == ["ru"]
    [problem] = versions.problems
    assert not problem.fatal and not problem.skips
    assert "de" in problem.reason


@pytest.mark.django_db
def test_versions_that_differ_in_more_than_words_are_refused():
    # In Kazakh the right answer is the first choice, in Russian the second.
    text = "::Q::Вопрос? {{mlang kk}=Иә ~Жоқ{mlang}{mlang ru}~Да =Нет{mlang}}"  # answers differ
    versions = read_file_versions(text.encode(), GIFT, language="ru")
    fatal = [problem for problem in versions.problems if problem.fatal]
    assert fatal and "only the words may differ" in fatal[0].reason


# Markup in CDATA, escaped, and {mlang} blocks.
XML_FILE = (FILES / "multilang.xml").read_text(encoding="utf-8")


@pytest.mark.django_db
def test_a_moodle_xml_file_with_markup_in_cdata_or_escaped_is_read_per_language():
    versions = read_file_versions(XML_FILE.encode(), MOODLE_XML, language="ru")
    assert set(versions.questions) == {"kk", "ru"}
    kk, ru = versions.questions["kk"][0], versions.questions["ru"][0]
    assert kk.text == "<p>Кім бекітеді?</p>" and ru.text == "<p>Кто утверждает?</p>"
    assert [c.text for c in kk.choices] == ["Мәслихат", "Әкім"]
    assert [c.text for c in ru.choices] == ["Маслихат", "Аким"]


@pytest.mark.django_db
def test_a_malformed_xml_file_reports_its_problem_as_before():
    versions = read_file_versions(b"<quiz><question>", MOODLE_XML, language="ru")
    assert versions.parsed == []
    assert versions.problems[0].fatal
