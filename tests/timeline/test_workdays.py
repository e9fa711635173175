import datetime as dt

from django.utils import translation

from apps.timeline.models import Stage, validate_stages
from apps.timeline.workdays import DayKind, day_info, due_date_warning, working_days_between

D = dt.date


def test_day_kinds() -> None:
    assert day_info(D(2026, 10, 1)).kind == DayKind.HOLIDAY
    assert day_info(D(2026, 10, 10)).kind == DayKind.ADJUSTED_WORKDAY  # a Saturday worked
    assert day_info(D(2026, 11, 28)).kind == DayKind.WEEKEND
    assert day_info(D(2026, 11, 27)).kind == DayKind.WORKDAY


def test_warnings() -> None:
    with translation.override("en"):
        assert "public holiday" in due_date_warning(D(2026, 10, 1))
        assert "National Day" in due_date_warning(D(2026, 10, 1))
        assert "weekend" in due_date_warning(D(2026, 11, 28))
        assert due_date_warning(D(2026, 10, 10)) is None
        assert due_date_warning(D(2026, 11, 27)) is None
        # a year the calendar data does not cover yet: weekdays only, and we say so
        note = due_date_warning(D(2027, 6, 1))
        assert note is not None and "2027" in note


def test_working_days_between_skips_holidays_and_counts_adjusted_days() -> None:
    # 30 Sep 2026 (Wed) → 10 Oct 2026 (Sat, adjusted working day): 1–7 Oct are holidays,
    # 8 and 9 Oct are working days, 10 Oct is worked in lieu.
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 10)) == 3
    assert working_days_between(D(2026, 11, 27), D(2026, 11, 27)) == 0
    assert working_days_between(D(2026, 11, 27), D(2026, 11, 30)) == 1


def test_stage_validation_order_and_overlap() -> None:
    import pytest
    from django.core.exceptions import ValidationError

    good = [
        Stage(kind="deployment", starts_on=D(2023, 1, 1), ends_on=D(2023, 3, 31)),
        Stage(kind="implementation", starts_on=D(2023, 4, 1), ends_on=D(2024, 12, 31)),
        Stage(kind="assessment", starts_on=D(2025, 1, 1), ends_on=D(2025, 3, 31)),
    ]
    validate_stages(good)
    good[1].starts_on = D(2023, 3, 31)
    with pytest.raises(ValidationError):
        validate_stages(good)
    good[1].starts_on = D(2023, 4, 1)
    good[2].ends_on = D(2024, 12, 1)
    with pytest.raises(ValidationError):
        validate_stages(good)
