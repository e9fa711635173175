"""One reading and one spelling of the figures a filing holds.

Figures are stored as decimal strings (never floats), so that the packet, the screen and a
reviewer's calculator agree. Reading is forgiving of separators; writing groups thousands.
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Units are stored as the Chinese the filing is written in; these are shown in their place.
UNIT_LABELS: dict[str, Promise] = {
    "万元": _("10k CNY"),
    "万元/人": _("10k CNY/person"),
}


def unit_label(unit: str) -> str:
    return str(UNIT_LABELS.get(unit, unit))


def parse_decimal(value: Any) -> Decimal | None:
    """A finite Decimal from a stored string (or None when empty or not a number)."""
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip().replace(",", "").replace("，", "")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


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


def group_thousands(number: Decimal) -> str:
    """``1175000.5`` → ``1,175,000.5``: the digits given, grouped; no exponent."""
    text = format(number, "f")
    sign = "-" if text.startswith("-") else ""
    whole, _dot, fraction = text.lstrip("-").partition(".")
    grouped = f"{int(whole):,}"
    return f"{sign}{grouped}.{fraction}" if fraction else f"{sign}{grouped}"


def format_figure(value: Any, unit: str = "") -> str:
    """A stored figure for people: grouped digits and the unit's label ("1,175,000 万元",
    "12.5%"); a value that is not a number is shown as it was stored."""
    number = parse_decimal(value)
    if number is None:
        return str(value).strip() if value not in (None, "") else ""
    text = group_thousands(number)
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit_label(unit)}"
