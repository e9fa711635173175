"""Reminders tests: the small T2026 campaign (plan due Tue 31 March 2026) and the world's
users. Enterprise ``central`` has a lead and an editor; SASAC has a lead reviewer."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from apps.enterprises.models import Enterprise
from apps.filings.models import Filing
from apps.reminders.models import ReminderDelivery
from apps.reminders.sweep import SweepReport, sweep
from apps.timeline.models import DEADLINE_ZONE, Campaign, Deliverable

D = dt.date
PLAN_DUE = D(2026, 3, 31)


@pytest.fixture(autouse=True)
def _clear_outbox() -> None:
    mail.outbox = []


@pytest.fixture
def run_sweep() -> Callable[..., SweepReport]:
    def run(day: dt.date, **kw: Any) -> SweepReport:
        return sweep(day, **kw)

    return run


def make_filing(
    enterprise: Enterprise,
    deliverable: Deliverable,
    state: str,
    *,
    submitted_on: dt.date | None = None,
) -> Filing:
    """A filing row in ``state`` (the obligation's status comes from it); the workflow itself
    is tested in tests/filings."""
    submitted_at = (
        dt.datetime.combine(submitted_on, dt.time(10), tzinfo=DEADLINE_ZONE)
        if submitted_on
        else None
    )
    return Filing.objects.create(
        enterprise=enterprise,
        deliverable=deliverable,
        kind=deliverable.kind,
        state=state,
        submitted_at=submitted_at,
        first_submitted_at=submitted_at,
    )


def sent_to(email: str) -> list[Any]:
    return [m for m in mail.outbox if m.to == [email]]


def ledger(**filters: Any) -> list[ReminderDelivery]:
    return list(ReminderDelivery.objects.filter(**filters).order_by("occasion_on", "pk"))


def now() -> dt.datetime:
    return timezone.now()


__all__ = ["PLAN_DUE", "Campaign", "make_filing", "sent_to"]
