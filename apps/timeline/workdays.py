"""Working days in mainland China, from the chinese-calendar package (State Council holiday
arrangements, including weekend days that are adjusted working days, 调休).

The package only knows years whose arrangement has been published; for a later year we fall
back to Monday–Friday and say so, rather than guess holidays.
"""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

import chinese_calendar
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class DayKind(StrEnum):
    WORKDAY = "workday"
    ADJUSTED_WORKDAY = "adjusted_workday"  # a Saturday or Sunday worked in lieu
    WEEKEND = "weekend"
    HOLIDAY = "holiday"


@dataclass(frozen=True)
class DayInfo:
    kind: DayKind
    holiday_name: str | None = None
    calendar_known: bool = True

    @property
    def is_working_day(self) -> bool:
        return self.kind in (DayKind.WORKDAY, DayKind.ADJUSTED_WORKDAY)


def day_info(day: dt.date) -> DayInfo:
    weekend = day.weekday() >= 5
    try:
        workday = chinese_calendar.is_workday(day)
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return DayInfo(DayKind.WEEKEND if weekend else DayKind.WORKDAY, calendar_known=False)
    if workday:
        return DayInfo(DayKind.ADJUSTED_WORKDAY if weekend else DayKind.WORKDAY)
    if on_holiday and name:
        return DayInfo(DayKind.HOLIDAY, holiday_name=str(name))
    return DayInfo(DayKind.WEEKEND)


def is_working_day(day: dt.date) -> bool:
    return day_info(day).is_working_day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if end <= start): "3
    working days before the due date" means working_days_between(today, due) == 3."""
    if end <= start:
        return 0
    count = 0
    day = start + dt.timedelta(days=1)
    while day <= end:
        count += is_working_day(day)
        day += dt.timedelta(days=1)
    return count


def due_date_warning(day: dt.date) -> str | None:
    """A warning for whoever sets a due date on a day nobody is at work."""
    info = day_info(day)
    if info.kind == DayKind.HOLIDAY:
        return _(
            "%(date)s is a public holiday (%(holiday)s). Enterprises may not be able to file "
            "that day; consider the next working day."
        ) % {"date": day.isoformat(), "holiday": _holiday_label(info.holiday_name)}
    if info.kind == DayKind.WEEKEND:
        return _(
            "%(date)s falls on a weekend that is not an adjusted working day; consider the "
            "next working day."
        ) % {"date": day.isoformat()}
    if not info.calendar_known:
        return _(
            "The holiday arrangement for %(year)s has not been published in the calendar "
            "data yet; only weekends were checked."
        ) % {"year": day.year}
    return None


HOLIDAY_LABELS = {
    "New Year's Day": gettext_lazy("New Year's Day"),
    "Spring Festival": gettext_lazy("Spring Festival"),
    "Tomb-sweeping Day": gettext_lazy("Tomb-sweeping Day"),
    "Labour Day": gettext_lazy("Labour Day"),
    "Dragon Boat Festival": gettext_lazy("Dragon Boat Festival"),
    "National Day": gettext_lazy("National Day"),
    "Mid-autumn Festival": gettext_lazy("Mid-autumn Festival"),
}


def _holiday_label(name: str | None) -> str:
    return str(HOLIDAY_LABELS.get(name or "", name or ""))
