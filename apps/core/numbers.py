"""One reading and one spelling of the figures a filing holds.

Figures are stored as decimal strings (never floats), so that the packet, the screen and a
reviewer's calculator agree. A stored figure is exactly the digits the person confirmed,
with only the separators taken out: "1,175,000" is stored as "1175000", "12.50" as "12.50".

Reading (``read_figure``) is strict where a guess could change a value: a comma separates
thousands and nothing else, so "12,5" is refused rather than read as 125 (or as 12.5).
What people type on a Chinese keyboard is read as they meant it: full-width digits and
punctuation, spaces of any width between thousands, the minus sign "−".
Spelling (``group_thousands``, ``format_figure``) groups thousands and pads to a unit's
precision, never rounding away a digit that was filed.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Units are stored as the Chinese the filing is written in; these are shown in their place.
UNIT_LABELS: dict[str, Promise] = {
    "万元": _("10k CNY"),
    "万元/人": _("10k CNY/person"),
}

# Decimal places a figure of the unit is shown with (a custom unit such as 项 is shown with
# the digits it was filed with). Two places everywhere: amounts in 10k CNY to the hundred
# yuan, as financial statements in 万元 print them; percentages and per-person figures to
# the hundredth, as SASAC's own statistics do.
UNIT_PLACES: dict[str, int] = {"万元": 2, "万元/人": 2, "%": 2}

# What fits: 16 digits before the point (the results table holds 20 digits, 4 after the
# point) and 6 after it. A figure with more is a typing slip, not a filed number.
MAX_WHOLE_DIGITS = 16
MAX_PLACES = 6
# Longer text is no figure (16 + 6 digits, their separators and a sign fit well within);
# refused before any pattern runs over it.
MAX_TYPED = 64

# Characters typed on a Chinese keyboard (or pasted from a document) and what they mean.
# Full-width digits and punctuation are the same characters in another width; "−" (the
# minus sign), "－" and "﹣" are minus signs. The ideographic full stop "。" and the
# enumeration comma "、" are not here: reading them as a point or a separator is a guess.
_SAME_CHARACTER = str.maketrans(
    {
        **{chr(0xFF10 + d): str(d) for d in range(10)},
        "，": ",",  # U+FF0C
        "．": ".",  # U+FF0E
        "－": "-",  # U+FF0D
        "−": "-",  # U+2212
        "﹣": "-",  # U+FE63
        # Spaces that separate thousands: no-break, figure, thin, narrow no-break,
        # ideographic (full-width).
        "\u00a0": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u3000": " ",
    }
)
_PLAIN = re.compile(r"(?P<sign>-?)(?P<whole>\d+)(?:\.(?P<fraction>\d+))?")
# Grouped: the first group one to three digits, not starting with 0 ("0,500" is a decimal
# comma, not five hundred), then groups of exactly three, one separator throughout.
_GROUPED = re.compile(
    r"(?P<sign>-?)(?P<whole>[1-9]\d{0,2}(?P<sep>[, ])\d{3}(?:(?P=sep)\d{3})*)"
    r"(?:\.(?P<fraction>\d+))?"
)
# Digits with a comma that does not group thousands: a decimal comma, refused by name.
_COMMA_TROUBLE = re.compile(r"-?[\d,]*\d,\d[\d,]*(?:\.\d+)?")


class FigureError(ValueError):
    """Typed text that is not a figure. ``code`` says why: ``decimal_comma`` (a comma
    that does not separate thousands), ``invalid``, ``whole_digits``, ``places``."""

    def __init__(self, code: str, typed: str) -> None:
        super().__init__(f"{code}: {typed!r}")
        self.code = code
        self.typed = typed


def read_figure(value: Any, *, limits: bool = True) -> str:
    """The stored spelling of a typed figure: sign, digits and point, separators taken
    out ("" for nothing typed). Raises FigureError for anything else, and (``limits``) for
    more digits than a figure may be typed with."""
    typed = "" if value is None else str(value)
    text = typed.translate(_SAME_CHARACTER).strip()
    if not text:
        return ""
    if len(text) > MAX_TYPED:
        raise FigureError("invalid", typed.strip())
    match = _PLAIN.fullmatch(text) or _GROUPED.fullmatch(text)
    if match is None:
        code = "decimal_comma" if _COMMA_TROUBLE.fullmatch(text) else "invalid"
        raise FigureError(code, typed.strip())
    whole = re.sub(r"[, ]", "", match.group("whole"))
    fraction = match.group("fraction") or ""
    if limits and len(whole.lstrip("0")) > MAX_WHOLE_DIGITS:
        raise FigureError("whole_digits", typed.strip())
    if limits and len(fraction) > MAX_PLACES:
        raise FigureError("places", typed.strip())
    sign = match.group("sign")
    return f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}"


def parse_decimal(value: Any) -> Decimal | None:
    """The Decimal of a stored (or typed) figure, read as ``read_figure`` reads it; None
    when empty or not a figure. Numbers pass through (a float by its shortest spelling)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        number = Decimal(repr(value)) if value == value else Decimal("NaN")
        return number if number.is_finite() else None
    try:
        # What is stored is read whole: the limits are for typing.
        text = read_figure(value, limits=False)
    except FigureError:
        return None
    return Decimal(text) if text else None


def same_number(a: Any, b: Any) -> bool:
    """Whether two stored values are the same figure: "1175000.00" and "1175000" are; an
    empty value equals only an empty value; text that is not a number compares as text."""
    x, y = parse_decimal(a), parse_decimal(b)
    if x is not None and y is not None:
        return x == y
    blank_a = a is None or (isinstance(a, str) and not a.strip())
    blank_b = b is None or (isinstance(b, str) and not b.strip())
    if blank_a or blank_b:
        return blank_a and blank_b
    return str(a).strip() == str(b).strip()


def group_thousands(number: Decimal, places: int | None = None) -> str:
    """``1175000.5`` → ``1,175,000.5``: the digits given, grouped; no exponent. With
    ``places``, padded to at least that many decimals (``1,175,000.50``); digits beyond them
    are kept, never rounded away: the screen shows what was filed."""
    if number == 0:
        number = number.copy_abs()  # "-0" is zero
    exponent = number.as_tuple().exponent
    if places and isinstance(exponent, int) and exponent > -places:
        number = number.quantize(Decimal(1).scaleb(-places))
    text = format(number, "f")
    sign = "-" if text.startswith("-") else ""
    whole, _dot, fraction = text.lstrip("-").partition(".")
    grouped = f"{int(whole):,}"
    return f"{sign}{grouped}.{fraction}" if fraction else f"{sign}{grouped}"


def unit_label(unit: str) -> str:
    return str(UNIT_LABELS.get(unit, unit))


def unit_places(unit: str) -> int | None:
    """The decimal places figures of ``unit`` are shown with (None: as filed)."""
    return UNIT_PLACES.get((unit or "").strip())


def format_figure(value: Any, unit: str = "", *, places: int | None = None) -> str:
    """A stored figure for people: grouped digits and the unit's label ("1,175,000 万元",
    "12.5%"); with ``places``, padded to that precision ("1,175,000.00 万元"). A value that
    is not a number is shown as it was stored."""
    number = parse_decimal(value)
    if number is None:
        return str(value).strip() if value not in (None, "") else ""
    text = group_thousands(number, places)
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit_label(unit)}"


def format_cell(value: Any, unit: str = "", places: int | None = None) -> str:
    """A figure in a table whose unit has a column of its own: grouped, at the precision
    given, with "%" kept on percentages ("1,175,000.00", "62.50%")."""
    return format_figure(value, "%" if unit == "%" else "", places=places)


@dataclass(frozen=True)
class Bounds:
    """The plausible range of a figure; None leaves that side open."""

    minimum: Decimal | None = None
    maximum: Decimal | None = None

    def contains(self, number: Decimal) -> bool:
        if self.minimum is not None and number < self.minimum:
            return False
        return self.maximum is None or number <= self.maximum

    @property
    def is_open(self) -> bool:
        return self.minimum is None and self.maximum is None


NO_BOUNDS = Bounds()
