"""When rules fire, on Chinese working days (2026 arrangement from chinese-calendar)."""

import datetime as dt

from apps.reminders import schedule

D = dt.date


def test_working_days_before_an_ordinary_due_date() -> None:
    # Tue 31 March 2026: 1, 3, 7 and 14 working days before, counted by hand.
    due = D(2026, 3, 31)
    assert schedule.working_day_before(due, 1) == D(2026, 3, 30)  # Monday
    assert schedule.working_day_before(due, 3) == D(2026, 3, 26)  # Thursday
    assert schedule.working_day_before(due, 7) == D(2026, 3, 20)  # Friday
    assert schedule.working_day_before(due, 14) == D(2026, 3, 11)  # Wednesday


def test_national_day_2026_is_skipped() -> None:
    # Due Fri 9 October 2026: 1–7 October are the National Day holiday.
    due = D(2026, 10, 9)
    assert schedule.working_day_before(due, 1) == D(2026, 10, 8)
    assert schedule.working_day_before(due, 2) == D(2026, 9, 30)  # across the whole holiday
    assert schedule.working_day_before(due, 3) == D(2026, 9, 29)


def test_spring_festival_2026_and_its_adjusted_saturday() -> None:
    # Due Wed 25 February 2026: 15–23 February off; Saturday 14 February is worked in lieu.
    due = D(2026, 2, 25)
    assert schedule.working_day_before(due, 1) == D(2026, 2, 24)
    assert schedule.working_day_before(due, 2) == D(2026, 2, 14)  # a Saturday, but a working day
    assert schedule.working_day_before(due, 3) == D(2026, 2, 13)


def test_before_due_fires_on_its_day_and_catches_up_over_a_holiday() -> None:
    due = D(2026, 10, 9)
    assert schedule.before_due_occasion(D(2026, 9, 30), due, 2) == D(2026, 9, 30)
    # A sweep missed on 30 September catches up during the holiday, with the same occasion.
    assert schedule.before_due_occasion(D(2026, 10, 3), due, 2) == D(2026, 9, 30)
    # Once the next working day comes, that reminder's moment is gone.
    assert schedule.before_due_occasion(D(2026, 10, 8), due, 2) is None
    assert schedule.before_due_occasion(D(2026, 9, 29), due, 2) is None
    assert schedule.before_due_occasion(D(2026, 10, 9), due, 1) is None  # due today


def test_overdue_repeats_every_seven_days_and_catches_up() -> None:
    due = D(2026, 3, 31)
    assert schedule.overdue_occasion(D(2026, 3, 31), due, 7) is None  # not late yet
    assert schedule.overdue_occasion(D(2026, 4, 1), due, 7) == D(2026, 4, 1)
    assert schedule.overdue_occasion(D(2026, 4, 7), due, 7) == D(2026, 4, 1)  # same occasion
    assert schedule.overdue_occasion(D(2026, 4, 8), due, 7) == D(2026, 4, 8)
    assert schedule.overdue_occasion(D(2026, 4, 20), due, 7) == D(2026, 4, 15)


def test_review_waiting_counts_working_days() -> None:
    # Submitted Wed 30 September 2026; more than 3 working days waiting: 30 Sep → 8, 9, 10
    # October (Saturday 10 October is worked in lieu) are three; the fourth is 12 October.
    submitted = D(2026, 9, 30)
    assert schedule.review_waiting_occasion(D(2026, 10, 10), submitted, 3, 7) is None
    assert schedule.review_waiting_occasion(D(2026, 10, 12), submitted, 3, 7) == D(2026, 10, 12)
    assert schedule.review_waiting_occasion(D(2026, 10, 18), submitted, 3, 7) == D(2026, 10, 12)
    assert schedule.review_waiting_occasion(D(2026, 10, 19), submitted, 3, 7) == D(2026, 10, 19)
