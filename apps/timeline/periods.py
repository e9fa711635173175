"""Reporting periods: what a stage summary reports on (2023 H1, the year 2023, January to
October 2026), read from its deliverable. One rule for the period's name, for the same
period a year earlier (同比) and for whether it is a whole calendar year."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _


def _year_earlier(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _month_end(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).day == 1


@dataclass(frozen=True)
class Period:
    starts_on: dt.date
    ends_on: dt.date

    @property
    def year(self) -> int:
        """The year whose targets the period is judged against: the year it ends in."""
        return self.ends_on.year

    @property
    def is_full_year(self) -> bool:
        return self.starts_on == dt.date(self.ends_on.year, 1, 1) and self.ends_on == dt.date(
            self.ends_on.year, 12, 31
        )

    @property
    def previous(self) -> "Period":
        """The same period a year earlier, for the year-on-year change."""
        return Period(_year_earlier(self.starts_on), _year_earlier(self.ends_on))

    @property
    def label(self) -> str:
        start, end = self.starts_on, self.ends_on
        if self.is_full_year:
            return _("%(year)d full year") % {"year": end.year}
        same_year = start.year == end.year
        if same_year and start == dt.date(end.year, 1, 1) and end == dt.date(end.year, 6, 30):
            return _("%(year)d first half") % {"year": end.year}
        if same_year and start == dt.date(end.year, 7, 1) and end == dt.date(end.year, 12, 31):
            return _("%(year)d second half") % {"year": end.year}
        if same_year and start.day == 1 and _month_end(end):
            if start.month == end.month:
                return _("%(year)d, month %(month)d") % {"year": end.year, "month": end.month}
            return _("%(year)d, months %(first)d to %(last)d") % {
                "year": end.year,
                "first": start.month,
                "last": end.month,
            }
        return _("%(start)s to %(end)s") % {"start": start.isoformat(), "end": end.isoformat()}

    def __str__(self) -> str:
        return self.label


def period_of(deliverable: Any) -> Period | None:
    """The period a deliverable reports on, or None (a plan; a summary set up without one)."""
    start = getattr(deliverable, "period_starts_on", None)
    end = getattr(deliverable, "period_ends_on", None)
    if start is None or end is None:
        return None
    return Period(start, end)
