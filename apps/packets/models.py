from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.filings.models import FilingVersion


class PacketKind(models.TextChoices):
    SUBMISSION = "submission", _("Submission packet")
    FINAL = "final", _("Final packet")


class PacketQuerySet(models.QuerySet["Packet"]):
    def visible_to(self, user: Any) -> "PacketQuerySet":
        """Packets of submitted versions of filings this user may open."""
        from apps.filings.models import Filing

        return self.filter(
            version__filing__in=Filing.objects.for_user(user),
            version__submitted_at__isnull=False,
        )

    def for_authority(self, authority: Any) -> "PacketQuerySet":
        # What the authority files itself: not what a group accepted from its subsidiaries.
        return self.filter(
            version__filing__enterprise__authority=authority,
            version__filing__reviewing_group__isnull=True,
        )


class PacketState(models.TextChoices):
    PENDING = "pending", _("Pending")
    RENDERING = "rendering", _("Rendering")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class Packet(models.Model):
    """The PDF of one frozen version: as submitted, or as approved (with its filing number
    and review history). Rendered by a worker; the file lives under MEDIA_ROOT/packets/ with
    a generated name and leaves only through permission-checked views."""

    version = models.ForeignKey(
        FilingVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="packets"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=PacketKind.choices)
    state = models.CharField(
        _("state"), max_length=16, choices=PacketState.choices, default=PacketState.PENDING
    )
    # Relative to MEDIA_ROOT, e.g. "packets/3f2c….pdf"; empty until first rendered.
    file = models.CharField(_("file"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    sha256 = models.CharField(_("sha256"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)

    objects = PacketQuerySet.as_manager()

    class Meta:
        verbose_name = _("packet")
        verbose_name_plural = _("packets")
        ordering = ["version_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["version", "kind"], name="packet_one_per_version_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.version} · {self.get_kind_display()}"


class BundleState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being built")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


BUNDLE_OPEN_STATES = (BundleState.PENDING, BundleState.RUNNING)


class PacketBundleQuerySet(models.QuerySet["PacketBundle"]):
    def open(self) -> "PacketBundleQuerySet":
        return self.filter(state__in=BUNDLE_OPEN_STATES)

    def expired_files(self, now: datetime | None = None) -> "PacketBundleQuerySet":
        """Ready bundles past their expiry, whose file the cleanup task deletes."""
        return self.filter(state=BundleState.READY, expires_at__lte=now or timezone.now())


class PacketBundle(models.Model):
    """A ZIP of the final packets of one deliverable's filings under one authority, built by
    a worker for a lead reviewer. The file is kept for a while, then deleted by the cleanup
    task; the row stays as a record of who asked for what."""

    authority = models.ForeignKey(
        "enterprises.Authority",
        verbose_name=_("authority"),
        on_delete=models.PROTECT,
        related_name="packet_bundles",
    )
    deliverable = models.ForeignKey(
        "timeline.Deliverable",
        verbose_name=_("deliverable"),
        on_delete=models.PROTECT,
        related_name="packet_bundles",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=16, choices=BundleState.choices, default=BundleState.PENDING
    )
    total = models.PositiveIntegerField(_("packets"), default=0)
    done = models.PositiveIntegerField(_("packets added"), default=0)
    # A default_storage name, e.g. "bundles/3f2c….zip"; empty until built and after expiry.
    file = models.CharField(_("file"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    sha256 = models.CharField(_("sha256"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    objects = PacketBundleQuerySet.as_manager()

    class Meta:
        verbose_name = _("packet bundle")
        verbose_name_plural = _("packet bundles")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One bundle in the making per authority and deliverable: a second request while
            # it is built reuses it (services.bundle_request), and the database backs that up.
            models.UniqueConstraint(
                fields=["authority", "deliverable"],
                condition=Q(state__in=["pending", "running"]),
                name="packet_bundle_one_open",
            ),
        ]
        indexes = [models.Index(fields=["authority", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.authority} · {self.deliverable} · {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("packets:bundle_detail", kwargs={"code": self.authority.code, "pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.state not in BUNDLE_OPEN_STATES

    @property
    def percent(self) -> int:
        if self.state == BundleState.READY:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    def is_expired(self, now: datetime | None = None) -> bool:
        if self.state == BundleState.EXPIRED:
            return True
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())
