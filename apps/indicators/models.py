"""Indicators as campaign data: what each indicator means (口径), how it is judged, and which
enterprises must report it.

The notice names eight core indicators "such as" these, "taking into account the actual
situation of industries and enterprises", with no "one-size-fits-all": so a campaign holds
its own definitions, marks each one required, optional or not applicable per functional
category, and sets industry warning lines for the indicators judged within a band (the
debt-to-asset ratio). A plan copies the definitions it was filed under into its rows, so a
frozen version shows what it was filed with even after the campaign's data change.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.i18n import in_language
from apps.enterprises.models import FunctionalCategory, Industry


class Kind(models.TextChoices):
    AMOUNT = "amount", _("Amount (summed over the period)")
    RATIO = "ratio", _("Ratio (for the period)")
    # A period's flow over a stock (return on net assets): it builds up through the year.
    CUMULATIVE = "cumulative", _("Ratio that builds up over the year")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")
    BAND = "band", _("Within a band")


class Requirement(models.TextChoices):
    REQUIRED = "required", _("Required")
    OPTIONAL = "optional", _("Optional")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class IndicatorDefinitionQuerySet(models.QuerySet["IndicatorDefinition"]):
    def for_campaign(self, campaign_id: int) -> "IndicatorDefinitionQuerySet":
        return self.filter(campaign_id=campaign_id).prefetch_related(
            "requirements", "warning_lines"
        )


class IndicatorDefinition(models.Model):
    campaign = models.ForeignKey(
        "timeline.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    code = models.SlugField(_("code"), max_length=40)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200)
    definition_zh = models.TextField(
        _("definition (Chinese)"),
        blank=True,
        help_text=_("The formula and the source of the figures (口径), as enterprises read it."),
    )
    definition_en = models.TextField(_("definition (English)"), blank=True)
    unit = models.CharField(_("unit"), max_length=20)
    precision = models.PositiveSmallIntegerField(_("decimal places"), default=2)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    # The band of a "within a band" indicator; either side may be open. An industry's
    # warning line, where set, takes the upper side's place.
    band_lower = models.DecimalField(
        _("band: lower bound"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    band_upper = models.DecimalField(
        _("band: upper bound"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    warning_margin = models.DecimalField(
        _("near a bound within"),
        max_digits=20,
        decimal_places=4,
        default=Decimal(5),
        help_text=_("A value this close to a bound, inside the band, is shown as near it."),
    )
    # Figures outside are refused where they are typed (a slip, not a result).
    minimum = models.DecimalField(
        _("smallest plausible figure"), max_digits=24, decimal_places=4, null=True, blank=True
    )
    maximum = models.DecimalField(
        _("largest plausible figure"), max_digits=24, decimal_places=4, null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = IndicatorDefinitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator definition")
        verbose_name_plural = _("indicator definitions")
        ordering = ["campaign_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="indicator_code_once"),
            models.CheckConstraint(
                condition=Q(band_lower__isnull=True)
                | Q(band_upper__isnull=True)
                | Q(band_lower__lte=models.F("band_upper")),
                name="indicator_band_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.name_zh, self.name_en)

    @property
    def definition(self) -> str:
        return in_language(self.definition_zh, self.definition_en)

    def clean(self) -> None:
        if (
            self.band_lower is not None
            and self.band_upper is not None
            and self.band_lower > self.band_upper
        ):
            raise ValidationError({"band_upper": _("The upper bound is below the lower bound.")})
        if self.direction != Direction.BAND and (
            self.band_lower is not None or self.band_upper is not None
        ):
            raise ValidationError(
                {"direction": _("Only an indicator judged within a band has bounds.")}
            )


class IndicatorRequirement(models.Model):
    """Whether enterprises of a functional category must report the indicator. A category
    without a row must (required is the notice's default)."""

    indicator = models.ForeignKey(
        IndicatorDefinition,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="requirements",
    )
    category = models.CharField(
        _("functional category"), max_length=20, choices=FunctionalCategory.choices
    )
    requirement = models.CharField(
        _("requirement"), max_length=16, choices=Requirement.choices, default=Requirement.REQUIRED
    )

    class Meta:
        verbose_name = _("indicator requirement")
        verbose_name_plural = _("indicator requirements")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "category"], name="indicator_requirement_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.get_category_display()}: {self.get_requirement_display()}"


class WarningLine(models.Model):
    """An industry's warning line for a band indicator (SASAC's debt-to-asset warning lines:
    industrial enterprises 70 %, non-industrial 75 %, research and design 65 %)."""

    indicator = models.ForeignKey(
        IndicatorDefinition,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="warning_lines",
    )
    industry = models.CharField(_("industry"), max_length=2, choices=Industry.choices)
    line = models.DecimalField(_("warning line"), max_digits=20, decimal_places=4)

    class Meta:
        verbose_name = _("warning line")
        verbose_name_plural = _("warning lines")
        ordering = ["indicator_id", "industry"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "industry"], name="warning_line_once")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.industry}: {self.line}"
