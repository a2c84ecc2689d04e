"""Certificate numbers: generation, formatting, normalisation and the mod-37 check."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certification.numbers import (
    ALPHABET,
    BODY_LENGTH,
    CHECK_ALPHABET,
    CHECK_CHARACTERS,
    LENGTH,
    check_character,
    check_value,
    format_number,
    is_valid,
    new_number,
    normalise,
    parse,
)

EXAMPLE = "M1ZNP56WMY0XA"
EXAMPLE_FORMATTED = "M1ZN-P56W-MY0X-A"


@st.composite
def valid_numbers(draw: st.DrawFn) -> str:
    """Valid canonical numbers, as new_number would issue them (alphanumeric check)."""
    body = draw(st.text(alphabet=ALPHABET, min_size=BODY_LENGTH, max_size=BODY_LENGTH))
    check = check_character(body)
    if check not in CHECK_CHARACTERS:
        # Swap the last body character for one giving an alphanumeric check.
        for char in ALPHABET:
            candidate = body[:-1] + char
            if check_character(candidate) in CHECK_CHARACTERS:
                body, check = candidate, check_character(candidate)
                break
    return body + check


def allowed_at(position: int) -> str:
    return ALPHABET if position < BODY_LENGTH else CHECK_CHARACTERS


# Generation


def test_example_number_is_valid():
    assert is_valid(EXAMPLE)
    assert check_character(EXAMPLE[:BODY_LENGTH]) == "A"


def test_new_numbers_are_valid():
    numbers = [new_number() for _ in range(1000)]
    for number in numbers:
        assert len(number) == LENGTH
        assert all(char in ALPHABET for char in number[:BODY_LENGTH])
        assert number[-1] in CHECK_CHARACTERS
        assert is_valid(number)
        assert parse(number) == number
    assert len(set(numbers)) == len(numbers)


def test_new_numbers_never_carry_symbol_check_characters(monkeypatch):
    # Force bodies whose check values are 32..35 first: each must be regenerated.
    symbol_bodies = []
    for value in range(32 * 32):
        body = "0" * (BODY_LENGTH - 2) + ALPHABET[value // 32] + ALPHABET[value % 32]
        if 32 <= check_value(body) <= 35:
            symbol_bodies.append(body)
    assert {check_character(body) for body in symbol_bodies} == set("*~$=")
    good_body = "0" * BODY_LENGTH
    chars = iter("".join(symbol_bodies) + good_body)
    monkeypatch.setattr("certification.numbers.secrets.choice", lambda _alphabet: next(chars))
    assert new_number() == good_body + "0"


def test_check_value_36_is_written_u_and_accepted():
    body = next(
        "0" * (BODY_LENGTH - 2) + a + b
        for a in ALPHABET
        for b in ALPHABET
        if check_value("0" * (BODY_LENGTH - 2) + a + b) == 36
    )
    assert check_character(body) == "U"
    assert is_valid(body + "U")
    assert parse(body.lower() + "u") == body + "U"


def test_check_alphabet():
    assert CHECK_ALPHABET == "0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U"
    assert len(CHECK_ALPHABET) == 37
    assert all(char.isalnum() for char in CHECK_CHARACTERS)


def test_check_character_rejects_non_base32():
    with pytest.raises(ValueError):
        check_character("M1ZNP56WMY0U")


# Formatting and normalising


def test_format_number():
    assert format_number(EXAMPLE) == EXAMPLE_FORMATTED


@given(valid_numbers())
def test_format_normalise_round_trip(number):
    formatted = format_number(number)
    assert [len(group) for group in formatted.split("-")] == [4, 4, 4, 1]
    assert normalise(formatted) == number
    assert parse(formatted) == number
    assert normalise(number) == number


@pytest.mark.parametrize(
    "text",
    [
        "M1ZNP56WMY0XA",
        "m1znp56wmy0xa",
        "M1ZN-P56W-MY0X-A",
        "m1zn-p56w-my0x-a",
        " M1ZN P56W MY0X A ",
        "M1ZN\u2013P56W\u2013MY0X\u2013A",  # en dashes
        "M1ZN\u00a0P56W\u00a0MY0X\u00a0A",  # no-break spaces
        "M1ZN\tP56W\nMY0X A",
        "M1ZN.P56W.MY0X.A",
        "MIZN-P56W-MYOX-A",  # I for 1, O for 0
        "MLZN-P56W-MYoX-A",  # L for 1, lower-case o for 0
        "mizn-p56w-myox-a",
        "\u041c1ZN-\u042056W-\u041cY\u041e\u0425-\u0410",  # Cyrillic М Р М О Х А
        "\u043c1zn-\u044056w-\u043cy\u043e\u0445-\u0430",  # lower-case Cyrillic м р м о х а
        "\u041c\u0406ZN-P56W-MY0X-A",  # Kazakh І for 1
        "\uff2d\uff11\uff3a\uff2e-P56W-MY0X-A",  # full-width
    ],
)
def test_normalisation_tolerances(text):
    assert normalise(text) == EXAMPLE
    assert parse(text) == EXAMPLE


def test_cyrillic_look_alikes():
    cyrillic = "\u0410\u0412\u0415\u041a\u041c\u041d\u041e\u0420\u0421\u0422\u0425"
    latin = "ABEKMH0PCTX"  # Cyrillic О is read as zero
    last = next(c for c in ALPHABET if check_character(latin + c) in CHECK_CHARACTERS)
    number = latin + last + check_character(latin + last)
    assert normalise(cyrillic + last + number[-1]) == number
    assert normalise(cyrillic.lower() + last.lower() + number[-1].lower()) == number
    assert parse(cyrillic + last + number[-1]) == number


@pytest.mark.parametrize(
    "text",
    [
        "",
        "M1ZNP56WMY0X",  # too short
        "M1ZNP56WMY0XAA",  # too long
        "M1ZN-P56W-MY0X",
        "M1ZNP56WMU0XA",  # U in the body
        "M1ZNP56WMY0X*",  # symbol check characters are never issued
        "M1ZNP56WMY0X~",
        "M1ZNP56WMY0X$",
        "M1ZNP56WMY0X=",
        "M1ZNP56WMY0X#",
        "M1ZNP56WMY0X!",
        "M1\u0396NP56WMY0XA",  # Greek capital zeta is not a look-alike we accept
        "M1ZNP56WMY0X\u00c4",
    ],
)
def test_normalise_rejects(text):
    assert normalise(text) is None
    assert parse(text) is None


def test_parse_rejects_wrong_check_character():
    assert normalise("M1ZN-P56W-MY0X-B") == "M1ZNP56WMY0XB"
    assert parse("M1ZN-P56W-MY0X-B") is None


@pytest.mark.parametrize(
    "text",
    ["m1znp56wmy0xa", "M1ZN-P56W-MY0X-A", "MIZNP56WMY0XA", "M1ZNP56WMY0X", "M1ZNP56WMY0X*"],
)
def test_is_valid_accepts_only_canonical_form(text):
    assert not is_valid(text)


# Error detection


@given(valid_numbers())
def test_every_substitution_is_detected(number):
    assert is_valid(number)
    for position in range(LENGTH):
        for char in allowed_at(position):
            if char != number[position]:
                changed = number[:position] + char + number[position + 1 :]
                assert not is_valid(changed), (number, changed)


@given(valid_numbers())
def test_every_adjacent_transposition_is_detected(number):
    # Includes swapping the last body character with the check character.
    for position in range(LENGTH - 1):
        a, b = number[position], number[position + 1]
        if a != b:
            swapped = number[:position] + b + a + number[position + 2 :]
            assert not is_valid(swapped), (number, swapped)
