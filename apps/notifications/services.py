"""Writes for notifications: creating them (and queueing their email), marking them read,
sending and recording the email.

Callers pass recipients and a title *template*; each recipient's title is rendered in that
person's language when the row is created, and their email is sent in it."""

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
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
from django_stubs_ext import StrOrPromise

from apps.accounts.models import User, supported_language
from apps.filings.models import Filing
from apps.notifications.models import Notification, Verb

logger = logging.getLogger(__name__)

# A lazy string with %(name)s placeholders, formatted with ``params`` in the recipient's
# language; or a callable given the recipient, called in their language.
TitleTemplate = StrOrPromise | Callable[[User], StrOrPromise]

EMAIL_ERROR_MAX_LENGTH = 2000


def is_relative_url(url: str) -> bool:
    """A path on this site: what the centre may redirect to."""
    return (
        url.startswith("/")
        and not url.startswith("//")
        and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
    )


def render_title(
    title_template: TitleTemplate, params: Mapping[str, Any] | None, recipient: User
) -> str:
    """The title in the active language. Lazy strings among ``params`` (labels, a
    gettext_lazy phrase) and objects whose ``__str__`` follows the language (an enterprise's
    name) are rendered in it too, since ``%`` calls ``str()`` on each value."""
    if callable(title_template):
        return str(title_template(recipient))
    text = str(title_template)
    return text % params if params is not None else text


def notify(
    *,
    recipients: Iterable[User],
    verb: str,
    filing: Filing | None,
    title_template: TitleTemplate,
    params: Mapping[str, Any] | None = None,
    url: str,
    actor: User | None = None,
) -> list[Notification]:
    """Tell each active recipient (once each, never the actor) that something happened:
    one row per person, titled in their language, and an email queued for after commit.

    Call it inside the transaction that does the work: if that rolls back, so do the rows,
    and no email leaves. The email goes out after commit, from the ``mail`` queue, so a mail
    failure never undoes the caller's work.
    """
    if verb not in Verb.values:
        raise ValidationError(_("Unknown kind of notification: %(verb)s") % {"verb": verb})
    if not is_relative_url(url):
        raise ValidationError(
            _("A notification links to a page of this site, not to %(url)s.") % {"url": url}
        )
    skip = actor.pk if actor is not None else None
    people: dict[int, User] = {}
    for recipient in recipients:
        if recipient.is_active and recipient.pk != skip:
            people.setdefault(recipient.pk, recipient)
    if not people:
        return []
    notifications = []
    for recipient in people.values():
        with translation.override(supported_language(recipient.preferred_language)):
            title = render_title(title_template, params, recipient)
        notifications.append(
            Notification(recipient=recipient, verb=verb, filing=filing, title=title, url=url)
        )
    # Imported here: the task module imports this one.
    from apps.notifications.tasks import send_notification_email

    with transaction.atomic():
        # verb and url were checked above, once for all rows; bulk_create skips full_clean().
        created = Notification.objects.bulk_create(notifications)
        for notification in created:
            # DjangoTask's delay_on_commit is unknown to celery-types.
            send_notification_email.delay_on_commit(notification.pk)  # type: ignore[attr-defined]
    return created


@dataclass(frozen=True)
class InAppNotice:
    """An in-app notification already titled in its recipient's language."""

    recipient_id: int
    verb: str
    title: str
    url: str
    filing_id: int | None = None


def notifications_create_in_app(*, notices: Sequence[InAppNotice]) -> list[Notification]:
    """In-app notifications only, in one INSERT, with no email queued: for callers that send
    their own email through their own ledger (deadline reminders)."""
    for notice in notices:
        if notice.verb not in Verb.values:
            raise ValidationError(
                _("Unknown kind of notification: %(verb)s") % {"verb": notice.verb}
            )
        if not is_relative_url(notice.url):
            raise ValidationError(
                _("A notification links to a page of this site, not to %(url)s.")
                % {"url": notice.url}
            )
    return Notification.objects.bulk_create(
        Notification(
            recipient_id=notice.recipient_id,
            verb=notice.verb,
            filing_id=notice.filing_id,
            title=notice.title,
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
                "title": notification.title,
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
