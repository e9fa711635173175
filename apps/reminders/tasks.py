"""Celery tasks: they take ids (or a date) and call the reminders' services.

``run_reminder_sweep`` goes to the ``default`` queue; ``send_reminder_emails`` matches the
``apps.*.tasks.send_*`` route and goes to ``mail``."""

import datetime as dt
import logging
from typing import Any

from celery import shared_task

from apps.reminders.models import DeliveryState
from apps.reminders.services import delivery_send
from apps.reminders.sweep import sweep
from apps.timeline.models import local_today

logger = logging.getLogger(__name__)


# Started by django-celery-beat every day at 08:00 Asia/Shanghai (installed by migration
# 0002). Only one beat may run; should two sweeps start anyway, the second finds the
# advisory lock taken and does nothing, and the ledger would keep them apart regardless.
@shared_task(name="apps.reminders.tasks.run_reminder_sweep")
def run_reminder_sweep(day: str | None = None) -> dict[str, Any]:
    today = dt.date.fromisoformat(day) if day else local_today()
    report = sweep(today, enqueue=True)
    logger.info("reminder sweep: %s", report.totals())
    return report.summary()


# Late acknowledgement: a worker lost mid-batch leaves the message to be redelivered;
# delivery_send sends each row at most once (row lock, then the state says "sent").
@shared_task(
    name="apps.reminders.tasks.send_reminder_emails",
    acks_late=True,
    reject_on_worker_lost=True,
)
def send_reminder_emails(delivery_ids: list[int]) -> int:
    sent = 0
    for delivery_id in delivery_ids:
        sent += delivery_send(delivery_id=delivery_id) == DeliveryState.SENT
    return sent
