"""Deadline reminders: the rules (data, per campaign), what each user turned off, and the
ledger of every reminder claimed and sent.

The ledger is the source of truth for the email: a reminder is a row claimed (inserted,
unique) before anything is sent, so that a second sweep, or two at once, send nothing twice.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RuleKind(models.TextChoices):
    BEFORE_DUE = "before_due", _("Before the due date")
    ON_DUE = "on_due", _("On the due date")
    OVERDUE_REPEAT = "overdue_repeat", _("While overdue")
    ESCALATION = "escalation", _("Escalation to lead reviewers")
    REVIEW_WAITING = "review_waiting", _("Filing waiting for review")


# Reminders about an enterprise's own obligation, sent to its lead and editors.
ENTERPRISE_KINDS = (RuleKind.BEFORE_DUE, RuleKind.ON_DUE, RuleKind.OVERDUE_REPEAT)
# Kinds that repeat every ``every_days`` days.
REPEATING_KINDS = (RuleKind.OVERDUE_REPEAT, RuleKind.ESCALATION, RuleKind.REVIEW_WAITING)

KIND_HELP = {
    RuleKind.BEFORE_DUE: _(
        "To the enterprise's lead and editors, on the working day that is “days” working days "
        "before the effective due date."
    ),
    RuleKind.ON_DUE: _("To the enterprise's lead and editors, on the effective due date."),
    RuleKind.OVERDUE_REPEAT: _(
        "To the enterprise's lead and editors, the day after the due date and then every "
        "“every” days while the deliverable is not handed in."
    ),
    RuleKind.ESCALATION: _(
        "One digest per authority to its lead reviewers, listing the enterprises overdue by "
        "more than “days” days; repeated every “every” days."
    ),
    RuleKind.REVIEW_WAITING: _(
        "To the assigned reviewers (or the lead reviewers when nobody is assigned) of a filing "
        "waiting for review for more than “days” working days; repeated every “every” days."
    ),
}


class ReminderRule(models.Model):
    """One reminder of a campaign: when it fires is data, edited by administrators."""

    campaign = models.ForeignKey(
        "timeline.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="reminder_rules",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=RuleKind.choices)
    days = models.PositiveSmallIntegerField(
        _("days"),
        default=0,
        help_text=_(
            "Before the due date: working days before it. Escalation: days overdue. "
            "Waiting for review: working days waiting. On the due date and while overdue: 0."
        ),
    )
    every_days = models.PositiveSmallIntegerField(
        _("every (days)"),
        null=True,
        blank=True,
        help_text=_("How often a repeating reminder is sent again, in calendar days."),
    )
    mandatory = models.BooleanField(
        _("mandatory"),
        default=False,
        help_text=_("Users cannot turn a mandatory reminder off."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        ordering = ["campaign_id", "kind", "-days", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "kind", "days"],
                name="reminder_rule_unique",
                violation_error_message=_("This campaign already has this reminder."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="before_due") | Q(days__gte=1),
                name="reminder_rule_before_due_days",
                violation_error_message=_(
                    "A reminder before the due date needs at least one working day."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["on_due", "overdue_repeat"]) | Q(days=0),
                name="reminder_rule_no_days",
                violation_error_message=_(
                    "Reminders on the due date and while overdue take no days: use 0."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["overdue_repeat", "escalation", "review_waiting"])
                | Q(every_days__gte=1),
                name="reminder_rule_repeats",
                violation_error_message=_("A repeating reminder needs “every” of at least 1 day."),
            ),
        ]

    def __str__(self) -> str:
        kind = self.get_kind_display()
        if self.kind == RuleKind.BEFORE_DUE:
            return str(_("%(kind)s: %(days)s working days") % {"kind": kind, "days": self.days})
        if self.kind in (RuleKind.ESCALATION, RuleKind.REVIEW_WAITING):
            return str(_("%(kind)s: after %(days)s days") % {"kind": kind, "days": self.days})
        return str(kind)


class ReminderOptOut(models.Model):
    """A kind of reminder a user turned off. Mandatory rules ignore it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="reminder_opt_outs",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=RuleKind.choices)
    created_at = models.DateTimeField(_("turned off"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder turned off")
        verbose_name_plural = _("reminders turned off")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="reminder_opt_out_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()}"


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")


class DeliveryState(models.TextChoices):
    CLAIMED = "claimed", _("Claimed")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed (will be retried)")
    SKIPPED = "skipped", _("Skipped (recipient inactive or without email)")


# States whose email may still be sent (by the sweep that claimed it, or a later retry).
SENDABLE = (DeliveryState.CLAIMED, DeliveryState.FAILED)


class ReminderDelivery(models.Model):
    """One reminder to one person over one channel: claimed first, then sent.

    Unique on (rule, subject, recipient, channel, due date, occasion): the occasion lets a
    repeating reminder fire again; the due date lets an extension re-arm the reminders.
    ``subject_key`` names what the reminder is about ("e<enterprise>:d<deliverable>",
    "a<authority>" for a digest, "f<filing>" for a review), so that every kind shares one
    constraint without NULLs in it.
    """

    rule = models.ForeignKey(
        ReminderRule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="deliveries"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=RuleKind.choices)
    subject_key = models.CharField(_("subject"), max_length=64)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="reminder_deliveries",
    )
    channel = models.CharField(
        _("channel"), max_length=8, choices=Channel.choices, default=Channel.EMAIL
    )
    due_on = models.DateField(
        _("due date"), help_text=_("The effective due date (the submission date for reviews).")
    )
    occasion_on = models.DateField(_("occasion"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    deliverable = models.ForeignKey(
        "timeline.Deliverable",
        verbose_name=_("deliverable"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    authority = models.ForeignKey(
        "enterprises.Authority",
        verbose_name=_("authority"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    filing = models.ForeignKey(
        "filings.Filing",
        verbose_name=_("filing"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # Relative; the email prefixes SITE_URL.
    url = models.CharField(_("link"), max_length=500)
    # What a digest lists, as it stood when it was claimed.
    payload = models.JSONField(_("details"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=8, choices=DeliveryState.choices, default=DeliveryState.CLAIMED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # Marks the rows one claim inserted: re-selecting by it yields exactly those rows.
    claim_token = models.UUIDField(_("claim"), db_index=True)
    claimed_at = models.DateTimeField(_("claimed"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    notification = models.ForeignKey(
        "notifications.Notification",
        verbose_name=_("in-app notification"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject_key", "recipient", "channel", "due_on", "occasion_on"],
                name="reminder_delivery_once",
            ),
        ]
        indexes = [
            # Retries: the few rows not sent yet.
            models.Index(
                fields=["state", "claimed_at"],
                condition=Q(state__in=["claimed", "failed"]),
                name="reminder_delivery_pending",
            ),
            # Last digest per (rule, subject, recipient).
            models.Index(
                fields=["rule", "subject_key", "recipient", "-occasion_on"],
                name="reminder_delivery_latest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.subject_key} · {self.recipient_id}"
