import smtplib
from typing import Any

from celery import Task, shared_task

from apps.notifications import services

# smtplib raises SMTPException (itself an OSError) for what the server answers, and plain
# OSErrors (connection refused, timed out, unknown host) when it cannot be reached.
SMTP_ERRORS = (OSError,)
# The server refused the address: another try would be refused too.
PERMANENT_SMTP_ERRORS = (smtplib.SMTPRecipientsRefused,)
MAX_RETRIES = 5


# Routed to the ``mail`` queue by its name (apps.*.tasks.send_*). Late acknowledgement: a
# worker lost mid-send leaves the message to be redelivered; the service sends at most once.
@shared_task(
    bind=True,
    name="apps.notifications.tasks.send_notification_email",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=SMTP_ERRORS,
    retry_backoff=30,  # 30 s, 60 s, 120 s … with jitter, at most 10 minutes apart
    retry_backoff_max=600,
    max_retries=MAX_RETRIES,
)
def send_notification_email(self: Task[Any, Any], notification_id: int) -> bool:
    try:
        return services.notification_email_send(notification_id=notification_id)
    except SMTP_ERRORS as exc:
        request = self.request
        # Run in-process (no broker in development, unit tests) there is no queue to retry
        # through, and an exception would reach the page whose transaction just committed.
        in_process = request.is_eager or request.called_directly
        final = request.retries >= MAX_RETRIES or isinstance(exc, PERMANENT_SMTP_ERRORS)
        if not (final or in_process):
            raise  # autoretry_for schedules the next attempt, with backoff
        services.notification_email_failed(
            notification_id=notification_id, error=f"{type(exc).__name__}: {exc}"
        )
        return False
