from decimal import Decimal
from typing import Any

from django.utils import translation

from apps.plans.gaps import Gap, indicator_gap, parse_decimal


def test_higher_is_better_gap_is_benchmark_minus_baseline() -> None:
    gap = indicator_gap({"direction": "higher", "baseline": "100", "benchmark": "120"})
    assert gap == Gap(amount=Decimal("20"), percent=Decimal("16.7"))
    assert gap is not None and gap.behind


def test_ahead_of_the_benchmark_is_a_negative_gap() -> None:
    gap = indicator_gap({"direction": "higher", "baseline": "130.5", "benchmark": "120"})
    assert gap is not None
    assert gap.amount == Decimal("-10.5")
    assert not gap.behind
    assert gap.percent == Decimal("-8.8")


def test_debt_to_asset_lower_is_better() -> None:
    behind = indicator_gap({"direction": "lower", "baseline": "70", "benchmark": "60"})
    ahead = indicator_gap({"direction": "lower", "baseline": "55", "benchmark": "60"})
    assert behind is not None and behind.amount == Decimal("10") and behind.behind
    assert behind.percent == Decimal("16.7")
    assert ahead is not None and ahead.amount == Decimal("-5") and not ahead.behind


def test_decimals_stay_exact() -> None:
    gap = indicator_gap({"direction": "higher", "baseline": "0.1", "benchmark": "0.3"})
    assert gap is not None and gap.amount == Decimal("0.2")  # 0.3 - 0.1 in floats is not


def test_zero_benchmark_has_no_percentage() -> None:
    gap = indicator_gap({"direction": "higher", "baseline": "-5", "benchmark": "0"})
    assert gap is not None
    assert gap.amount == Decimal("5")
    assert gap.percent is None
    with translation.override("en"):
        assert gap.display() == "Behind by 5"
        assert gap.percent_note == "No percentage: the benchmark is zero or negative."


# Changed on purpose: a percentage of a negative benchmark (a loss-making peer) was shown as
# "领先 12.64（252.8%）"; it means nothing, so only the amount is shown, with a note saying why.
def test_negative_benchmark_shows_the_amount_only() -> None:
    gap = indicator_gap(
        {"direction": "higher", "baseline": "7.64", "benchmark": "-5", "code": "roe",
         "core": True, "unit": "%"}
    )  # fmt: skip
    assert gap is not None and gap.amount == Decimal("-12.64") and gap.percent is None
    with translation.override("en"):
        assert gap.display() == "Ahead by 12.64"
        assert gap.percent_note == "No percentage: the benchmark is zero or negative."
    gap = indicator_gap({"direction": "higher", "baseline": "-200", "benchmark": "-100"})
    assert gap is not None and gap.amount == Decimal("100") and gap.percent is None
    with translation.override("en"):
        assert gap.display() == "Behind by 100"


def test_target_gap_against_a_negative_benchmark_has_no_percentage_either() -> None:
    gap = indicator_gap(
        {"direction": "higher", "baseline": "-8", "benchmark": "-5", "targets": {"2025": "-2"}}
    )
    assert gap is not None
    assert (gap.target_amount, gap.target_percent) == (Decimal("-3"), None)
    with translation.override("en"):
        assert gap.target_display() == "Ahead by 3"


def test_positive_benchmark_keeps_its_percentage_and_no_note() -> None:
    gap = indicator_gap({"direction": "higher", "baseline": "100", "benchmark": "120"})
    assert gap is not None and gap.percent == Decimal("16.7") and gap.percent_note == ""


def test_gap_is_shown_grouped_at_the_indicators_precision() -> None:
    row = {"direction": "higher", "baseline": "1175000", "benchmark": "2350000.5",
           "code": "total_profit", "core": True, "unit": "万元"}  # fmt: skip
    gap = indicator_gap(row)
    assert gap is not None and gap.places == 2
    with translation.override("en"):
        assert gap.display() == "Behind by 1,175,000.50 (50.0%)"
    # A custom unit shows the digits computed, grouped.
    gap = indicator_gap({**row, "code": "custom_x", "core": False, "unit": "项"})
    assert gap is not None and gap.places is None
    with translation.override("en"):
        assert gap.display() == "Behind by 1,175,000.5 (50.0%)"


def test_missing_or_bad_numbers_give_no_gap() -> None:
    assert indicator_gap({"direction": "higher", "baseline": "", "benchmark": "1"}) is None
    assert indicator_gap({"direction": "higher", "baseline": "1", "benchmark": None}) is None
    assert indicator_gap({"direction": "higher", "baseline": "NaN", "benchmark": "1"}) is None
    assert indicator_gap({"direction": "higher", "baseline": "x", "benchmark": "1"}) is None


def test_final_year_target_gap() -> None:
    row: dict[str, Any] = {
        "direction": "lower",
        "baseline": "70",
        "benchmark": "60",
        "targets": {"2023": "68", "2025": "62", "2024": "65"},
    }
    gap = indicator_gap(row)
    assert gap is not None
    assert gap.target_year == "2025"
    assert gap.target_amount == Decimal("2")
    assert gap.target_behind
    row["targets"]["2025"] = ""
    gap = indicator_gap(row)
    assert gap is not None and gap.target_amount is None and gap.target_display() == ""


def test_display_strings() -> None:
    with translation.override("en"):
        gap = indicator_gap({"direction": "higher", "baseline": "100", "benchmark": "120"})
        assert gap is not None and gap.display() == "Behind by 20 (16.7%)"
        gap = indicator_gap({"direction": "lower", "baseline": "55", "benchmark": "60"})
        assert gap is not None and str(gap) == "Ahead by 5 (8.3%)"
        gap = indicator_gap({"direction": "higher", "baseline": "60", "benchmark": "60"})
        assert gap is not None and gap.display() == "At the benchmark"


def test_parse_decimal() -> None:
    assert parse_decimal("1,234.50") == Decimal("1234.50")
    assert parse_decimal(" 12 ") == Decimal("12")
    assert parse_decimal("Infinity") is None
    assert parse_decimal("") is None
    # Changed on purpose: the one reading of a figure refuses what the form refuses, so a
    # stored "12,5" (from the old lax field) is no longer read as 125.
    assert parse_decimal("12,5") is None
    assert parse_decimal("1e3") is None
    assert parse_decimal("１２３，４５６．７") == Decimal("123456.7")
