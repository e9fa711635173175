"""When a rule fires: pure functions of dates, working days from chinese-calendar.

Each returns the *occasion* (the date the reminder belongs to, part of the ledger's unique
key) or None when the rule does not fire today. A sweep that missed a day still finds the
same occasion the next day, so a reminder is caught up once, never twice.
"""

import datetime as dt
from functools import lru_cache

from apps.timeline import workdays
from apps.timeline.workdays import is_working_day

# A sweep asks the same few questions for thousands of obligations (a handful of due dates,
# one today): remember the answers.
working_days_between = lru_cache(maxsize=4096)(workdays.working_days_between)

ONE_DAY = dt.timedelta(days=1)
# How far back to look for "N working days before": N is at most a few dozen, and the
# longest Chinese holiday is eight days.
_LOOKBACK_LIMIT = 400


def working_day_before(due_on: dt.date, days: int) -> dt.date:
    """The working day that is ``days`` working days before ``due_on``: the day ``d`` with
    is_working_day(d) and working_days_between(d, due_on) == days. Unique, since stepping
    back past a working day adds one to the count."""
    day = due_on
    count = 0  # working days in (day, due_on]
    for _step in range(_LOOKBACK_LIMIT):
        if is_working_day(day):
            if count == days:
                return day
            count += 1
        day -= ONE_DAY
    raise ValueError(f"no working day {days} working days before {due_on}")


def before_due_occasion(today: dt.date, due_on: dt.date, days: int) -> dt.date | None:
    """Fires from that working day until the next working day (the days in between, a
    weekend or holiday, count the same number of working days left): a missed sweep
    catches up with the same occasion."""
    # N working days never span more than 2·N + 20 calendar days (the longest holiday is
    # eight days): skip the count for due dates far ahead.
    if today >= due_on or (due_on - today).days > 2 * days + 20:
        return None
    if working_days_between(today, due_on) != days:
        return None
    occasion = working_day_before_cached(due_on, days)
    return occasion if occasion <= today else None


def on_due_occasion(today: dt.date, due_on: dt.date) -> dt.date | None:
    return due_on if today == due_on else None


def repeat_occasion(today: dt.date, first: dt.date, every_days: int) -> dt.date | None:
    """The latest of first, first + every, first + 2·every … that is not after today."""
    if today < first:
        return None
    return first + dt.timedelta(days=((today - first).days // every_days) * every_days)


def overdue_occasion(today: dt.date, due_on: dt.date, every_days: int) -> dt.date | None:
    """The day after the due date, then every ``every_days`` days."""
    return repeat_occasion(today, due_on + ONE_DAY, every_days)


def days_overdue(today: dt.date, due_on: dt.date) -> int:
    return max((today - due_on).days, 0)


@lru_cache(maxsize=1024)
def working_day_before_cached(due_on: dt.date, days: int) -> dt.date:
    return working_day_before(due_on, days)


@lru_cache(maxsize=1024)
def review_waiting_since(submitted_on: dt.date, days: int) -> dt.date:
    """The first day on which a filing submitted on ``submitted_on`` has waited more than
    ``days`` working days."""
    day = submitted_on
    for _step in range(_LOOKBACK_LIMIT):
        day += ONE_DAY
        if working_days_between(submitted_on, day) > days:
            return day
    raise ValueError(f"no day {days} working days after {submitted_on}")


def review_waiting_occasion(
    today: dt.date, submitted_on: dt.date, days: int, every_days: int
) -> dt.date | None:
    if working_days_between(submitted_on, today) <= days:
        return None
    return repeat_occasion(today, review_waiting_since(submitted_on, days), every_days)


__all__ = [
    "before_due_occasion",
    "days_overdue",
    "is_working_day",
    "on_due_occasion",
    "overdue_occasion",
    "repeat_occasion",
    "review_waiting_occasion",
    "working_day_before",
]
