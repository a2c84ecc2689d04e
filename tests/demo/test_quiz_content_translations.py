"""The demo tests in Kazakh and English: NAME.kk.gift and NAME.en.gift are the Russian
NAME.gift question for question, and the yaml files give every text a kk and an en sibling.

No database: the files are only parsed.
"""

import re
from pathlib import Path

import pytest
import yaml

from demo.quizzes import CONTENT, manifest, quiz_questions
from quizzes.grading import short_answer_matches
from quizzes.interchange import NUMERIC, SHORT
from quizzes.interchange.gift import parse_gift

LANGUAGES = ("kk", "en")
KAZAKH_LETTERS = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
CYRILLIC = re.compile("[\u0400-\u04ff]")
LATIN = re.compile("[A-Za-z]")
# Answers that are the same word in Kazakh and Russian.
SAME_IN_KAZAKH = {"Аукцион", "Конкурс"}
# The yaml keys whose values people read; scales is a list of such texts.
TEXT_KEYS = {"bank", "title", "category", "feedback_correct", "feedback_incorrect", "text"}
LIST_KEYS = {"scales"}

RUSSIAN_FILES = sorted(path.name for path in CONTENT.glob("*.gift") if path.name.count(".") == 1)


def _parsed(path: Path) -> list:
    questions, problems = parse_gift(path.read_text(encoding="utf-8"))
    assert not problems, f"{path.name}: {problems}"
    return questions


def _texts(question) -> list[str]:
    """Everything a learner reads in a question, besides the accepted short answers."""
    texts = [question.text, question.general_feedback]
    texts += [question.feedback_correct, question.feedback_incorrect]
    for choice in question.choices:
        texts += [choice.text, choice.feedback]
    texts += [answer.feedback for answer in question.accepted]
    return [text for text in texts if text]


def test_every_quiz_file_is_in_the_manifest():
    assert RUSSIAN_FILES == sorted(entry["file"] for entry in manifest()["quizzes"])
    assert len(RUSSIAN_FILES) == 12


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", RUSSIAN_FILES)
def test_translated_file_has_the_same_questions_and_answers(name, language):
    russian = _parsed(CONTENT / name)
    translated = _parsed(CONTENT / name.replace(".gift", f".{language}.gift"))
    # The name is the question's identity in the bank: byte-identical, in Russian.
    assert [q.name for q in translated] == [q.name for q in russian]
    for ours, theirs in zip(translated, russian, strict=True):
        assert (ours.type, ours.category, ours.text_format, ours.correct_bool) == (
            theirs.type,
            theirs.category,
            theirs.text_format,
            theirs.correct_bool,
        ), ours.name
        assert [c.fraction for c in ours.choices] == [c.fraction for c in theirs.choices]
        assert [(a.fraction, a.tolerance) for a in ours.accepted] == [
            (a.fraction, a.tolerance) for a in theirs.accepted
        ], ours.name
        if ours.type == NUMERIC:
            assert [a.text for a in ours.accepted] == [a.text for a in theirs.accepted]
        assert bool(ours.general_feedback) == bool(theirs.general_feedback), ours.name


@pytest.mark.parametrize("name", RUSSIAN_FILES)
def test_kazakh_texts_are_kazakh(name):
    russian = _parsed(CONTENT / name)
    kazakh = _parsed(CONTENT / name.replace(".gift", ".kk.gift"))
    for ours, theirs in zip(kazakh, russian, strict=True):
        assert KAZAKH_LETTERS.search(ours.text), ours.name
        assert ours.text != theirs.text, ours.name
        if theirs.general_feedback:
            assert KAZAKH_LETTERS.search(ours.general_feedback), ours.name
            assert ours.general_feedback != theirs.general_feedback, ours.name
        for choice, source in zip(ours.choices, theirs.choices, strict=True):
            assert choice.text != source.text or source.text in SAME_IN_KAZAKH, choice.text
        if ours.choices:
            assert KAZAKH_LETTERS.search(" ".join(c.text for c in ours.choices)), ours.name
        for text in _texts(ours):
            assert "\\" not in text, text  # a GIFT escape left unread


@pytest.mark.parametrize("name", RUSSIAN_FILES)
def test_english_texts_are_latin(name):
    for question in _parsed(CONTENT / name.replace(".gift", ".en.gift")):
        for text in _texts(question) + [answer.text for answer in question.accepted]:
            assert not CYRILLIC.search(text), text
            assert "\\" not in text, text
        assert LATIN.search(question.text), question.name


def test_translated_short_answers_accept_the_translated_answer():
    """A learner types the answer in the language of the test; the wildcards allow it."""
    typed = {
        "М1. Проект обновления инфраструктуры сёл": {"kk": "Ауыл – Ел бесігі", "en": "El Besigi"},
        "М3. Уровень бюджета села": {"kk": "төртінші", "en": "the fourth"},
        "М5. Управление объектом с сохранением назначения": {
            "kk": "сенімгерлік басқару",
            "en": "Trust management",
        },
        "М6. Незарегистрированные дома и участки": {"kk": "есепке алынбаған", "en": "unrecorded"},
        "М7. Суд для обжалования решений": {"kk": "Әкімшілік сот", "en": "administrative court"},
        "Экзамен. Принцип наименее обременительной меры": {
            "kk": "мөлшерлестік қағидаты",
            "en": "proportionality",
        },
    }
    for language in LANGUAGES:
        questions = {
            question.name: question
            for name in RUSSIAN_FILES
            for question in _parsed(CONTENT / name.replace(".gift", f".{language}.gift"))
            if question.type == SHORT
        }
        for name, answers in typed.items():
            patterns = [a.text for a in questions[name].accepted if a.fraction == 1]
            assert any(short_answer_matches(p, answers[language]) for p in patterns), name


def _text_values(node, path="") -> list[tuple[str, dict, str]]:
    """(where, the mapping, key) for every learner-facing text in a loaded yaml file."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in TEXT_KEYS | LIST_KEYS and not isinstance(value, dict):
                found.append((f"{path}/{key}", node, key))
            else:
                found += _text_values(value, f"{path}/{key}")
    elif isinstance(node, list):
        for number, item in enumerate(node):
            found += _text_values(item, f"{path}[{number}]")
    return found


@pytest.mark.parametrize("file_name", ["quizzes.yaml", "self-assessment.yaml"])
def test_every_yaml_text_has_kazakh_and_english_siblings(file_name):
    data = yaml.safe_load((CONTENT / file_name).read_text(encoding="utf-8"))
    found = _text_values(data)
    assert len(found) > 10
    for where, mapping, key in found:
        source = mapping[key]
        for language in LANGUAGES:
            translated = mapping.get(f"{key}_{language}")
            assert translated, f"{where}_{language} is missing"
            if key in LIST_KEYS:
                assert len(translated) == len(source), where
                pairs = list(zip(translated, source, strict=True))
            else:
                pairs = [(translated, source)]
            for text, original in pairs:
                assert text != original, where
                if language == "kk":
                    # Short titles ("1-модуль бойынша тест") may need no Kazakh letter.
                    assert KAZAKH_LETTERS.search(text) or len(text.split()) <= 3, where
                else:
                    assert not CYRILLIC.search(text) and LATIN.search(text), where


@pytest.mark.parametrize("file_name", ["quizzes.yaml", "self-assessment.yaml"])
def test_no_translation_without_its_source(file_name):
    """A misspelt key (titel_kk) would be a translation nothing reads."""

    def check(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key.endswith(("_kk", "_en")):
                    assert key[:-3] in node and key[:-3] in TEXT_KEYS | LIST_KEYS, key
                check(value)
        elif isinstance(node, list):
            for item in node:
                check(item)

    check(yaml.safe_load((CONTENT / file_name).read_text(encoding="utf-8")))


def test_russian_seed_reads_the_russian_feedback_and_skips_the_translations():
    """The seeder's additions come from quizzes.yaml, which now holds _kk/_en keys too."""
    for entry in manifest()["quizzes"]:
        assert quiz_questions(entry)
    entry = manifest()["quizzes"][0]
    question = next(
        q
        for q in quiz_questions(entry)
        if q.name == "М1. Вершина системы государственного планирования"
    )
    assert question.feedback_correct == entry["questions"][question.name]["feedback_correct"]
    assert "Верно" in question.feedback_correct
