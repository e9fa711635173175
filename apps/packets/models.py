from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.filings.models import FilingVersion


class PacketKind(models.TextChoices):
    SUBMISSION = "submission", _("Submission packet")
    FINAL = "final", _("Final packet")


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

    class Meta:
        verbose_name = _("packet")
        verbose_name_plural = _("packets")
        ordering = ["version_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["version", "kind"], name="packet_one_per_version_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.version} · {self.get_kind_display()}"
