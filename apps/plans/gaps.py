"""The gap between an enterprise's indicator and its benchmark, in exact decimals.

The notice wants "effects quantifiable": the gap is computed from the numbers the enterprise
filed, never from floats, so that the packet, the screen and a reviewer's calculator agree.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from apps.core.numbers import group_thousands
from apps.core.numbers import parse_decimal as parse_decimal  # re-exported
from apps.plans.constants import Direction, figure_places

PERCENT_PLACES = Decimal("0.1")


def format_decimal(number: Decimal) -> str:
    """Plain positional notation ("1000", not "1E+3"), keeping the digits given."""
    return format(number, "f")


@dataclass(frozen=True)
class Gap:
    """How far the enterprise is from its benchmark. A positive amount means it is behind
    (whichever direction is better for the indicator)."""

    amount: Decimal
    # Of the benchmark; None when the benchmark is zero or negative: a share of a loss
    # reads backwards ("ahead by 252.8 %" of a peer's loss), so only the amount is shown.
    percent: Decimal | None
    # The same for the final year's target: where the plan means to end up.
    target_year: str | None = None
    target_amount: Decimal | None = None
    target_percent: Decimal | None = None
    # Decimal places of the indicator's figures (None: as computed).
    places: int | None = None
    # Whether the percentage was left out because the benchmark is zero or negative.
    no_percent: bool = False

    @property
    def behind(self) -> bool:
        return self.amount > 0

    @property
    def target_behind(self) -> bool | None:
        return None if self.target_amount is None else self.target_amount > 0

    def describe(self, amount: Decimal, percent: Decimal | None) -> str:
        if amount == 0:
            return _("At the benchmark")
        size = group_thousands(abs(amount), self.places)
        if percent is None:
            template = _("Behind by %(amount)s") if amount > 0 else _("Ahead by %(amount)s")
            return template % {"amount": size}
        template = (
            _("Behind by %(amount)s (%(percent)s%%)")
            if amount > 0
            else _("Ahead by %(amount)s (%(percent)s%%)")
        )
        return template % {"amount": size, "percent": format_decimal(abs(percent))}

    def display(self) -> str:
        return self.describe(self.amount, self.percent)

    def target_display(self) -> str:
        if self.target_amount is None:
            return ""
        return self.describe(self.target_amount, self.target_percent)

    @property
    def percent_note(self) -> str:
        """Why there is no percentage, when the benchmark is zero or negative."""
        if not self.no_percent:
            return ""
        return _("No percentage: the benchmark is zero or negative.")

    def __str__(self) -> str:
        return self.display()


def _signed_gap(direction: str, value: Decimal, benchmark: Decimal) -> Decimal:
    # For "lower is better" being above the benchmark is behind; so it is for a band
    # indicator (the debt-to-asset ratio), whose warning line is above.
    if direction in (Direction.LOWER, Direction.BAND):
        return value - benchmark
    return benchmark - value


def _percent(amount: Decimal, benchmark: Decimal) -> Decimal | None:
    # A percentage of a zero or negative benchmark means nothing: the gap to a peer losing
    # 5 is not "252.8 %" of anything. Only the amount is shown then.
    if benchmark <= 0:
        return None
    return (amount / benchmark * 100).quantize(PERCENT_PLACES)


def final_target(row: dict[str, Any]) -> tuple[str | None, Decimal | None]:
    """The last campaign year and its target (None when that target is not filled in)."""
    targets = row.get("targets") or {}
    years = sorted((str(y) for y in targets), key=lambda y: (len(y), y))
    if not years:
        return None, None
    return years[-1], parse_decimal(targets[years[-1]])


def indicator_gap(row: dict[str, Any]) -> Gap | None:
    """The gap of an indicator row's baseline (and final-year target) to its benchmark, or
    None when the baseline or the benchmark is missing."""
    baseline = parse_decimal(row.get("baseline"))
    benchmark = parse_decimal(row.get("benchmark"))
    if baseline is None or benchmark is None:
        return None
    direction = row.get("direction") or Direction.HIGHER
    amount = _signed_gap(direction, baseline, benchmark)
    year, target = final_target(row)
    target_amount = None if target is None else _signed_gap(direction, target, benchmark)
    return Gap(
        amount=amount,
        percent=_percent(amount, benchmark),
        target_year=year,
        target_amount=target_amount,
        target_percent=None if target_amount is None else _percent(target_amount, benchmark),
        places=figure_places(row),
        no_percent=benchmark <= 0 and amount != 0,
    )
