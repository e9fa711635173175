import hashlib
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Language
from apps.enterprises.models import (
    AUTHORITY_ROLES,
    ENTERPRISE_ROLES,
    Authority,
    Enterprise,
    Role,
    role_matches_scope,
)


def hash_token(token: str) -> str:
    """Only this digest is stored: a leaked database does not leak usable links."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> "InvitationQuerySet":
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )

    def for_scope(
        self, *, enterprise: Enterprise | None = None, authority: Authority | None = None
    ) -> "InvitationQuerySet":
        if enterprise is not None:
            return self.filter(enterprise=enterprise)
        return self.filter(authority=authority)


class Invitation(models.Model):
    """An offer of one role in one enterprise or authority, sent by email.

    The link carries a random token; the row keeps only its SHA-256. A link works once, until
    it expires or is revoked; resending issues a new token (the old link stops working)."""

    email = models.EmailField(_("email address"))
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    authority = models.ForeignKey(
        Authority,
        verbose_name=_("authority"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    language = models.CharField(_("language of the email"), max_length=10, choices=Language.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.PROTECT,
        related_name="invitations_sent",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        constraints = [
            # The same shape as a membership: an enterprise role names an enterprise and no
            # authority, an authority role the reverse.
            models.CheckConstraint(
                condition=role_matches_scope(), name="invitation_role_matches_scope"
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "-created_at"]),
            models.Index(fields=["authority", "-created_at"]),
            models.Index(fields=["email"]),
        ]

    def __str__(self) -> str:
        return f"{self.email} · {self.get_role_display()} · {self.scope}"

    @property
    def scope(self) -> Any:
        return self.enterprise if self.enterprise_id else self.authority

    @property
    def status(self) -> str:
        if self.accepted_at is not None:
            return InvitationStatus.ACCEPTED
        if self.revoked_at is not None:
            return InvitationStatus.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    @property
    def is_pending(self) -> bool:
        return self.status == InvitationStatus.PENDING

    def get_status_display(self) -> str:
        return str(InvitationStatus(self.status).label)

    @property
    def is_enterprise_role(self) -> bool:
        return self.role in ENTERPRISE_ROLES

    @property
    def is_authority_role(self) -> bool:
        return self.role in AUTHORITY_ROLES
