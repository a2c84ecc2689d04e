"""Moodle's multi-language markup: read as Moodle's filters read it, file by file."""

from __future__ import annotations

import html
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from quizzes.interchange import multilang
from quizzes.interchange.importer import (
    GIFT,
    MOODLE_XML,
    ImportFailed,
    import_file_into,
    read_file_versions,
)
from quizzes.interchange.moodle_xml import export_moodle_xml
from quizzes.models import Category, Choice, Question, QuestionImport
from tests.factories import UserFactory

FILES = Path(__file__).parent / "files"


@pytest.fixture(autouse=True)
def english():
    """Problems are written in the active language: these tests read them in English."""
    with translation.override("en"):
        yield


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


# Importing into the bank ------------------------------------------------------------------


def _import(text: str, *, language: str = "ru", as_translation: bool = False, path="Банк"):
    versions = read_file_versions(text.encode(), GIFT, language=language)
    return import_file_into(versions=versions, category_path=path, as_translation=as_translation)


@pytest.mark.django_db
def test_a_multilang_file_makes_one_question_with_a_text_per_language():
    report = _import(GIFT_FILE)
    assert report.imported == 2
    question = Question.objects.get(name="Астана")
    assert (question.text_ru, question.text_kk, question.text_en) == (
        "<p>Где Астана?</p>",
        "<p>Астана қай жерде?</p>",
        None,  # not in the file: the reader falls back
    )
    choices = list(question.choices.order_by("sort_order"))
    assert [(c.text_ru, c.text_kk) for c in choices] == [
        ("На севере", "Солтүстікте"),
        ("На юге", "Оңтүстікте"),
    ]
    assert [c.fraction for c in choices] == [1, 0]  # one set of marks for every language
    assert Question.objects.count() == 2 and Choice.objects.count() == 2


@pytest.mark.django_db
def test_a_plain_file_goes_into_the_language_the_uploader_names():
    _import("::Q::Мәслихат бюджетті бекітеді.{TRUE}", language="kk")
    question = Question.objects.get()
    assert question.text_kk == "<p>Мәслихат бюджетті бекітеді.</p>"
    assert question.text_ru is None
    assert question.category.name_kk == "Банк"


RU_BANK = """::Бюджет::Кто утверждает бюджет сельского округа? {
=Маслихат района#Верно
~Аким области
}

::Столица::Назовите столицу Казахстана. {=Астана =Нур-Султан}
"""
KK_TRANSLATION = """::Бюджет::Ауылдық округтің бюджетін кім бекітеді? {
=Аудандық мәслихат#Дұрыс
~Облыс әкімі
}

::Столица::Қазақстанның астанасын атаңыз. {=Астана =Нұр-Сұлтан}

::Жаңа::Бұл сұрақ банкте жоқ.{TRUE}
"""


@pytest.mark.django_db
def test_a_file_translates_the_questions_of_the_same_name_and_changes_nothing_else():
    _import(RU_BANK)
    before = {q.pk: (q.type, q.default_mark) for q in Question.objects.all()}
    choice_ids = list(Choice.objects.order_by("pk").values_list("pk", "fraction"))

    report = _import(KK_TRANSLATION, language="kk", as_translation=True)

    assert report.imported == 2
    assert [p.reason for p in report.problems] == [
        "“Жаңа”: no question of the category has this name: nothing to translate"
    ]
    assert {q.pk: (q.type, q.default_mark) for q in Question.objects.all()} == before
    assert list(Choice.objects.order_by("pk").values_list("pk", "fraction")) == choice_ids
    budget = Question.objects.get(name="Бюджет")
    assert budget.text_ru == "<p>Кто утверждает бюджет сельского округа?</p>"
    assert budget.text_kk == "<p>Ауылдық округтің бюджетін кім бекітеді?</p>"
    assert [(c.text_ru, c.text_kk, c.feedback_kk) for c in budget.choices.order_by("pk")] == [
        ("Маслихат района", "Аудандық мәслихат", "Дұрыс"),
        ("Аким области", "Облыс әкімі", None),
    ]
    capital = Question.objects.get(name="Столица")
    assert [a.text_kk for a in capital.accepted_answers.order_by("pk")] == ["Астана", "Нұр-Сұлтан"]
    assert not Question.objects.filter(name="Жаңа").exists()


@pytest.mark.django_db
def test_a_translation_outdates_what_processes_keep_of_the_questions():
    """bulk_update sends no signal: the import itself starts a new page generation, so
    a save no longer reads the question as it was before its Kazakh text."""
    from quizzes.selectors import question_to_save

    _import(RU_BANK)
    budget = Question.objects.get(name="Бюджет")
    assert question_to_save(question_id=budget.pk).question.text_kk in (None, "")
    _import(KK_TRANSLATION, language="kk", as_translation=True)
    kept = question_to_save(question_id=budget.pk).question
    assert kept.text_kk == "<p>Ауылдық округтің бюджетін кім бекітеді?</p>"


@pytest.mark.django_db
def test_a_translation_that_changes_the_answers_saves_nothing():
    _import(RU_BANK)
    wrong = KK_TRANSLATION.replace("=Аудандық мәслихат", "~Аудандық мәслихат").replace(
        "~Облыс әкімі", "=Облыс әкімі"
    )
    with pytest.raises(ImportFailed) as failure:
        _import(wrong, language="kk", as_translation=True)
    assert "may differ only in its words" in str(failure.value)
    assert not Question.objects.exclude(text_kk=None).exists()
    assert not Choice.objects.exclude(text_kk=None).exists()


@pytest.mark.django_db
def test_translating_into_a_category_that_does_not_exist_is_refused():
    with pytest.raises(ImportFailed, match="no such category"):
        _import(KK_TRANSLATION, language="kk", as_translation=True, path="Нет/Такой")
    assert not Category.objects.exists()


@pytest.mark.django_db
def test_the_admin_uploads_a_translation_and_previews_it(
    client, django_capture_on_commit_callbacks
):
    _import(RU_BANK, path="Бюджет/Импорт")
    trainer = UserFactory(groups=["Trainers"])
    profile = UserProfile.get_for_user(trainer)
    profile.preferred_language = "en"  # the admin's language
    profile.save()
    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("quizzes_import"),
            {
                "file": SimpleUploadedFile("kk.gift", KK_TRANSLATION.encode()),
                "format": "gift",
                "category": "Бюджет/Импорт",
                "language": "kk",
                "as_translation": "on",
            },
        )
    run = QuestionImport.objects.get()
    assert (run.content_language, run.as_translation) == ("kk", True)
    with translation.override("en"):
        html = client.get(reverse("quizzes_import_run", args=[run.pk])).content.decode()
    assert '2 questions of "Бюджет/Импорт" will get these translations' in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("quizzes_import_confirm", args=[run.pk]))
    assert Question.objects.get(name="Бюджет").text_kk.startswith("<p>Ауылдық")
    assert Question.objects.count() == 2


@pytest.mark.django_db
def test_the_command_imports_a_translation(tmp_path):
    _import(RU_BANK)
    path = tmp_path / "kk.gift"
    path.write_text(KK_TRANSLATION, encoding="utf-8")
    out = io.StringIO()
    with translation.override("en"):
        call_command(
            "import_questions",
            str(path),
            "--category",
            "Банк",
            "--language",
            "kk",
            "--as-translation",
            stdout=out,
        )
    assert "imported 2, skipped 1" in out.getvalue()
    assert Question.objects.get(name="Бюджет").text_kk


# Exporting --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_moodle_xml_export_writes_multilang_that_reads_back_into_the_same_texts():
    _import(RU_BANK)
    _import(KK_TRANSLATION, language="kk", as_translation=True)
    data = export_moodle_xml(Category.objects.get(name_ru="Банк"))
    text = data.decode()
    assert '<span lang="kk" class="multilang">' in html.unescape(text)
    # Short answers: each language's answer is one of its own, as Moodle compares them.
    assert text.count("<text>Нұр-Сұлтан</text>") == 1 and text.count("<text>Нур-Султан</text>") == 1

    versions = read_file_versions(data, MOODLE_XML, language="ru")
    assert set(versions.questions) == {"kk", "ru"}
    kk = {q.name: q for q in versions.questions["kk"]}
    ru = {q.name: q for q in versions.questions["ru"]}
    assert kk["Бюджет"].text == "<p>Ауылдық округтің бюджетін кім бекітеді?</p>"
    assert ru["Бюджет"].text == "<p>Кто утверждает бюджет сельского округа?</p>"
    assert [c.text for c in kk["Бюджет"].choices] == ["Аудандық мәслихат", "Облыс әкімі"]
    assert [c.feedback for c in ru["Бюджет"].choices] == ["Верно", ""]


@pytest.mark.django_db
def test_a_question_in_one_language_is_exported_without_markup():
    _import(RU_BANK)
    text = export_moodle_xml(Category.objects.get(name_ru="Банк")).decode()
    assert "multilang" not in text
    assert '<answer fraction="100" format="plain_text">' in text


@pytest.mark.django_db
def test_keep_written_fills_only_the_empty_texts_of_a_translation():
    """The demo's seed (and a second run of any import) keeps a trainer's own wording."""
    _import(RU_BANK)
    budget = Question.objects.get(name="Бюджет")
    budget.text_kk = "<p>Өз сөзім</p>"
    budget.save(update_fields=["text_kk"])
    first = budget.choices.order_by("pk").first()
    first.text_kk = "Мәслихат (қолмен)"
    first.save(update_fields=["text_kk"])

    versions = read_file_versions(KK_TRANSLATION.encode(), GIFT, language="kk")
    import_file_into(
        versions=versions, category_path="Банк", as_translation=True, keep_written=True
    )

    budget.refresh_from_db()
    assert budget.text_kk == "<p>Өз сөзім</p>"  # written by hand: kept
    assert [(c.text_kk, c.feedback_kk) for c in budget.choices.order_by("pk")] == [
        ("Мәслихат (қолмен)", "Дұрыс"),  # the empty feedback is filled
        ("Облыс әкімі", None),
    ]
    capital = Question.objects.get(name="Столица")
    assert capital.text_kk == "<p>Қазақстанның астанасын атаңыз.</p>"

    # Without the option the file's words win.
    _import(KK_TRANSLATION, language="kk", as_translation=True)
    budget.refresh_from_db()
    assert budget.text_kk == "<p>Ауылдық округтің бюджетін кім бекітеді?</p>"
