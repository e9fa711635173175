"""Writes for reminders: the default rules of a campaign, administrators' edits of them, a
user's preferences, and sending one claimed reminder (the sweep is in ``sweep.py``)."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.accounts.models import User, supported_language
from apps.audit.services import audit_log
from apps.core.i18n import in_language
from apps.reminders.models import (
    REPEATING_KINDS,
    SENDABLE,
    DeliveryState,
    ReminderDelivery,
    ReminderOptOut,
    ReminderRule,
    RuleKind,
)
from apps.reminders.selectors import locked_kinds
from apps.timeline.models import Campaign

logger = logging.getLogger(__name__)

ERROR_MAX_LENGTH = 2000


@dataclass(frozen=True)
class DefaultRule:
    kind: str
    days: int = 0
    every_days: int | None = None
    mandatory: bool = False


# 14, 7, 3 and 1 working days before the effective due date, on the due date, every 7 days
# while overdue; escalation to the lead reviewers after 7 days overdue (weekly digest);
# reviewers reminded of filings waiting more than 10 working days (weekly).
DEFAULT_RULES: tuple[DefaultRule, ...] = (
    DefaultRule(RuleKind.BEFORE_DUE, days=14),
    DefaultRule(RuleKind.BEFORE_DUE, days=7),
    DefaultRule(RuleKind.BEFORE_DUE, days=3),
    DefaultRule(RuleKind.BEFORE_DUE, days=1),
    DefaultRule(RuleKind.ON_DUE, mandatory=True),
    DefaultRule(RuleKind.OVERDUE_REPEAT, every_days=7, mandatory=True),
    DefaultRule(RuleKind.ESCALATION, days=7, every_days=7, mandatory=True),
    DefaultRule(RuleKind.REVIEW_WAITING, days=10, every_days=7),
)


def rules_install_defaults(*, campaign: Campaign, actor: Any = None) -> int:
    """Give ``campaign`` the default rules it lacks (an existing rule of the same kind and
    days is left as the administrator set it). Idempotent; returns how many were added."""
    with transaction.atomic():
        existing = set(ReminderRule.objects.filter(campaign=campaign).values_list("kind", "days"))
        missing = [
            ReminderRule(
                campaign=campaign,
                kind=rule.kind,
                days=rule.days,
                every_days=rule.every_days,
                mandatory=rule.mandatory,
            )
            for rule in DEFAULT_RULES
            if (rule.kind, rule.days) not in existing
        ]
        # ignore_conflicts: two sweeps may install the defaults of a new campaign at once.
        ReminderRule.objects.bulk_create(missing, ignore_conflicts=True)
        if missing:
            audit_log(
                actor=actor,
                action="reminders.rules_defaults",
                target=campaign,
                data={"added": [f"{r.kind}:{r.days}" for r in missing]},
            )
    return len(missing)


def rules_save(
    *,
    campaign: Campaign,
    rules: Iterable[ReminderRule],
    actor: Any,
    ip_address: str | None = None,
) -> list[ReminderRule]:
    """Save administrators' edits of a campaign's rules (each validated, the whole set in
    one transaction with its audit rows). Rules are never deleted: the ledger refers to
    them; an administrator switches one off instead."""
    saved: list[ReminderRule] = []
    with transaction.atomic():
        for rule in rules:
            rule.campaign = campaign
            if rule.kind not in REPEATING_KINDS:
                rule.every_days = None
            created = rule.pk is None
            rule.full_clean()
            rule.save()
            audit_log(
                actor=actor,
                action="reminders.rule_created" if created else "reminders.rule_changed",
                target=rule,
                data={
                    "campaign": campaign.code,
                    "kind": rule.kind,
                    "days": rule.days,
                    "every_days": rule.every_days,
                    "mandatory": rule.mandatory,
                    "active": rule.is_active,
                },
                ip_address=ip_address,
            )
            saved.append(rule)
    return saved


def preferences_save(
    *, user: User, disabled_kinds: Iterable[str], ip_address: str | None = None
) -> set[str]:
    """Turn off the given optional kinds for ``user`` and on every other. A mandatory kind
    cannot be turned off: asking for it is ignored. Returns the kinds now off."""
    locked = locked_kinds()
    wanted = {k for k in disabled_kinds if k in RuleKind.values and k not in locked}
    with transaction.atomic():
        current = set(
            ReminderOptOut.objects.select_for_update()
            .filter(user=user)
            .values_list("kind", flat=True)
        )
        # A kind that became mandatory since it was turned off stays recorded: should it
        # become optional again, the user's choice still holds.
        keep_locked = current & locked
        ReminderOptOut.objects.filter(user=user).exclude(kind__in=wanted | keep_locked).delete()
        ReminderOptOut.objects.bulk_create(
            [ReminderOptOut(user=user, kind=k) for k in sorted(wanted - current)],
            ignore_conflicts=True,
        )
        if wanted != current - keep_locked:
            audit_log(
                actor=user,
                action="reminders.preferences_changed",
                target=user,
                data={"off": sorted(wanted)},
                ip_address=ip_address,
            )
    return wanted


# --- Rendering ------------------------------------------------------------------------------


def digest_entries(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """A digest's enterprises in the active language."""
    return [
        {
            "enterprise": in_language(e["enterprise_zh"], e.get("enterprise_en", "")),
            "credit_code": e.get("credit_code", ""),
            "deliverable": in_language(e["deliverable_zh"], e.get("deliverable_en", "")),
            "due_on": e["due_on"],
            "days_overdue": e["days_overdue"],
        }
        for e in payload.get("entries", [])
    ]


def reminder_title(delivery: ReminderDelivery) -> str:
    """The reminder's one-line title in the active language (the notification's title and
    the email's subject). ``delivery`` has its enterprise and deliverable loaded."""
    due = delivery.due_on.isoformat()
    if delivery.kind == RuleKind.ESCALATION:
        count = len(delivery.payload.get("entries", []))
        return ngettext(
            "%(count)d overdue filing needs your attention",
            "%(count)d overdue filings need your attention",
            count,
        ) % {"count": count}
    params: dict[str, Any] = {
        "enterprise": delivery.enterprise.name if delivery.enterprise else "",
        "deliverable": delivery.deliverable.title if delivery.deliverable else "",
        "date": due,
    }
    if delivery.kind == RuleKind.BEFORE_DUE:
        params["days"] = int(delivery.payload.get("working_days", 0))
        return (
            ngettext(
                "“%(deliverable)s” of %(enterprise)s is due on %(date)s: %(days)d working day left",
                "“%(deliverable)s” of %(enterprise)s is due on %(date)s: "
                "%(days)d working days left",
                params["days"],
            )
            % params
        )
    if delivery.kind == RuleKind.ON_DUE:
        return _("“%(deliverable)s” of %(enterprise)s is due today (%(date)s)") % params
    if delivery.kind == RuleKind.OVERDUE_REPEAT:
        return _("“%(deliverable)s” of %(enterprise)s is overdue: it was due on %(date)s") % params
    return _("“%(deliverable)s” of %(enterprise)s has waited for review since %(date)s") % params


def _render_email(delivery: ReminderDelivery, recipient: User) -> EmailMultiAlternatives:
    language = supported_language(recipient.preferred_language)
    base_url = settings.SITE_URL.rstrip("/")
    with translation.override(language):
        context = {
            "delivery": delivery,
            "recipient": recipient,
            "language": language,
            "title": reminder_title(delivery),
            "kind": delivery.kind,
            "enterprise": delivery.enterprise.name if delivery.enterprise else "",
            "deliverable": delivery.deliverable.title if delivery.deliverable else "",
            "due_on": delivery.due_on,
            "entries": digest_entries(delivery.payload),
            "link": base_url + delivery.url,
            "preferences_link": base_url + reverse("reminders:preferences"),
            "mandatory": delivery.rule.mandatory,
        }
        subject = render_to_string("reminders/email/reminder_subject.txt", context)
        text = render_to_string("reminders/email/reminder.txt", context)
        html = render_to_string("reminders/email/reminder.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=text, to=[recipient.email]
    )
    message.attach_alternative(html, "text/html")
    return message


def delivery_send(*, delivery_id: int) -> str | None:
    """Send one claimed (or failed, being retried) reminder and record the outcome in its
    ledger row. Returns the new state, or None when there was nothing to do: it was sent
    already, or another worker holds it right now.

    The row stays locked while the message is handed to the mail server and is marked sent
    in that same transaction, so two workers never both send it. A send that fails is
    recorded as failed (with its error) and left for a later sweep to retry; it never
    raises, so one bad address does not stop the others.
    """
    with transaction.atomic():
        # By primary key alone, the state checked once the row is locked: the planner always
        # takes the key's index (a state filter can lure it onto the pending-rows index).
        delivery = (
            ReminderDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient", "enterprise", "deliverable", "rule")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.state not in SENDABLE:
            return None
        recipient = delivery.recipient
        delivery.attempts += 1
        if not recipient.is_active or not recipient.email:
            delivery.state = DeliveryState.SKIPPED
            delivery.last_error = "recipient inactive or without email"
        else:
            try:
                _render_email(delivery, recipient).send()
            except Exception as exc:  # any failure of the mail backend: record, retry later
                delivery.state = DeliveryState.FAILED
                delivery.last_error = f"{type(exc).__name__}: {exc}"[:ERROR_MAX_LENGTH]
                logger.warning("reminder %s: email not sent: %s", delivery_id, exc)
            else:
                delivery.state = DeliveryState.SENT
                delivery.sent_at = timezone.now()
                delivery.last_error = ""
        delivery.save(update_fields=["state", "attempts", "last_error", "sent_at"])
    return delivery.state
