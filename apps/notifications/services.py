"""Writes for notifications: creating them (and queueing their email), marking them read,
sending and recording the email.

Callers pass a verb (and variant) with JSON-safe params, never a finished sentence: the
title is worded when it is read, in the reader's language (``apps.notifications.phrases``),
and the email in its recipient's language when it is sent."""

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from apps.accounts.models import User, supported_language
from apps.filings.models import Filing
from apps.notifications.models import Notification, Verb
from apps.notifications.phrases import check_params

logger = logging.getLogger(__name__)

EMAIL_ERROR_MAX_LENGTH = 2000


def is_relative_url(url: str) -> bool:
    """A path on this site: what the centre may redirect to."""
    return (
        url.startswith("/")
        and not url.startswith("//")
        and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
    )


def _check(verb: str, variant: str, params: Mapping[str, Any], url: str) -> None:
    if verb not in Verb.values:
        raise ValidationError(_("Unknown kind of notification: %(verb)s") % {"verb": verb})
    if not is_relative_url(url):
        raise ValidationError(
            _("A notification links to a page of this site, not to %(url)s.") % {"url": url}
        )
    check_params(verb, variant, params)


def notify(
    *,
    recipients: Iterable[User],
    verb: str,
    variant: str = "",
    params: Mapping[str, Any],
    filing: Filing | None,
    url: str,
    actor: User | None = None,
) -> list[Notification]:
    """Tell each active recipient (once each, never the actor) that something happened:
    one row per person, and an email queued for after commit.

    ``params`` are what the verb's phrase is worded from when read: plain JSON (ids, codes,
    numbers, ISO dates, strings), names held in both languages stored as both
    (``phrases.bilingual_params``). Checked here, once for all rows.

    Call it inside the transaction that does the work: if that rolls back, so do the rows,
    and no email leaves. The email goes out after commit, from the ``mail`` queue, so a mail
    failure never undoes the caller's work.
    """
    _check(verb, variant, params, url)
    skip = actor.pk if actor is not None else None
    people: dict[int, User] = {}
    for recipient in recipients:
        if recipient.is_active and recipient.pk != skip:
            people.setdefault(recipient.pk, recipient)
    if not people:
        return []
    notifications = [
        Notification(
            recipient=recipient,
            verb=verb,
            variant=variant,
            params=dict(params),
            filing=filing,
            url=url,
        )
        for recipient in people.values()
    ]
    # Imported here: the task module imports this one.
    from apps.notifications.tasks import send_notification_email

    with transaction.atomic():
        # Checked above, once for all rows; bulk_create skips full_clean().
        created = Notification.objects.bulk_create(notifications)
        for notification in created:
            # DjangoTask's delay_on_commit is unknown to celery-types.
            send_notification_email.delay_on_commit(notification.pk)  # type: ignore[attr-defined]
    return created


@dataclass(frozen=True)
class InAppNotice:
    """An in-app notification: its verb, variant and params, worded when read."""

    recipient_id: int
    verb: str
    url: str
    params: Mapping[str, Any] = field(default_factory=dict)
    variant: str = ""
    filing_id: int | None = None


def notifications_create_in_app(*, notices: Sequence[InAppNotice]) -> list[Notification]:
    """In-app notifications only, in one INSERT, with no email queued: for callers that send
    their own email through their own ledger (deadline reminders)."""
    for notice in notices:
        _check(notice.verb, notice.variant, notice.params, notice.url)
    return Notification.objects.bulk_create(
        Notification(
            recipient_id=notice.recipient_id,
            verb=notice.verb,
            variant=notice.variant,
            params=dict(notice.params),
            filing_id=notice.filing_id,
            url=notice.url,
        )
        for notice in notices
    )


def notification_mark_read(*, notification: Notification) -> Notification:
    """Idempotent: the first reading time is kept."""
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def notification_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of ``user`` read; returns how many there were."""
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())


def notification_email_send(*, notification_id: int) -> bool:
    """Email one notification to its recipient, in their language, with an absolute link.

    Sends at most once: returns False, sending nothing, when the email has gone already,
    another worker is sending it right now, or the notification or its recipient is gone.
    SMTP errors propagate (the task retries them); nothing is recorded then.
    """
    # The row stays locked while the message is handed to the SMTP server, so that a
    # redelivered copy of the task (acks_late) skips it instead of sending it twice.
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, email_sent_at__isnull=True)
            .first()
        )
        if notification is None:
            return False
        recipient = notification.recipient
        if not recipient.is_active or not recipient.email:
            return False
        language = supported_language(recipient.preferred_language)
        base_url = settings.SITE_URL.rstrip("/")
        with translation.override(language):
            context = {
                "notification": notification,
                "recipient": recipient,
                # Worded now, in the recipient's language (not the sender's).
                "title": notification.display_title,
                "language": language,
                # Through the centre, so that following the email marks it read.
                "link": base_url + notification.get_absolute_url(),
                "centre_link": base_url + reverse("notifications:centre"),
            }
            subject = render_to_string("notifications/email/notification_subject.txt", context)
            text = render_to_string("notifications/email/notification.txt", context)
            html = render_to_string("notifications/email/notification.html", context)
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split()), body=text, to=[recipient.email]
        )
        message.attach_alternative(html, "text/html")
        message.send()
        notification.email_sent_at = timezone.now()
        notification.email_error = ""
        notification.save(update_fields=["email_sent_at", "email_error"])
    return True


def notification_email_failed(*, notification_id: int, error: str) -> None:
    """Record why the email could not be sent (shown in the admin); the notification itself
    stays in the centre."""
    Notification.objects.filter(pk=notification_id, email_sent_at__isnull=True).update(
        email_error=error[:EMAIL_ERROR_MAX_LENGTH]
    )
    logger.warning("notification %s: email not sent: %s", notification_id, error)
