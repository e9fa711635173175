"""What stage summaries and assessment reports report, kept in rows the dashboards can count.

The filed content (JSON on the version) stays the record; `IndicatorResult` is derived from
it when a version is frozen, so that an authority's on-track rate per indicator is one
aggregate query rather than a walk through thousands of JSON documents.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.i18n import in_language
from apps.stages.constants import DesignationKind


class IndicatorResultQuerySet(models.QuerySet["IndicatorResult"]):
    def current(self) -> "IndicatorResultQuerySet":
        """Rows of each filing's latest submitted version: what reviewers see; never a
        draft, never a superseded version."""
        return self.filter(version_id=models.F("filing__latest_submitted_id"))


class IndicatorResult(models.Model):
    """One indicator's reported result in one submitted version of a stage summary (its
    period) or an assessment report (one row per year assessed). Numbers are decimals parsed
    from the content; a blank is NULL. Indicators left out of the plan have no row."""

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
    kind = models.CharField(_("kind"), max_length=10, blank=True)
    # A whole year's figure (a full-year summary, an assessment report's year), as opposed
    # to a shorter period's: only these are a year's actual for amounts.
    full_year = models.BooleanField(_("whole year"), default=True)
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
    # Share of the way from baseline to target, 1.0 = target reached (direction-aware), and
    # on track: both as apps.indicators.judging computes them at the period's end.
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
            # An assessment report has a row per year assessed.
            models.UniqueConstraint(
                fields=["version", "code", "year"], name="indicator_result_once"
            ),
        ]
        indexes = [
            models.Index(fields=["authority", "deliverable", "code"]),
            models.Index(fields=["enterprise", "code", "year"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.year}: {self.actual}"


# --- The reviewer's assessment ---------------------------------------------------------------


class ScoreScale(models.Model):
    """A rating scale, as data: its levels are what a reviewer chooses from for each action
    area and for the overall rating. The default one is used for new assessments."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200)
    is_default = models.BooleanField(_("default"), default=False)

    class Meta:
        verbose_name = _("score scale")
        verbose_name_plural = _("score scales")
        ordering = ["-is_default", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="score_scale_one_default",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.name_zh, self.name_en)


class ScoreLevel(models.Model):
    scale = models.ForeignKey(
        ScoreScale, verbose_name=_("scale"), on_delete=models.CASCADE, related_name="levels"
    )
    code = models.CharField(_("code"), max_length=32)
    label_zh = models.CharField(_("Chinese label"), max_length=50)
    label_en = models.CharField(_("English label"), max_length=100)
    points = models.PositiveSmallIntegerField(_("points"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("score level")
        verbose_name_plural = _("score levels")
        ordering = ["scale_id", "order", "-points"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "code"], name="score_level_code_once"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return in_language(self.label_zh, self.label_en)


class Assessment(models.Model):
    """The reviewers' assessment of one submitted version of an assessment report: a level
    for each action area and an overall rating with a comment. Re-scoring updates it."""

    filing = models.ForeignKey(
        "filings.Filing",
        verbose_name=_("filing"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    version = models.ForeignKey(
        "filings.FilingVersion",
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    overall = models.ForeignKey(
        ScoreLevel, verbose_name=_("overall rating"), on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(_("comment"), blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scored by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["filing_id", "version_id"]
        constraints = [
            models.UniqueConstraint(fields=["filing", "version"], name="assessment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.filing} · v{self.version.number}: {self.overall}"


class AreaScore(models.Model):
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="scores"
    )
    area = models.CharField(_("action area"), max_length=32)
    level = models.ForeignKey(
        ScoreLevel, verbose_name=_("level"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("action area score")
        verbose_name_plural = _("action area scores")
        ordering = ["assessment_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "area"], name="area_score_once"),
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.level}"


# --- Designations ------------------------------------------------------------------------------


class DesignationQuerySet(models.QuerySet["Designation"]):
    def active(self) -> "DesignationQuerySet":
        return self.filter(revoked_at__isnull=True)


class Designation(models.Model):
    """A value-creation model enterprise (示范企业) or a benchmarking project (标杆项目: one
    typical case of the report), named by the authority's lead reviewer after approval.
    Revoking keeps the row, with who and when."""

    kind = models.CharField(_("kind"), max_length=20, choices=DesignationKind.choices)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="designations",
    )
    filing = models.ForeignKey(
        "filings.Filing",
        verbose_name=_("filing"),
        on_delete=models.PROTECT,
        related_name="designations",
    )
    authority = models.ForeignKey(
        "enterprises.Authority",
        verbose_name=_("authority"),
        on_delete=models.PROTECT,
        related_name="designations",
    )
    # The typical case's row id, for a benchmarking project; blank for a model enterprise.
    case_id = models.CharField(_("case"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"))
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("named by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    named_at = models.DateTimeField(_("named"), auto_now_add=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = DesignationQuerySet.as_manager()

    class Meta:
        verbose_name = _("designation")
        verbose_name_plural = _("designations")
        ordering = ["-named_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["filing", "kind", "case_id"],
                condition=models.Q(revoked_at__isnull=True),
                name="designation_active_once",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="model_enterprise", case_id="")
                | (models.Q(kind="benchmark_project") & ~models.Q(case_id="")),
                name="designation_case_matches_kind",
            ),
        ]
        indexes = [models.Index(fields=["authority", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
