"""How a reported figure is judged: progress toward the target, on track or not, a band
indicator's position, the change on the same period a year earlier. One module for the
summary editor, the filed summary, the indicator results the dashboards count and the
trajectories.

The rules (issue #16, SASAC practice):
- An amount (profit) and a cumulative ratio (return on net assets: a period's flow over a
  stock) build up through the year. A whole year's actual is judged against the year's
  target. A shorter period is judged against the period's share of the year's target only
  when the authority has set a seasonal profile (``expected_share``); otherwise it is not
  judged at all: half a year's profit is not half of anything the plan promised.
- A ratio of two figures of the same period (debt to assets, R&D to revenue) is judged
  against the year's target directly, whatever the period's length.
- A band indicator (the debt-to-asset ratio) is judged by where it lies: inside the band,
  near a bound (within the warning margin, still inside), or outside. The industry's
  warning line is the band's upper bound.
- Everything is judged at the period's end (the year whose target applies is the year the
  period ends in), never at the due date.
- Progress is (actual − baseline) / (target − baseline): 1 is the target reached, in
  either direction, with a negative baseline as well (a loss turning into a profit).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from apps.core.numbers import parse_decimal
from apps.indicators.models import Direction, Kind

PLACES = Decimal("0.0001")
# Results hold 12 digits with 4 places: a target a hair's breadth from its baseline could
# otherwise give an absurd ratio that does not fit.
LIMIT = Decimal("9999")


class Basis(models.TextChoices):
    """What a judgement compared the actual with."""

    YEAR_TARGET = "year_target", _("the year's target")
    PERIOD_SHARE = "period_share", _("the period's share of the year's target")
    BAND = "band", _("the band")
    FULL_YEAR_ONLY = "full_year_only", _("judged on the full year only")
    NOT_APPLICABLE = "not_applicable", _("not applicable")
    INCOMPLETE = "incomplete", _("figures missing")


class BandStatus(models.TextChoices):
    INSIDE = "inside", _("Inside the band")
    NEAR = "near", _("Near the warning line")
    OUTSIDE = "outside", _("Outside the band")


@dataclass(frozen=True)
class Judgement:
    basis: str
    progress: Decimal | None = None
    on_track: bool | None = None
    # What the actual was compared with: the year's target or the period's share of it.
    compared_with: Decimal | None = None
    band_status: str | None = None
    # Change on the same period a year earlier, as a share (0.12 = +12 %).
    year_on_year: Decimal | None = None
    # Actual minus benchmark, and that gap as a share of the benchmark (None for a zero
    # benchmark: a share of nothing).
    benchmark_gap: Decimal | None = None
    benchmark_gap_share: Decimal | None = None

    @property
    def achieved(self) -> bool | None:
        return None if self.progress is None else self.progress >= 1


def _q(value: Decimal) -> Decimal:
    return max(-LIMIT, min(LIMIT, value)).quantize(PLACES)


def progress_between(
    baseline: Decimal, target: Decimal, actual: Decimal, direction: str
) -> Decimal:
    """Share of the way from baseline to target; a target equal to its baseline (hold the
    line) counts 1 when the actual is at or better than it, else 0."""
    if target == baseline:
        return Decimal(1) if meets(actual, target, direction) else Decimal(0)
    return _q((actual - baseline) / (target - baseline))


def meets(actual: Decimal, target: Decimal, direction: str) -> bool:
    return actual <= target if direction == Direction.LOWER else actual >= target


def band_status(
    value: Decimal, lower: Decimal | None, upper: Decimal | None, margin: Decimal
) -> str:
    if (lower is not None and value < lower) or (upper is not None and value > upper):
        return BandStatus.OUTSIDE
    if (lower is not None and value - lower <= margin) or (
        upper is not None and upper - value <= margin
    ):
        return BandStatus.NEAR
    return BandStatus.INSIDE


def band_text(row: Mapping[str, Any]) -> str:
    """A band row's band as people read it: "≤ 70 %", "40 % to 70 %", "≥ 10 %" ("" for a
    row that is not judged within a band)."""
    if row.get("direction") != Direction.BAND:
        return ""
    from apps.core.numbers import format_figure

    unit = str(row.get("unit") or "")
    lower, upper = parse_decimal(row.get("band_lower")), parse_decimal(row.get("band_upper"))

    def shown(value: Decimal) -> str:
        return format_figure(value, unit)

    if lower is not None and upper is not None:
        return gettext_now("%(lower)s to %(upper)s") % {
            "lower": shown(lower),
            "upper": shown(upper),
        }
    if upper is not None:
        return "≤ " + shown(upper)
    if lower is not None:
        return "≥ " + shown(lower)
    return ""


def year_on_year(actual: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """(actual − previous) / |previous|; None without a previous figure or when it is 0."""
    if actual is None or previous is None or previous == 0:
        return None
    return _q((actual - previous) / abs(previous))


def judge(
    row: Mapping[str, Any],
    *,
    full_year: bool = True,
    expected_share: Decimal | None = None,
) -> Judgement:
    """Judge one row (a summary's indicator row: kind, direction, baseline, target for the
    period's year, actual, previous, benchmark, band bounds, applicable) for a period that
    is a whole year or not (``full_year``), with the authority's seasonal share if any."""
    if row.get("applicable") is False:
        return Judgement(basis=Basis.NOT_APPLICABLE)
    actual = parse_decimal(row.get("actual"))
    baseline = parse_decimal(row.get("baseline"))
    target = parse_decimal(row.get("target"))
    benchmark = parse_decimal(row.get("benchmark"))
    direction = str(row.get("direction") or Direction.HIGHER)
    kind = str(row.get("kind") or Kind.AMOUNT)
    extras: dict[str, Any] = {
        "year_on_year": year_on_year(actual, parse_decimal(row.get("previous"))),
    }
    if actual is not None and benchmark is not None:
        gap = actual - benchmark
        extras["benchmark_gap"] = gap
        extras["benchmark_gap_share"] = None if benchmark == 0 else _q(gap / abs(benchmark))
    if actual is None:
        return Judgement(basis=Basis.INCOMPLETE, **extras)

    if direction == Direction.BAND:
        status = band_status(
            actual,
            parse_decimal(row.get("band_lower")),
            parse_decimal(row.get("band_upper")),
            parse_decimal(row.get("warning_margin")) or Decimal(0),
        )
        return Judgement(
            basis=Basis.BAND,
            on_track=status != BandStatus.OUTSIDE,
            band_status=status,
            compared_with=target,
            **extras,
        )

    if baseline is None or target is None:
        return Judgement(basis=Basis.INCOMPLETE, **extras)

    if kind == Kind.RATIO or full_year:
        return Judgement(
            basis=Basis.YEAR_TARGET,
            progress=progress_between(baseline, target, actual, direction),
            on_track=meets(actual, target, direction),
            compared_with=target,
            **extras,
        )
    if expected_share is None:
        return Judgement(basis=Basis.FULL_YEAR_ONLY, **extras)
    period_target = (target * expected_share).quantize(PLACES)
    period_baseline = (baseline * expected_share).quantize(PLACES)
    return Judgement(
        basis=Basis.PERIOD_SHARE,
        progress=progress_between(period_baseline, period_target, actual, direction),
        on_track=meets(actual, period_target, direction),
        compared_with=period_target,
        **extras,
    )


def judge_for(
    row: Mapping[str, Any], period: Any, expected_share: Decimal | None = None
) -> Judgement:
    """Judge a summary's row for the period it reported on (``apps.timeline.periods.Period``;
    None, a whole year) and the authority's seasonal share, if any."""
    full_year = period is None or period.is_full_year
    return judge(row, full_year=full_year, expected_share=expected_share)
