"""What stage summaries and assessment reports report, kept in rows the dashboards can count.

The filed content (JSON on the version) stays the record; `IndicatorResult` is derived from
it when a version is frozen, so that an authority's on-track rate per indicator is one
aggregate query rather than a walk through thousands of JSON documents.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorResultQuerySet(models.QuerySet["IndicatorResult"]):
    def current(self) -> "IndicatorResultQuerySet":
        """Rows of each filing's latest submitted version: what reviewers see; never a
        draft, never a superseded version."""
        return self.filter(version_id=models.F("filing__latest_submitted_id"))


class IndicatorResult(models.Model):
    """One indicator's reported result in one submitted version of a stage summary or an
    assessment report. Numbers are decimals parsed from the content; a blank is NULL."""

    version = models.ForeignKey(
        "filings.FilingVersion",
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="indicator_results",
    )
    filing = models.ForeignKey(
        "filings.Filing",
        verbose_name=_("filing"),
        on_delete=models.CASCADE,
        related_name="indicator_results",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="indicator_results",
    )
    authority = models.ForeignKey(
        "enterprises.Authority",
        verbose_name=_("authority"),
        on_delete=models.CASCADE,
        related_name="indicator_results",
    )
    deliverable = models.ForeignKey(
        "timeline.Deliverable",
        verbose_name=_("deliverable"),
        on_delete=models.CASCADE,
        related_name="indicator_results",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    code = models.CharField(_("indicator code"), max_length=40)
    core = models.BooleanField(_("core indicator"), default=False)
    name_zh = models.CharField(_("Chinese name"), max_length=200, blank=True)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    direction = models.CharField(_("direction"), max_length=8, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    benchmark = models.DecimalField(
        _("benchmark"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    actual = models.DecimalField(
        _("actual"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    # Share of the way from baseline to target, 1.0 = target reached (direction-aware).
    progress = models.DecimalField(
        _("progress"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    on_track = models.BooleanField(_("on track"), null=True, blank=True)

    objects = IndicatorResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator result")
        verbose_name_plural = _("indicator results")
        ordering = ["version_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="indicator_result_once"),
        ]
        indexes = [
            models.Index(fields=["authority", "deliverable", "code"]),
            models.Index(fields=["enterprise", "code", "year"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.year}: {self.actual}"
