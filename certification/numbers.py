"""Certificate numbers: random Crockford Base32 bodies with a mod-37 check character.

A certificate number is 13 characters in its canonical form: a 12-character body drawn
from Crockford's Base32 alphabet with :mod:`secrets` (60 random bits), followed by one
check character. The check character is the body's integer value modulo 37, written with
Crockford's check-symbol alphabet, which extends the Base32 alphabet with ``* ~ $ = U``
for the values 32 to 36.

People read these numbers aloud, type them from paper and paste them from e-mails, so the
check symbols ``* ~ $ =`` (values 32 to 35) would be a nuisance. :func:`new_number`
therefore regenerates the rare bodies (4 in 37) whose check value would be one of them.
Value 36 is written ``U``, which is alphanumeric, so it is kept: a check character is
always one of the 32 Base32 characters or ``U``.

Because 37 is prime and larger than every digit value, the check detects every
single-character substitution, and every transposition of two adjacent different
characters, including a swap of the last body character with the check character.

For display the canonical form is split into groups of four (``M1ZN-P56W-MY0X-A``).
:func:`parse` turns whatever a person typed into the canonical form, or ``None`` when it
is not a valid number; it is meant to run before any database lookup, so that a typo
caught by the check character never reaches the database.
"""

from __future__ import annotations

import secrets
import unicodedata

__all__ = [
    "ALPHABET",
    "BODY_LENGTH",
    "CHECK_ALPHABET",
    "CHECK_CHARACTERS",
    "LENGTH",
    "check_character",
    "check_value",
    "format_number",
    "is_valid",
    "new_number",
    "normalise",
    "parse",
]

#: Crockford's Base32 alphabet (no I, L, O or U).
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
#: Crockford's check-symbol alphabet: value ``n`` (0 to 36) is written ``CHECK_ALPHABET[n]``.
CHECK_ALPHABET = ALPHABET + "*~$=U"
#: The check characters a certificate number may carry: the alphanumeric check symbols.
CHECK_CHARACTERS = ALPHABET + "U"

BODY_LENGTH = 12
LENGTH = BODY_LENGTH + 1
GROUP = 4
CHECK_MODULUS = 37

_VALUES = {char: value for value, char in enumerate(ALPHABET)}

# Characters read as another one: Crockford's confusables, and Cyrillic letters that look
# like Latin ones (Russian and Kazakh keyboard layouts). Cyrillic O is read as the digit
# zero, as Latin O is. Applied after upper-casing, so lower case is covered too.
_LOOK_ALIKES = str.maketrans(
    {
        "I": "1",
        "L": "1",
        "O": "0",
        "\u0410": "A",  # А
        "\u0412": "B",  # В
        "\u0415": "E",  # Е
        "\u041a": "K",  # К
        "\u041c": "M",  # М
        "\u041d": "H",  # Н
        "\u041e": "0",  # О
        "\u0420": "P",  # Р
        "\u0421": "C",  # С
        "\u0422": "T",  # Т
        "\u0425": "X",  # Х
        "\u0406": "1",  # І (Kazakh, Ukrainian, Belarusian), looks like Latin I
        "\u04ae": "Y",  # Ү (Kazakh straight U), looks like Latin Y
    }
)

# Separators dropped in addition to whitespace and dashes (Unicode category Pd).
_SEPARATORS = frozenset("._/\\,:;'\"`")
# Unicode categories dropped: dashes, format characters (zero-width space, soft hyphen...),
# and space separators (covers no-break spaces, also after NFKC).
_SEPARATOR_CATEGORIES = frozenset({"Pd", "Cf", "Zs", "Zl", "Zp"})


def check_value(body: str) -> int:
    """Return the check value (0 to 36) of a canonical body: its Base32 value mod 37.

    Raises :class:`ValueError` if ``body`` contains a character outside :data:`ALPHABET`.
    """
    value = 0
    for char in body:
        try:
            value = value * 32 + _VALUES[char]
        except KeyError:
            raise ValueError(f"not a Crockford Base32 character: {char!r}") from None
    return value % CHECK_MODULUS


def check_character(body: str) -> str:
    """Return the check character of a canonical body, from :data:`CHECK_ALPHABET`.

    This may be one of ``* ~ $ =`` for bodies :func:`new_number` would never issue.
    Raises :class:`ValueError` if ``body`` contains a character outside :data:`ALPHABET`.
    """
    return CHECK_ALPHABET[check_value(body)]


def new_number() -> str:
    """Return a new random certificate number in canonical form (13 characters).

    Bodies whose check character would be ``*``, ``~``, ``$`` or ``=`` are regenerated,
    so the check character is always alphanumeric (one of :data:`CHECK_CHARACTERS`).
    Uniqueness is not guaranteed here: the caller relies on a unique database constraint.
    """
    while True:
        body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
        check = check_character(body)
        if check in CHECK_CHARACTERS:
            return body + check


def format_number(number: str) -> str:
    """Return a canonical number in groups of four for display: ``M1ZN-P56W-MY0X-A``."""
    return "-".join(number[i : i + GROUP] for i in range(0, len(number), GROUP))


def _is_separator(char: str) -> bool:
    return (
        char in _SEPARATORS or char.isspace() or unicodedata.category(char) in _SEPARATOR_CATEGORIES
    )


def normalise(text: str) -> str | None:
    """Return ``text`` as a 13-character canonical number, or ``None`` if it cannot be one.

    Tolerates lower case, spaces (including no-break spaces), hyphens and other dashes or
    separators, full-width characters, Crockford's confusables (I and L read as 1, O as 0)
    and Cyrillic look-alikes (А В Е К М Н О Р С Т Х, and Kazakh І Ү; Cyrillic О is read
    as zero). The result has 12 characters of :data:`ALPHABET` followed by one of
    :data:`CHECK_CHARACTERS`; the check character itself is not verified (see
    :func:`parse`).
    """
    text = unicodedata.normalize("NFKC", text).upper().translate(_LOOK_ALIKES)
    canonical = "".join(char for char in text if not _is_separator(char))
    if len(canonical) != LENGTH:
        return None
    body, check = canonical[:BODY_LENGTH], canonical[BODY_LENGTH:]
    if check not in CHECK_CHARACTERS or any(char not in _VALUES for char in body):
        return None
    return canonical


def is_valid(canonical: str) -> bool:
    """Return whether a canonical number is well formed and its check character matches.

    Only the canonical form is accepted (no separators, upper case, no look-alikes); use
    :func:`parse` for user input.
    """
    if len(canonical) != LENGTH:
        return False
    body, check = canonical[:BODY_LENGTH], canonical[BODY_LENGTH:]
    if check not in CHECK_CHARACTERS or any(char not in _VALUES for char in body):
        return False
    return check_character(body) == check


def parse(text: str) -> str | None:
    """Return the canonical number typed in ``text``, or ``None`` if it is not valid.

    Combines :func:`normalise` and :func:`is_valid`; call it before looking a number up in
    the database, so a mistyped number is rejected without a query.
    """
    canonical = normalise(text)
    if canonical is None or not is_valid(canonical):
        return None
    return canonical
