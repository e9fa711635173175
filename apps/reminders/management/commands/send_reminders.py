"""Run the reminder sweep now, in this process: what the daily beat task does, for operators.

python manage.py send_reminders [--date YYYY-MM-DD] [--dry-run]
"""

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from apps.reminders.sweep import sweep
from apps.timeline.models import local_today


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--date wants YYYY-MM-DD, not {value!r}") from exc


class Command(BaseCommand):
    help = (
        "Send today's deadline reminders (or those of --date) synchronously and list them; "
        "--dry-run lists what would be sent and changes nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--date", type=_date, help="the day to sweep (default: today in Beijing)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="claim and send nothing; list what would be sent"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["date"] or local_today()
        report = sweep(today, dry_run=options["dry_run"])
        if report.locked_out:
            raise CommandError("Another sweep is running (advisory lock held): nothing done.")
        for line in report.lines:
            self.stdout.write(str(line))
        prefix = "DRY RUN — " if report.dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + report.totals()))
