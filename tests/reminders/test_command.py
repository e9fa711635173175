"""`manage.py send_reminders`: the same sweep, synchronously, listed line by line."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from apps.reminders.models import ReminderDelivery
from apps.timeline.models import Deliverable
from tests.conftest import World

pytestmark = pytest.mark.django_db


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue().splitlines()


def test_dry_run_lists_what_would_be_sent(world: World, plan: Deliverable) -> None:
    lines = run("--date", "2026-03-31", "--dry-run")
    assert len(lines) == 5  # four reminders and the totals
    assert all(line.startswith("would send  on_due") for line in lines[:4])
    assert any(world.lead.email in line and world.central.credit_code in line for line in lines)
    assert lines[-1].startswith("DRY RUN — 2026-03-31:")
    assert not mail.outbox and not ReminderDelivery.objects.exists()


def test_it_sends_and_prints_once(world: World, plan: Deliverable) -> None:
    lines = run("--date", "2026-03-31")
    assert [line.split()[0] for line in lines[:4]] == ["sent"] * 4
    assert "4 newly claimed" in lines[-1] and "sent 4" in lines[-1]
    assert len(mail.outbox) == 4
    again = run("--date", "2026-03-31")
    assert len(again) == 1 and "0 newly claimed" in again[0] and "nothing due" in again[0]
    assert len(mail.outbox) == 4


def test_a_bad_date_is_refused(world: World) -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--date", "31/03/2026")
