"""How a reported figure is judged (apps.indicators.judging): the rules of issue #16, each
with its answer worked out by hand and written here."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from apps.indicators.judging import band_status, judge, judge_for, year_on_year
from apps.timeline.periods import Period

D = Decimal
YEAR_2026 = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
H1_2026 = Period(dt.date(2026, 1, 1), dt.date(2026, 6, 30))


def row(**values: Any) -> dict[str, Any]:
    return {"kind": "amount", "direction": "higher", **values}


# --- Amounts (profit): the whole year against the year's target ------------------------------


def test_an_amount_over_a_whole_year_is_judged_against_the_years_target() -> None:
    # Total profit 1,000 → 1,200 (10k CNY); 1,100 is halfway, short of the target.
    j = judge_for(row(baseline="1000", target="1200", actual="1100"), YEAR_2026)
    assert (j.basis, j.progress, j.on_track, j.compared_with) == (
        "year_target", D("0.5"), False, D("1200"))  # fmt: skip
    j = judge_for(row(baseline="1000", target="1200", actual="1250"), YEAR_2026)
    assert (j.progress, j.on_track, j.achieved) == (D("1.25"), True, True)


def test_half_a_years_amount_is_not_judged_without_a_seasonal_profile() -> None:
    # 600 by June says nothing about 1,200 for the year: no progress, no flag.
    j = judge_for(row(baseline="1000", target="1200", actual="600"), H1_2026)
    assert (j.basis, j.progress, j.on_track) == ("full_year_only", None, None)


def test_with_a_seasonal_profile_half_a_year_is_judged_against_its_share() -> None:
    # The authority expects 45 % of the year's profit by June: the period's target is
    # 1,200 × 0.45 = 540, its baseline 1,000 × 0.45 = 450.
    j = judge_for(row(baseline="1000", target="1200", actual="500"), H1_2026, D("0.45"))
    # (500 − 450) / (540 − 450) = 50 / 90 = 0.5556, short of 540.
    assert (j.basis, j.compared_with, j.progress, j.on_track) == (
        "period_share", D("540"), D("0.5556"), False)  # fmt: skip
    j = judge_for(row(baseline="1000", target="1200", actual="560"), H1_2026, D("0.45"))
    assert (j.progress, j.on_track) == (D("1.2222"), True)  # 110 / 90


def test_a_negative_baseline_a_loss_turning_into_a_profit() -> None:
    # Net profit −500 → 100: −200 has covered 300 of the 600 to go.
    j = judge_for(row(baseline="-500", target="100", actual="-200"), YEAR_2026)
    assert (j.progress, j.on_track) == (D("0.5"), False)
    j = judge_for(row(baseline="-500", target="100", actual="150"), YEAR_2026)
    assert (j.progress, j.on_track) == (D("1.0833"), True)  # 650 / 600


def test_a_cumulative_ratio_builds_up_like_an_amount() -> None:
    # Return on net assets by June is about half the year's: not judged without a profile.
    roe = row(kind="cumulative", baseline="7.8", target="8.2", actual="4.1")
    assert judge_for(roe, H1_2026).basis == "full_year_only"
    assert judge_for({**roe, "actual": "8.0"}, YEAR_2026).progress == D("0.5")


def test_holding_the_line() -> None:
    held = row(baseline="60", target="60", actual="60")
    assert (judge(held).progress, judge(held).on_track) == (D(1), True)
    slipped = row(baseline="60", target="60", actual="59", direction="higher")
    assert (judge(slipped).progress, judge(slipped).on_track) == (D(0), False)


def test_progress_is_bounded_so_that_it_can_be_stored() -> None:
    assert judge(row(baseline="1", target="1.0000001", actual="1000")).progress == D(9999)


# --- Ratios of the period: against the year's target directly --------------------------------


def test_a_ratio_of_half_a_year_is_judged_against_the_years_target() -> None:
    # R&D intensity 2.0 % → 2.5 %; 2.6 % in the first half already meets the year's target.
    rd = row(kind="ratio", baseline="2.0", target="2.5", actual="2.6")
    j = judge_for(rd, H1_2026)
    assert (j.basis, j.progress, j.on_track) == ("year_target", D("1.2"), True)
    j = judge_for({**rd, "actual": "2.2"}, H1_2026)
    assert (j.progress, j.on_track) == (D("0.4"), False)


def test_lower_is_better() -> None:
    cost = row(kind="ratio", direction="lower", baseline="65", target="60", actual="62.5")
    j = judge(cost)
    assert (j.progress, j.on_track) == (D("0.5"), False)
    assert judge({**cost, "actual": "59"}).on_track is True


# --- Band indicators (the debt-to-asset ratio) -----------------------------------------------


DEBT = {"kind": "ratio", "direction": "band", "band_upper": "70", "warning_margin": "5",
        "baseline": "64.5", "target": "63"}  # fmt: skip


@pytest.mark.parametrize(
    ("actual", "status", "on_track"),
    [
        ("60", "inside", True),
        ("64.99", "inside", True),
        ("65", "near", True),  # 5 points from the warning line
        ("70", "near", True),  # on the line: still inside
        ("70.01", "outside", False),
    ],
)
def test_a_band_indicator_is_inside_near_the_line_or_outside(
    actual: str, status: str, on_track: bool
) -> None:
    j = judge_for({**DEBT, "actual": actual}, H1_2026)  # a ratio: any period
    assert (j.basis, j.band_status, j.on_track, j.progress) == ("band", status, on_track, None)


def test_a_band_with_both_sides() -> None:
    assert band_status(D("42"), D("40"), D("70"), D("5")) == "near"
    assert band_status(D("39"), D("40"), D("70"), D("5")) == "outside"
    assert band_status(D("50"), D("40"), D("70"), D("5")) == "inside"


# --- Benchmarks, the same period a year earlier, rows left out ------------------------------


def test_a_zero_benchmark_gives_a_gap_but_no_share_of_it() -> None:
    j = judge(row(baseline="1", target="2", actual="5", benchmark="0"))
    assert (j.benchmark_gap, j.benchmark_gap_share) == (D(5), None)
    j = judge(row(baseline="1", target="2", actual="5", benchmark="4"))
    assert (j.benchmark_gap, j.benchmark_gap_share) == (D(1), D("0.25"))
    j = judge(row(baseline="1", target="2", actual="3", benchmark="-4"))
    assert (j.benchmark_gap, j.benchmark_gap_share) == (D(7), D("1.75"))  # 7 / |−4|


def test_year_on_year() -> None:
    assert year_on_year(D("230"), D("200")) == D("0.15")
    assert year_on_year(D("-50"), D("-100")) == D("0.5")  # a loss halved
    assert year_on_year(D("10"), D("0")) is None  # a change on nothing
    assert year_on_year(D("10"), None) is None
    assert judge(row(actual="230", previous="200")).year_on_year == D("0.15")


def test_a_row_left_out_is_not_judged() -> None:
    j = judge(row(baseline="1", target="2", actual="3", applicable=False))
    assert (j.basis, j.progress, j.on_track) == ("not_applicable", None, None)


@pytest.mark.parametrize("blank", ["baseline", "target", "actual"])
def test_a_blank_figure_leaves_it_unjudged(blank: str) -> None:
    j = judge({**row(baseline="1", target="2", actual="1.5"), blank: ""})
    assert (j.basis, j.progress, j.on_track) == ("incomplete", None, None)
