from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ASSIGNED = "assigned", _("Assigned")
    RETURNED = "returned", _("Returned for revision")
    APPROVED = "approved", _("Filed")
    COMMENT = "comment", _("Comment")
    REMINDER = "reminder", _("Deadline reminder")
    ESCALATION = "escalation", _("Overdue escalation")
    REVIEW_WAITING = "review_waiting", _("Waiting for review")
    BUNDLE_READY = "bundle_ready", _("Packet bundle ready")
    READY_FOR_LEAD = "ready_for_lead", _("Ready for the lead")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(self, user: Any) -> "NotificationQuerySet":
        """A user's own notifications; nobody else's, administrators included."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(recipient_id=user.pk)

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something that happened to a filing, told to one person: in the centre, in the header's
    count, and by email.

    What it says is stored as its verb, a variant and JSON params, and worded when it is read
    (``display_title``, see ``apps.notifications.phrases``), in the reader's language of the
    moment. ``title`` holds the sentence of rows written before that, rendered once in their
    recipient's language; rows written since leave it empty."""

    # No index of its own: both composite indexes below start with the recipient.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
    )
    verb = models.CharField(_("event"), max_length=16, choices=Verb.choices)
    filing = models.ForeignKey(
        "filings.Filing",
        verbose_name=_("filing"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    variant = models.CharField(_("variant"), max_length=32, blank=True, default="")
    # None only on rows written before titles were worded on reading: they show ``title``.
    params = models.JSONField(_("details"), null=True, blank=True)
    title = models.TextField(_("stored title"), blank=True, default="")
    # Relative (a path on this site): the centre redirects to it, and the email prefixes
    # SITE_URL. The constraint keeps the open view from ever becoming an open redirect.
    url = models.CharField(_("link"), max_length=500)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("email sent"), null=True, blank=True)
    email_error = models.TextField(_("email error"), blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-id"]  # creation order
        constraints = [
            models.CheckConstraint(
                condition=Q(url__startswith="/") & ~Q(url__startswith="//"),
                name="notification_url_is_relative",
            ),
        ]
        indexes = [
            # The header's unread count: recipient = ? AND read_at IS NULL.
            models.Index(
                fields=["recipient", "read_at", "-created_at"], name="notification_unread_idx"
            ),
            # The centre, newest first, paginated by id.
            models.Index(fields=["recipient", "-id"], name="notification_centre_idx"),
        ]

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return reverse("notifications:open", kwargs={"pk": self.pk})

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def display_title(self) -> str:
        """The title in the active language."""
        # Imported here: the phrases module needs Verb from this one.
        from apps.notifications.phrases import render

        return render(self)
