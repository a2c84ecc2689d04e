"""Files as Moodle itself imports them: each form its GIFT and XML readers accept.

One test per form, named after it, with the meaning Moodle gives it. Forms Moodle reads
but this project has no question type for (matching, descriptions) are reported per
question, never dropped in silence.
"""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.utils import translation
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from quizzes import imports
from quizzes.interchange import (
    ESSAY,
    MULTIPLE,
    NUMERIC,
    SHORT,
    SINGLE,
    TRUE_FALSE,
    ParsedQuestion,
    ParseProblem,
)
from quizzes.interchange.files import RENDITION
from quizzes.interchange.gift import BLANK, parse_gift
from quizzes.interchange.importer import clean_question_html, import_questions, read_file
from quizzes.interchange.moodle_xml import parse_moodle_xml
from quizzes.models import Category, Question
from tests.factories import UserFactory

FILES = Path(__file__).parent / "files"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def gift_one(source: str) -> ParsedQuestion:
    questions, problems = parse_gift(source)
    assert problems == []
    assert len(questions) == 1
    return questions[0]


# GIFT -----------------------------------------------------------------------------------


def test_gift_file_with_crlf_tabs_comments_and_a_course_category():
    questions, problems = read_file(FILES / "moodle_forms.gift", "gift")
    assert problems == []
    land, capital, rate = questions
    assert {q.category for q in questions} == {"Local budgets/Taxes"}
    assert (land.name, land.type, land.text) == (
        "Land tax",
        SINGLE,
        "<p>Who collects the land tax?</p>",
    )
    assert [(c.text, c.fraction) for c in land.choices] == [
        ("The district", 1),
        ("The republic", 0),
    ]
    assert capital.type == SHORT
    assert [a.text for a in capital.accepted] == ["Astana", "Astana city"]
    assert capital.text == f"<p>The capital of Kazakhstan is {BLANK}.</p>"
    assert rate.type == NUMERIC
    assert [(a.text, a.tolerance, a.fraction) for a in rate.accepted] == [
        ("12", Decimal("0.5"), 1),
        ("12", 2, Decimal("0.5")),
    ]
    assert rate.feedback_incorrect == "Twelve percent."


def test_gift_short_answer_without_a_leading_equals_sign():
    question = gift_one("Which city is the capital? {Astana}")
    assert question.type == SHORT
    assert [(a.text, a.fraction) for a in question.accepted] == [("Astana", 1)]


def test_gift_short_answer_first_answer_bare_then_weighted_ones():
    question = gift_one("Capital? {Astana =%50%Nur-Sultan#The old name.}")
    assert [(a.text, a.fraction, a.feedback) for a in question.accepted] == [
        ("Astana", 1, ""),
        ("Nur-Sultan", Decimal("0.5"), "The old name."),
    ]


def test_gift_choice_first_answer_without_a_tilde_is_a_wrong_answer():
    question = gift_one("Which is local? {VAT =Land tax ~Excise}")
    assert question.type == SINGLE
    assert [(c.text, c.fraction) for c in question.choices] == [
        ("VAT", 0),
        ("Land tax", 1),
        ("Excise", 0),
    ]


def test_gift_multiple_response_first_weight_without_a_tilde():
    question = gift_one("Local taxes? {%50%Land tax ~%50%Property tax ~%-100%VAT}")
    assert question.type == MULTIPLE
    assert [c.fraction for c in question.choices] == [Decimal("0.5"), Decimal("0.5"), -1]


def test_gift_weights_in_thirds_with_decimals():
    question = gift_one("Pick? {~%33.33333%a ~%33.33333%b ~%33.33333%c ~%-33.33333%d}")
    assert question.type == MULTIPLE
    assert sum(c.fraction for c in question.choices if c.fraction > 0) == 1
    assert question.choices[-1].fraction == Decimal("-0.33333")


def test_gift_numeric_first_answer_without_an_equals_sign():
    question = gift_one("Rate? {#3:1 =%50%3:2}")
    assert [(a.text, a.tolerance, a.fraction) for a in question.accepted] == [
        ("3", 1, 1),
        ("3", 2, Decimal("0.5")),
    ]


def test_gift_numeric_range_and_tolerance():
    assert [(a.text, a.tolerance) for a in gift_one("Q {#1..5}").accepted] == [("3", 2)]
    assert [(a.text, a.tolerance) for a in gift_one("Q {#3:0.5}").accepted] == [
        ("3", Decimal("0.5"))
    ]


def test_gift_numeric_several_answers_with_partial_credit_and_wrong_feedback():
    question = gift_one("Q {#\n=2020:0#Exactly.\n=%50%2020:1#Close.\n~#No.\n}")
    assert [(a.text, a.tolerance, a.fraction, a.feedback) for a in question.accepted] == [
        ("2020", 0, 1, "Exactly."),
        ("2020", 1, Decimal("0.5"), "Close."),
    ]
    assert question.feedback_incorrect == "No."


def test_gift_escaped_characters_everywhere():
    question = gift_one(
        "::Ratio \\: 1\\:2::Write 1\\:2 \\{not a block\\} \\= \\# \\~ {=a\\=b#c\\#d ~x\\~y}"
    )
    assert question.name == "Ratio : 1:2"
    assert question.text == "<p>Write 1:2 {not a block} = # ~</p>"
    assert [(c.text, c.feedback) for c in question.choices] == [("a=b", "c#d"), ("x~y", "")]


def test_gift_format_markers_on_text_answers_and_feedback():
    question = gift_one(
        "[html]<p>Which is <b>local</b>?</p>{=[html]<b>Land</b> tax#[markdown]**Yes**"
        " ~[plain]<VAT>#[moodle]No<br>it is not ####[html]<i>Land</i> is local.}"
    )
    assert question.text == "<p>Which is <b>local</b>?</p>"
    assert [(c.text, c.feedback) for c in question.choices] == [
        ("Land tax", "**Yes**"),
        ("<VAT>", "No\nit is not"),
    ]
    assert question.general_feedback == "Land is local."


def test_gift_format_marker_on_a_short_answer_is_not_part_of_it():
    question = gift_one("[html]Capital? {=[plain]Astana}")
    assert [a.text for a in question.accepted] == ["Astana"]


def test_gift_question_name_and_an_unclosed_name():
    assert gift_one("::Akim::Who heads the district? {T}").name == "Akim"
    question = gift_one("::Who heads the district? {T}")
    assert question.text == "<p>Who heads the district?</p>"
    assert question.name == "Who heads the district?"


def test_gift_general_feedback_after_four_hashes():
    question = gift_one("Surplus stays? {T####It stays with the district.}")
    assert question.general_feedback == "It stays with the district."


def test_gift_true_false_with_feedback_for_wrong_then_right():
    question = gift_one("The akim is elected. {TRUE#No, he is.#Right.}")
    assert question.type == TRUE_FALSE
    assert question.correct_bool is True
    assert (question.feedback_incorrect, question.feedback_correct) == ("No, he is.", "Right.")
    question = gift_one("Taxes are optional. {F#They are not.#Indeed.####Law.}")
    assert question.correct_bool is False
    assert question.feedback_incorrect == "They are not."
    assert question.general_feedback == "Law."


def test_gift_essay_with_empty_braces():
    question = gift_one("::Plan::Describe the district budget. {}")
    assert question.type == ESSAY
    assert gift_one("Describe it. {####A model answer.}").general_feedback == "A model answer."


def test_gift_missing_word_block_in_the_middle_of_the_text():
    question = gift_one("The akim {=heads ~elects} the district.")
    assert question.text == f"<p>The akim {BLANK} the district.</p>"
    assert question.type == SINGLE


def test_gift_matching_and_description_are_listed_per_question():
    questions, problems = parse_gift(
        "Intro text only.\n\n::Levels::Match. {=Land tax -> local =VAT -> republican}\n\nQ {T}"
    )
    assert len(questions) == 1
    assert [(p.position, p.qtype, p.fatal) for p in problems] == [
        ("line 1", "description", False),
        ("line 3", "matching", False),
    ]


def test_gift_category_lines_with_and_without_the_course_prefix():
    questions, problems = parse_gift(
        "$CATEGORY: $course$/top/Budget/Revenue\n\nQ1 {T}\n\n$CATEGORY: Budget\n\nQ2 {T}"
    )
    assert problems == []
    assert [q.category for q in questions] == ["Budget/Revenue", "Budget"]


# Moodle XML -----------------------------------------------------------------------------


def quiz(*questions: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><quiz>' + "".join(questions) + "</quiz>"
    ).encode()


def choice_xml(body: str = "", answers: str = "", text_format: str = "html") -> str:
    answers = answers or (
        '<answer fraction="100"><text>Land tax</text></answer>'
        '<answer fraction="0"><text>VAT</text></answer>'
    )
    return (
        '<question type="multichoice"><name><text>Q</text></name>'
        f'<questiontext format="{text_format}"><text>Which is local?</text></questiontext>'
        f"{body}{answers}</question>"
    )


def xml_one(data: bytes) -> ParsedQuestion:
    questions, problems = parse_moodle_xml(data)
    assert problems == []
    assert len(questions) == 1
    return questions[0]


def test_xml_question_text_in_cdata_keeps_its_html():
    question = xml_one(
        quiz(
            '<question type="essay"><name><text>Plan</text></name>'
            '<questiontext format="html"><text><![CDATA[<p>Write <b>a plan</b> & a budget.</p>]]>'
            "</text></questiontext></question>"
        )
    )
    assert question.text == "<p>Write <b>a plan</b> & a budget.</p>"


@pytest.mark.parametrize(
    ("text_format", "html"),
    [
        ("html", "Which is local?"),
        ("moodle_auto_format", "<p>Which is local?</p>"),
        ("plain_text", "<p>Which is local?</p>"),
        ("markdown", "<p>Which is local?</p>"),
    ],
)
def test_xml_format_attributes_on_the_question_text(text_format, html):
    assert xml_one(quiz(choice_xml(text_format=text_format))).text == html


def test_xml_fraction_decimals_for_thirds():
    answers = (
        "".join(
            f'<answer fraction="{weight}"><text>{text}</text></answer>'
            for weight, text in [("33.33333", "a"), ("33.33333", "b"), ("33.33333", "c")]
        )
        + '<answer fraction="-50"><text>d</text></answer>'
    )
    question = xml_one(quiz(choice_xml("<single>false</single>", answers)))
    assert question.type == MULTIPLE
    assert sum(c.fraction for c in question.choices if c.fraction > 0) == 1
    assert question.choices[-1].fraction == Decimal("-0.5")


@pytest.mark.parametrize(
    ("value", "shuffled"), [("1", True), ("true", True), ("0", False), ("false", False)]
)
def test_xml_shuffleanswers_as_number_or_word(value, shuffled):
    body = f"<shuffleanswers>{value}</shuffleanswers>"
    assert xml_one(quiz(choice_xml(body))).shuffle_choices is shuffled


@pytest.mark.parametrize(
    ("value", "kind"), [("true", SINGLE), ("1", SINGLE), ("false", MULTIPLE), ("0", MULTIPLE)]
)
def test_xml_single_as_word_or_number(value, kind):
    answers = (
        '<answer fraction="50"><text>a</text></answer>'
        '<answer fraction="50"><text>b</text></answer>'
        '<answer fraction="100"><text>c</text></answer>'
    )
    if kind == MULTIPLE:
        answers = answers.replace('fraction="100"', 'fraction="0"')
    assert xml_one(quiz(choice_xml(f"<single>{value}</single>", answers))).type == kind


def test_xml_feedback_per_answer_general_feedback_default_grade_and_penalty():
    body = (
        '<generalfeedback format="html"><text><![CDATA[<p>Land tax is local.</p>]]></text>'
        "</generalfeedback><defaultgrade>2.5000000</defaultgrade><penalty>0.3333333</penalty>"
    )
    answers = (
        '<answer fraction="100"><text>Land tax</text>'
        '<feedback format="html"><text>Right.</text></feedback></answer>'
        '<answer fraction="0"><text>VAT</text>'
        '<feedback format="plain_text"><text>A republican tax.</text></feedback></answer>'
    )
    question = xml_one(quiz(choice_xml(body, answers)))
    assert question.general_feedback == "Land tax is local."
    assert question.default_mark == Decimal("2.5")
    assert [c.feedback for c in question.choices] == ["Right.", "A republican tax."]


def test_xml_category_question_with_course_path_and_info():
    questions, problems = parse_moodle_xml(
        quiz(
            '<question type="category"><category><text>$course$/top/Default for Budget/Taxes'
            '</text></category><info format="html"><text>About taxes.</text></info>'
            "<idnumber></idnumber></question>",
            choice_xml(),
        )
    )
    assert problems == []
    assert questions[0].category == "Default for Budget/Taxes"


def test_xml_tags_are_read_past():
    body = "<tags><tag><text>budget</text></tag><tag><text>taxes</text></tag></tags>"
    assert xml_one(quiz(choice_xml(body))).type == SINGLE


def test_xml_true_false_answers_in_the_teachers_language_are_true_then_false():
    question = xml_one(
        quiz(
            '<question type="truefalse"><name><text>Q</text></name>'
            "<questiontext><text>The akim is elected.</text></questiontext>"
            '<answer fraction="0"><text>Верно</text><feedback><text>No.</text></feedback></answer>'
            '<answer fraction="100"><text>Неверно</text></answer></question>'
        )
    )
    assert question.correct_bool is False
    assert question.feedback_incorrect == "No."


def test_xml_unsupported_types_are_listed_per_question():
    others = "".join(
        f'<question type="{kind}"><name><text>{kind}</text></name>'
        "<questiontext><text>T</text></questiontext></question>"
        for kind in ("matching", "multianswer", "ddwtos", "calculated", "description")
    )
    questions, problems = parse_moodle_xml(quiz(choice_xml(), others))
    assert len(questions) == 1
    assert [(p.position, p.qtype, p.fatal) for p in problems] == [
        (f"question {n}", kind, False)
        for n, kind in enumerate(
            ("matching", "multianswer", "ddwtos", "calculated", "description"), start=2
        )
    ]


# Embedded files -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def embedded():
    with translation.override("en"):
        return read_file(FILES / "embedded_files.xml", "moodle-xml")


def test_xml_pictures_are_read_with_the_question_and_problems_listed(embedded):
    questions, problems = embedded
    assert [(q.name, sorted(q.images)) for q in questions] == [
        ("District map", ["district map.png"]),
        ("Broken files", ["sub/seal.png"]),
        ("Old picture", ["maps_lake.gif"]),
    ]
    assert all(not p.fatal and not p.skips for p in problems)
    reasons = [(p.position, p.reason.split(" not imported ")[0]) for p in problems]
    assert reasons == [
        ("question 2", "file “seal.png”"),  # in a feedback
        ("question 3", "file “broken.png”"),  # not base64
        ("question 3", "file “report.png”"),  # not a picture
        ("question 3", "file “unused.png”"),  # the text does not show it
        ("question 3", "file “missing.png”"),  # not in the file
    ]
    assert "plain text" in problems[0].reason
    assert "not valid base64" in problems[1].reason
    assert "image" in problems[2].reason
    assert "does not show it" in problems[3].reason
    assert "not in the question" in problems[4].reason


def test_xml_pictures_that_cannot_be_shown_leave_the_text(embedded):
    questions, _problems = embedded
    text = questions[1].text
    assert "broken.png" not in text and "report.png" not in text and "missing.png" not in text
    assert 'src="@@PLUGINFILE@@/sub/seal.png"' in text


@pytest.mark.django_db
def test_xml_imported_pictures_become_library_images_shown_in_the_text(embedded):
    questions, problems = embedded
    root = Category.objects.create(name="Maps")
    report = import_questions(parsed=questions, problems=problems, root_category=root)
    assert (report.imported, report.skipped, len(report.problems)) == (3, 0, 5)
    images = get_image_model().objects.order_by("pk")
    assert [image.title for image in images] == [
        "District map – district map.png",
        "Broken files – seal.png",
        "Old picture – maps_lake.gif",
    ]
    by_name = {q.name: q for q in Question.objects.all()}
    text = by_name["District map"].text
    url = images[0].get_rendition(RENDITION).url
    assert f'<img src="{url}" alt="District map">' in text
    assert "@@PLUGINFILE@@" not in "".join(q.text for q in by_name.values())
    # What the sanitiser keeps is what was saved: the link survives cleaning again.
    assert clean_question_html(text) == text


@pytest.mark.django_db
def test_xml_a_dry_run_saves_no_picture(embedded):
    questions, problems = embedded
    root = Category.objects.create(name="Maps")
    report = import_questions(parsed=questions, problems=problems, root_category=root, dry_run=True)
    assert report.imported == 3
    assert not get_image_model().objects.exists()


@pytest.mark.parametrize(
    ("setting", "value"),
    [("WAGTAILIMAGES_MAX_UPLOAD_SIZE", 10), ("WAGTAILIMAGES_MAX_IMAGE_PIXELS", 5)],
)
def test_xml_pictures_over_the_library_caps_are_listed(settings, setting, value):
    setattr(settings, setting, value)
    questions, problems = read_file(FILES / "embedded_files.xml", "moodle-xml")
    assert questions[0].images == {}
    assert questions[0].name == "District map"
    assert any(p.position == "question 2" and "district map.png" in p.reason for p in problems)
    assert "<img" not in questions[0].text


@pytest.mark.django_db
def test_xml_file_notes_reach_the_import_report_without_counting_as_skipped(
    django_capture_on_commit_callbacks,
):
    trainer = UserFactory(groups=["Trainers"])
    with django_capture_on_commit_callbacks(execute=True):
        run = imports.question_import_start(
            user=trainer,
            file_name="maps.xml",
            data=(FILES / "embedded_files.xml").read_bytes(),
            format="moodle-xml",
            category_path="Bank/Maps",
        )
    run.refresh_from_db()
    assert (run.questions_found, run.questions_skipped) == (3, 0)
    assert [(p["position"], p["skips"]) for p in run.problems] == [
        ("question 2", False),
        ("question 3", False),
        ("question 3", False),
        ("question 3", False),
        ("question 3", False),
    ]
    # The run's page shows each note as the parser wrote it.
    assert str(ParseProblem(**run.problems[0])).startswith(
        "question 2 (truefalse): file “seal.png”"
    )


# Files the text links to ------------------------------------------------------------------


@pytest.fixture(scope="module")
def linked():
    with translation.override("en"):
        return read_file(FILES / "embedded_documents.xml", "moodle-xml")


def test_xml_files_a_text_links_to_are_documents_when_the_library_would_take_them(linked):
    [question], problems = linked
    assert sorted(question.documents) == ["budget plan.xlsx", "rules.pdf"]
    assert sorted(question.images) == ["seal.png"]
    reasons = {p.reason.split("”")[0].split("“")[1]: p.reason for p in problems}
    assert set(reasons) == {"virus.pdf", "setup.exe"}
    assert "its content is not a pdf file" in reasons["virus.pdf"]  # a program named .pdf
    assert "only pictures and" in reasons["setup.exe"]
    assert all(not p.fatal and not p.skips for p in problems)
    # The links to files left out are unlinked; their words stay.
    assert "virus.pdf" not in question.text and "setup.exe" not in question.text
    assert "not this" in question.text and "or that" in question.text


@pytest.mark.django_db
def test_xml_linked_documents_are_saved_and_the_links_point_at_them(linked):
    questions, problems = linked
    root = Category.objects.create(name="Files")
    import_questions(parsed=questions, problems=problems, root_category=root)
    documents = {d.title: d for d in get_document_model().objects.all()}
    assert set(documents) == {"Budget rules – rules.pdf", "Budget rules – budget plan.xlsx"}
    text = Question.objects.get().text
    assert f'<a href="{documents["Budget rules – rules.pdf"].url}">the rules</a>' in text
    assert f'href="{documents["Budget rules – budget plan.xlsx"].url}"' in text
    assert "@@PLUGINFILE@@" not in text
    assert clean_question_html(text) == text


@pytest.mark.django_db
def test_a_failed_import_leaves_no_picture_or_document_file_behind(linked, monkeypatch):
    questions, problems = linked
    root = Category.objects.create(name="Files")
    saved = []
    real_save = default_storage.save

    def save(name, *args, **kwargs):
        saved.append(real_save(name, *args, **kwargs))
        return saved[-1]

    monkeypatch.setattr(default_storage, "save", save)

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Question.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        import_questions(parsed=questions, problems=problems, root_category=root)
    assert saved  # pictures, renditions and documents were written before the failure
    assert [name for name in saved if default_storage.exists(name)] == []
    assert not get_image_model().objects.exists() and not get_document_model().objects.exists()
