import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.i18n import in_language
from apps.enterprises.models import Enterprise
from apps.filings.workflow import State
from apps.timeline.models import Deliverable


def canonical_json(data: Any) -> str:
    """One spelling of a JSON document: sorted keys, no spaces, UTF-8 text. Its sha256 is the
    version's fingerprint, printed on the packet and checked by the verification page."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class FilingQuerySet(models.QuerySet["Filing"]):
    def for_user(self, user: Any) -> "FilingQuerySet":
        """Filings this user may open: all of their own enterprises' filings; of those their
        authority reviews (or, as a group's reviewers, their group reviews), only those
        submitted at least once (reviewers never read drafts); a commission also reads what
        a group accepted from its subsidiaries, per the group's policy. Administrators see
        every submitted filing."""
        from apps.enterprises.scopes import scope_for

        scope = scope_for(user)
        visible = Q(enterprise_id__in=list(scope.enterprise_roles))
        submitted = Q(first_submitted_at__isnull=False)
        if scope.is_admin:
            visible |= submitted
            return self.filter(visible)
        if scope.authority_roles:
            supervised = Q(enterprise__authority_id__in=list(scope.authority_roles))
            # What a group accepted from its subsidiaries, read only, where the group's
            # policy lets its commission see it; never what the group is still reviewing.
            rolled_up = Q(
                approved_version__isnull=False,
                reviewing_group__filing_policy__commission_sees_subsidiaries=True,
            )
            visible |= submitted & supervised & (Q(reviewing_group__isnull=True) | rolled_up)
        if scope.group_roles:
            visible |= submitted & Q(reviewing_group_id__in=list(scope.group_roles))
        return self.filter(visible)


class Filing(models.Model):
    """One enterprise's filing for one deliverable (plan, stage summary, assessment report),
    through all its versions."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="filings"
    )
    deliverable = models.ForeignKey(
        Deliverable, verbose_name=_("deliverable"), on_delete=models.PROTECT, related_name="filings"
    )
    kind = models.CharField(_("kind"), max_length=20)
    # The body that reviews the filing: the group headquarters for a subsidiary that files to
    # its group, else (blank) the enterprise's supervising authority. Set when the filing
    # starts and never changed, so that every scope rule reads one column.
    reviewing_group = models.ForeignKey(
        Enterprise,
        verbose_name=_("reviewed by the group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviewed_filings",
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    draft = models.OneToOneField(
        "FilingVersion",
        verbose_name=_("open draft"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    latest_submitted = models.ForeignKey(
        "FilingVersion",
        verbose_name=_("latest submitted version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_version = models.ForeignKey(
        "FilingVersion",
        verbose_name=_("version in force"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    first_submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = FilingQuerySet.as_manager()

    class Meta:
        verbose_name = _("filing")
        verbose_name_plural = _("filings")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "deliverable"], name="filing_one_per_deliverable"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "submitted_at"]),
            models.Index(fields=["deliverable", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.deliverable}"

    def get_absolute_url(self) -> str:
        return reverse("filings:detail", kwargs={"pk": self.pk})

    @property
    def is_amendment(self) -> bool:
        """An approved filing whose amendment is being drafted or reviewed."""
        return self.approved_version_id is not None and self.state != State.APPROVED


class DecisionBody(models.TextChoices):
    """Who took the enterprise's internal decision on what it files."""

    PARTY_COMMITTEE = "party_committee", _("Party committee (leading Party members group)")
    BOARD = "board", _("Board of directors")


class FilingVersionQuerySet(models.QuerySet["FilingVersion"]):
    def frozen(self) -> "FilingVersionQuerySet":
        return self.filter(submitted_at__isnull=False)


class FilingVersion(models.Model):
    """A numbered version. While open it is the draft, edited section by section; once
    submitted it is frozen: its content, fingerprint and attachments never change again (the
    database refuses, see migration 0002)."""

    filing = models.ForeignKey(
        Filing, verbose_name=_("filing"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content"), default=dict)
    # Per-section edit counters for optimistic locking: {"section": n}.
    revisions = models.JSONField(_("section revisions"), default=dict)
    snapshot = models.TextField(_("canonical JSON"), blank=True)
    sha256 = models.CharField(_("sha256"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # The formal submission (set when the version is frozen, also in its snapshot): the
    # enterprise's own document number, who signed it off, and the internal decision on it.
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    signatory_name = models.CharField(_("signatory"), max_length=100, blank=True)
    signatory_title = models.CharField(_("signatory's title"), max_length=100, blank=True)
    decision_body = models.CharField(
        _("decided by"), max_length=20, choices=DecisionBody.choices, blank=True
    )
    decision_on = models.DateField(_("decision date"), null=True, blank=True)

    objects = FilingVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("filing version")
        verbose_name_plural = _("filing versions")
        ordering = ["filing_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["filing", "number"], name="filing_version_number"),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | ~Q(sha256=""),
                name="filing_version_frozen_has_sha256",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filing} · v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("filings:version", kwargs={"pk": self.filing_id, "number": self.number})

    @property
    def is_frozen(self) -> bool:
        return self.submitted_at is not None

    @property
    def short_sha(self) -> str:
        return self.sha256[:12]


class DocumentNumber(models.Model):
    """An enterprise's document number (报送文号) as used by one submitted version: the
    database keeps each number unique within its enterprise, whatever the filing."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("document number"), max_length=100)
    version = models.OneToOneField(
        FilingVersion,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="document_number_record",
    )

    class Meta:
        verbose_name = _("document number")
        verbose_name_plural = _("document numbers")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "number"], name="document_number_unique_per_enterprise"
            )
        ]

    def __str__(self) -> str:
        return self.number


class AttachmentType(models.Model):
    """A type of attachment a deliverable asks for, required or optional: data, so that a
    campaign can ask for other papers without a release."""

    deliverable = models.ForeignKey(
        Deliverable,
        verbose_name=_("deliverable"),
        on_delete=models.CASCADE,
        related_name="attachment_types",
    )
    code = models.SlugField(_("code"), max_length=40)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200)
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("attachment type")
        verbose_name_plural = _("attachment types")
        ordering = ["deliverable_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["deliverable", "code"], name="attachment_type_code_per_deliverable"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.name_zh, self.name_en)


class FilingEvent(models.Model):
    """The filing's history: every transition and every draft edit, who, when, what, from
    which address. Written in the transaction of the change it records."""

    filing = models.ForeignKey(
        Filing, verbose_name=_("filing"), on_delete=models.CASCADE, related_name="events"
    )
    version = models.ForeignKey(
        FilingVersion,
        verbose_name=_("version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=32)
    from_state = models.CharField(_("from"), max_length=16, blank=True)
    to_state = models.CharField(_("to"), max_length=16, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    # Events only reviewers may see (internal comments, assignments) set this.
    internal = models.BooleanField(_("internal"), default=False)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("filing event")
        verbose_name_plural = _("filing events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["filing", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class Attachment(models.Model):
    """An uploaded file. Stored under a generated name, read only through a
    permission-checked view; a version lists the attachments it includes, with their sha256,
    in its content (so a frozen version's list cannot change)."""

    filing = models.ForeignKey(
        Filing, verbose_name=_("filing"), on_delete=models.PROTECT, related_name="attachments"
    )
    original_name = models.CharField(_("file name"), max_length=255)
    stored_name = models.CharField(_("stored as"), max_length=100, unique=True)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("sha256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["filing_id", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name

    def as_listed(self) -> dict[str, Any]:
        """How a version lists it (and the packet prints it)."""
        return {
            "id": self.pk,
            "name": self.original_name,
            "type": self.content_type,
            "size": self.size,
            "sha256": self.sha256,
        }


class ReadyForLead(models.Model):
    """An editor's word that the open draft, or some of its sections, is ready for the
    enterprise lead to check and submit: who said so and when. One per draft version (marking
    again replaces who and when); a mark on a version that is no longer the draft means
    nothing. Written by ``apps.filings.readiness``, with its history entry."""

    filing = models.ForeignKey(
        Filing, verbose_name=_("filing"), on_delete=models.CASCADE, related_name="ready_marks"
    )
    version = models.OneToOneField(
        FilingVersion,
        verbose_name=_("draft"),
        on_delete=models.CASCADE,
        related_name="ready_mark",
    )
    # Section keys; empty: the whole draft.
    sections = models.JSONField(_("sections"), default=list, blank=True)
    # The draft's section revisions when it was marked: a section whose revision has moved
    # on since was changed after the mark ("changed since").
    revisions = models.JSONField(_("section revisions"), default=dict, blank=True)
    note = models.TextField(_("note to the lead"), blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("marked"))

    class Meta:
        verbose_name = _("ready for the lead")
        verbose_name_plural = _("ready for the lead")
        ordering = ["-marked_at", "-id"]

    def __str__(self) -> str:
        return f"{self.version} · {self.marked_at:%Y-%m-%d %H:%M}"
