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


def test_negative_benchmark_percentage_keeps_the_sign_of_the_gap() -> None:
    gap = indicator_gap({"direction": "higher", "baseline": "-200", "benchmark": "-100"})
    assert gap is not None and gap.amount == Decimal("100") and gap.percent == Decimal("100.0")


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
