"""Unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters from a 31-symbol alphabet; the last is a check character computed from the
first 17 with fixed weights, modulo 31.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
FORBIDDEN = "IOZSV"
LENGTH = 18


def check_character(first17: str) -> str:
    """The check character for the first 17 characters (already known to be valid symbols)."""
    total = sum(VALUES[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise(value: str) -> str:
    return value.strip().upper()


def validate_credit_code(value: str) -> None:
    """Raise ValidationError saying exactly what is wrong with ``value``."""
    code = normalise(value)
    if len(code) != LENGTH:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)d.")
            % {"n": len(code)},
            code="length",
        )
    for position, ch in enumerate(code, start=1):
        if ch in FORBIDDEN:
            raise ValidationError(
                _(
                    "Character %(position)d is the letter %(ch)s, which is never used in a "
                    "credit code (I, O, Z, S and V are excluded)."
                )
                % {"position": position, "ch": ch},
                code="forbidden_letter",
            )
        if ch not in VALUES:
            raise ValidationError(
                _("Character %(position)d (%(ch)s) is not a digit or an allowed capital letter.")
                % {"position": position, "ch": ch},
                code="bad_character",
            )
    expected = check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _(
                "The check character (the 18th) should be %(expected)s, not %(actual)s: "
                "the code has a typing error."
            )
            % {"expected": expected, "actual": code[17]},
            code="checksum",
        )


def make_credit_code(first17: str) -> str:
    """Complete 17 characters with their check character (demo and benchmark data)."""
    return first17 + check_character(first17)
