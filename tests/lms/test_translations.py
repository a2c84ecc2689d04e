"""The Kazakh and Russian catalogues: complete, well-formed and compiled.

Generic on purpose: it reads whatever ``<app>/locale/<lang>/LC_MESSAGES/django.po``
files exist, so strings added later are checked without touching this file. After
``make messages`` fill in every new msgstr and commit the .po and .mo files together.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("kk", "ru")
PLURAL_FORMS = {
    "kk": "nplurals=2; plural=(n!=1);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);",
}
NPLURALS = {"kk": 2, "ru": 3}

# Python %-style placeholders: %(name)s, %s, %d, %.2f... ("%%" is a literal percent).
PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]"
)


def _catalogue_paths() -> list[Path]:
    """Every app's django.po, and a project-wide ./locale if there is one.

    Only top-level directories are searched, so the virtualenv's packages never are.
    """
    paths = sorted(ROOT.glob("locale/*/LC_MESSAGES/django.po"))
    for app_dir in sorted(ROOT.iterdir()):
        if not app_dir.is_dir() or app_dir.name.startswith((".", "_")):
            continue
        paths += sorted(app_dir.glob("locale/*/LC_MESSAGES/django.po"))
    return paths


CATALOGUES = _catalogue_paths()


def _app(path: Path) -> str:
    """The app owning ``<app>/locale/<lang>/LC_MESSAGES/django.po`` ("." for ./locale)."""
    return str(path.parents[3].relative_to(ROOT))


def _language(path: Path) -> str:
    return path.parents[1].name


def _label(path: Path) -> str:
    return f"{_app(path)}-{_language(path)}"


def _entries(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete]


def _placeholders(text: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """Named placeholders as a set, positional ones in order (they cannot be reordered)."""
    named, positional = set(), []
    for match in PLACEHOLDER.finditer(text):
        if match.group() == "%%":
            continue
        if match.group("name") is not None:
            named.add(match.group())
        else:
            positional.append(match.group())
    return frozenset(named), tuple(positional)


def _translations(po: polib.POFile | polib.MOFile) -> dict[tuple, str | tuple[str, ...]]:
    """{(msgctxt, msgid): msgstr, or the tuple of plural forms} of the translated entries."""
    mapping: dict[tuple, str | tuple[str, ...]] = {}
    for entry in po.translated_entries():
        key = (entry.msgctxt, entry.msgid, entry.msgid_plural or None)
        if entry.msgid_plural:
            mapping[key] = tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
        else:
            mapping[key] = entry.msgstr
    return mapping


def _normalise(value: str) -> str:
    return re.sub(r"\s+", "", value)


catalogues = pytest.mark.parametrize("path", CATALOGUES, ids=[_label(p) for p in CATALOGUES])


def test_catalogues_exist():
    assert CATALOGUES, "no <app>/locale/<lang>/LC_MESSAGES/django.po found"


def test_every_app_has_both_languages():
    """Apps only: ./locale fills gaps in Django's own catalogues, so one language may do."""
    languages_by_app: dict[str, set[str]] = defaultdict(set)
    for path in CATALOGUES:
        if _app(path) != ".":
            languages_by_app[_app(path)].add(_language(path))
    missing = {
        app: sorted(set(LANGUAGES) - found)
        for app, found in languages_by_app.items()
        if set(LANGUAGES) - found
    }
    assert not missing, f"apps missing a catalogue (run `make messages`): {missing}"


@catalogues
def test_header(path: Path):
    po = polib.pofile(str(path))
    language = _language(path)
    assert not po.metadata_is_fuzzy, "the header is still marked fuzzy"
    assert po.metadata.get("Language") == language
    assert "charset=UTF-8" in po.metadata.get("Content-Type", "")
    plural_forms = _normalise(po.metadata.get("Plural-Forms", ""))
    assert plural_forms == _normalise(PLURAL_FORMS[language]), plural_forms


@catalogues
def test_every_entry_is_translated(path: Path):
    po = polib.pofile(str(path))
    nplurals = NPLURALS[_language(path)]
    fuzzy = [entry.msgid for entry in _entries(po) if "fuzzy" in entry.flags]
    untranslated = []
    for entry in _entries(po):
        if entry.msgid_plural:
            forms = [entry.msgstr_plural.get(i, "") for i in range(nplurals)]
            if not all(forms) or len(entry.msgstr_plural) != nplurals:
                untranslated.append(entry.msgid)
        elif not entry.msgstr:
            untranslated.append(entry.msgid)
    assert not (fuzzy or untranslated), (
        f"in {path.relative_to(ROOT)}: fuzzy {fuzzy}, untranslated {untranslated}"
    )


@catalogues
def test_placeholders_are_kept(path: Path):
    po = polib.pofile(str(path))
    problems = []
    for entry in po.translated_entries():
        source = entry.msgid + ("\n" + entry.msgid_plural if entry.msgid_plural else "")
        expected_named, expected_positional = _placeholders(source)
        if entry.msgid_plural:
            # Positional placeholders repeat across the singular and plural msgid.
            expected_positional = _placeholders(entry.msgid_plural)[1]
            translations = list(entry.msgstr_plural.values())
        else:
            translations = [entry.msgstr]
        for translated in translations:
            named, positional = _placeholders(translated)
            if named != expected_named or positional != expected_positional:
                problems.append((entry.msgid, translated))
    assert not problems, f"placeholders differ in {path.relative_to(ROOT)}: {problems}"


@catalogues
def test_compiled_catalogue_is_in_sync(path: Path):
    mo_path = path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path.relative_to(ROOT)} missing: run compilemessages"
    po, mo = polib.pofile(str(path)), polib.mofile(str(mo_path))
    assert _translations(mo) == _translations(po), (
        f"{mo_path.relative_to(ROOT)} is stale: run "
        "`.venv/bin/python manage.py compilemessages --ignore .venv` and commit it"
    )
    assert _normalise(mo.metadata.get("Plural-Forms", "")) == _normalise(
        po.metadata.get("Plural-Forms", "")
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_same_msgid_translated_alike_in_every_app(language: str):
    """Django merges the apps' catalogues and the first app wins: a different
    translation of the same msgid in a later app would never be shown."""
    seen: dict[tuple, tuple[str, object]] = {}
    conflicts = []
    for path in CATALOGUES:
        if _language(path) != language:
            continue
        for key, value in _translations(polib.pofile(str(path))).items():
            if key in seen and seen[key][1] != value:
                conflicts.append((key[1], seen[key][0], _app(path)))
            seen.setdefault(key, (_app(path), value))
    assert not conflicts, f"same msgid, different {language} translations: {conflicts}"


@pytest.mark.parametrize(("language", "expected"), [("kk", "Кіру"), ("ru", "Войти")], ids=LANGUAGES)
def test_django_serves_the_catalogue(language: str, expected: str):
    po = polib.pofile(str(ROOT / "lms" / "locale" / language / "LC_MESSAGES" / "django.po"))
    assert po.find("Sign in").msgstr == expected
    with translation.override(language):
        assert translation.gettext("Sign in") == expected
        assert str(settings.WAGTAIL_SITE_NAME) == po.find("Akim Academy").msgstr


@pytest.mark.parametrize("language", LANGUAGES)
def test_django_serves_every_entry(language: str):
    """Every translation is what Django returns: compiled, loaded, not shadowed."""
    wrong = []
    with translation.override(language):
        for path in CATALOGUES:
            if _language(path) != language:
                continue
            po = polib.pofile(str(path))
            for entry in po.translated_entries():
                if entry.msgid_plural:
                    # Counts that cover every form of both languages' plural rules.
                    for n in (0, 1, 2, 5, 11, 21, 22, 112):
                        form = _plural_index(language, n)
                        if entry.msgctxt:
                            got = translation.npgettext(
                                entry.msgctxt, entry.msgid, entry.msgid_plural, n
                            )
                        else:
                            got = translation.ngettext(entry.msgid, entry.msgid_plural, n)
                        if got != entry.msgstr_plural[form]:
                            wrong.append((entry.msgid, n, got))
                else:
                    if entry.msgctxt:
                        got = translation.pgettext(entry.msgctxt, entry.msgid)
                    else:
                        got = translation.gettext(entry.msgid)
                    if got != entry.msgstr:
                        wrong.append((entry.msgid, got))
    assert not wrong, f"Django returns other {language} text for: {wrong}"


def _plural_index(language: str, n: int) -> int:
    if language == "ru":
        if n % 10 == 1 and n % 100 != 11:
            return 0
        if 2 <= n % 10 <= 4 and (n % 100 < 10 or n % 100 >= 20):
            return 1
        return 2
    return 0 if n == 1 else 1
