"""A campaign's indicators as the editors and the rules read them: one ``IndicatorSpec`` per
indicator, resolved for an enterprise's functional category and industry.

The catalogue is read on every plan and summary page, so it is cached per campaign and
dropped whenever an administrator changes a definition, a requirement or a warning line.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from apps.core.i18n import in_language
from apps.core.numbers import Bounds
from apps.indicators import defaults
from apps.indicators.models import (
    Direction,
    IndicatorDefinition,
    IndicatorRequirement,
    Kind,
    Requirement,
    WarningLine,
)

CACHE_KEY = "indicators:catalogue:v1:{campaign_id}"
CACHE_SECONDS = 60 * 60


@dataclass(frozen=True)
class IndicatorSpec:
    """One indicator as an enterprise of a given category and industry reports it."""

    code: str
    name_zh: str
    name_en: str
    definition_zh: str
    definition_en: str
    unit: str
    precision: int
    kind: str
    direction: str
    requirement: str
    bounds: Bounds
    band_lower: Decimal | None = None
    band_upper: Decimal | None = None
    warning_margin: Decimal = Decimal(5)

    @property
    def name(self) -> str:
        return in_language(self.name_zh, self.name_en)

    @property
    def definition(self) -> str:
        return in_language(self.definition_zh, self.definition_en)

    @property
    def is_band(self) -> bool:
        return self.direction == Direction.BAND

    def row_fields(self) -> dict[str, Any]:
        """What a plan row copies from the definition, so that a filed version keeps the
        definition it was filed under (decimals as strings, as every figure is stored)."""
        return {
            "code": self.code,
            "core": True,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "definition_zh": self.definition_zh,
            "definition_en": self.definition_en,
            "unit": self.unit,
            "precision": self.precision,
            "kind": self.kind,
            "direction": self.direction,
            "requirement": self.requirement,
            "band_lower": _text(self.band_lower),
            "band_upper": _text(self.band_upper),
            "warning_margin": _text(self.warning_margin) if self.is_band else "",
        }


def _plain(value: Decimal | None) -> Decimal | None:
    """A stored decimal without the column's trailing zeros (100.0000 → 100)."""
    return None if value is None else Decimal(format(value.normalize(), "f"))


def _text(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f")


@dataclass(frozen=True)
class _Entry:
    """A definition with its requirements and warning lines, as cached."""

    definition: IndicatorDefinition
    requirements: dict[str, str]
    warning_lines: dict[str, Decimal]

    def spec(self, category: str, industry: str) -> IndicatorSpec:
        d = self.definition
        band_upper = _plain(self.warning_lines.get(industry, d.band_upper))
        return IndicatorSpec(
            code=d.code,
            name_zh=d.name_zh,
            name_en=d.name_en,
            definition_zh=d.definition_zh,
            definition_en=d.definition_en,
            unit=d.unit,
            precision=d.precision,
            kind=d.kind,
            direction=d.direction,
            requirement=self.requirements.get(category, Requirement.REQUIRED),
            bounds=Bounds(_plain(d.minimum), _plain(d.maximum)),
            band_lower=_plain(d.band_lower),
            band_upper=band_upper,
            warning_margin=_plain(d.warning_margin) or Decimal(0),
        )


def _load(campaign_id: int) -> list[_Entry]:
    key = CACHE_KEY.format(campaign_id=campaign_id)
    entries: list[_Entry] | None = cache.get(key)
    if entries is None:
        entries = [
            _Entry(
                definition=d,
                requirements={r.category: r.requirement for r in d.requirements.all()},
                warning_lines={w.industry: w.line for w in d.warning_lines.all()},
            )
            for d in IndicatorDefinition.objects.for_campaign(campaign_id)
        ]
        cache.set(key, entries, CACHE_SECONDS)
    return entries


def specs_for(campaign_id: int, *, category: str, industry: str) -> list[IndicatorSpec]:
    """The campaign's indicators, in order, as an enterprise of this functional category and
    industry reports them (including those not applicable to it: the caller decides
    whether to show them)."""
    return [entry.spec(category, industry) for entry in _load(campaign_id)]


def default_specs() -> list[IndicatorSpec]:
    """The default set, every indicator required: for what is shown without a campaign."""
    return [
        IndicatorSpec(
            code=d["code"],
            name_zh=d["name_zh"],
            name_en=d["name_en"],
            definition_zh=d["definition_zh"],
            definition_en=d["definition_en"],
            unit=d["unit"],
            precision=d["precision"],
            kind=d["kind"],
            direction=d["direction"],
            requirement=Requirement.REQUIRED,
            bounds=Bounds(d.get("minimum"), d.get("maximum")),
            band_lower=d.get("band_lower"),
            band_upper=d.get("band_upper"),
            warning_margin=d.get("warning_margin", Decimal(5)),
        )
        for d in defaults.DEFAULT_INDICATORS
    ]


def specs_for_filing(filing: Any) -> list[IndicatorSpec]:
    enterprise = filing.enterprise
    return specs_for(
        filing.deliverable.campaign_id, category=enterprise.category, industry=enterprise.industry
    )


def forget(campaign_id: int) -> None:
    cache.delete(CACHE_KEY.format(campaign_id=campaign_id))


@transaction.atomic
def catalogue_ensure(campaign: Any) -> int:
    """Give a campaign the default indicator set if it has none; returns how many were
    created. A campaign that has its own indicators is left alone."""
    if IndicatorDefinition.objects.filter(campaign=campaign).exists():
        return 0
    created = 0
    for order, spec in enumerate(defaults.DEFAULT_INDICATORS):
        definition = IndicatorDefinition.objects.create(campaign=campaign, order=order, **spec)
        for (code, category), requirement in defaults.DEFAULT_REQUIREMENTS.items():
            if code == definition.code:
                IndicatorRequirement.objects.create(
                    indicator=definition, category=category, requirement=requirement
                )
        for industry, line in defaults.DEFAULT_WARNING_LINES.get(definition.code, {}).items():
            WarningLine.objects.create(indicator=definition, industry=industry, line=line)
        created += 1
    transaction.on_commit(lambda: forget(campaign.pk))
    return created


def _campaign_id_of(instance: Any) -> int | None:
    if isinstance(instance, IndicatorDefinition):
        return instance.campaign_id
    indicator_id = getattr(instance, "indicator_id", None)
    if indicator_id is None:
        return None
    return (
        IndicatorDefinition.objects.filter(pk=indicator_id)
        .values_list("campaign_id", flat=True)
        .first()
    )


def _changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    campaign_id = _campaign_id_of(instance)
    if campaign_id is not None:
        transaction.on_commit(lambda: forget(campaign_id))


for _model in (IndicatorDefinition, IndicatorRequirement, WarningLine):
    post_save.connect(_changed, sender=_model, dispatch_uid=f"indicators-{_model.__name__}-save")
    post_delete.connect(
        _changed, sender=_model, dispatch_uid=f"indicators-{_model.__name__}-delete"
    )

__all__ = ["Direction", "IndicatorSpec", "Kind", "Requirement", "catalogue_ensure", "specs_for"]
