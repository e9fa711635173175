"""What an implementation plan is made of, as fixed data (SASAC notice No. 79)."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.core.i18n import in_language
from apps.core.numbers import NO_BOUNDS, Bounds, unit_places

# Re-exported: the plan's modules name units through here.
from apps.core.numbers import UNIT_LABELS as UNIT_LABELS
from apps.core.numbers import unit_label as unit_label
from apps.indicators.defaults import DEFAULT_INDICATORS
from apps.indicators.models import Direction as Direction
from apps.indicators.models import Kind as Kind


class ActionArea(models.TextChoices):
    """The seven action areas of the notice; each gets its measures and its key tasks."""

    EFFICIENCY = "efficiency", _("Efficiency and effectiveness")
    INNOVATION = "innovation", _("Innovation-driven development")
    NATIONAL_STRATEGY = "national_strategy", _("National strategies")
    GOVERNANCE = "governance", _("Governance effectiveness")
    SUSTAINABILITY = "sustainability", _("Sustainable development")
    SHARED_VALUE = "shared_value", _("Joint construction and sharing")
    SYSTEM_CAPACITY = "system_capacity", _("System capacity building")


# What the notice puts under each area: shown as help beside each measures field.
ACTION_AREA_HELP: dict[str, Promise] = {
    ActionArea.EFFICIENCY: _(
        "Core indicators, lean cost control, quality, financial management, treasury system, "
        "capital operations of listed companies."
    ),
    ActionArea.INNOVATION: _(
        "Science and technology, conversion of achievements, management and business-model "
        "innovation, digital transformation."
    ),
    ActionArea.NATIONAL_STRATEGY: _(
        "Manufacturing, quality, space, transport and cyber powerhouses, Digital China, "
        "industrial-chain leadership, the Belt and Road, regional strategies."
    ),
    ActionArea.GOVERNANCE: _(
        "The role of headquarters, the board, management improvement, the three-systems reform."
    ),
    ActionArea.SUSTAINABILITY: _(
        "Strategy loop, business-structure optimisation, divesting non-core assets, talent, "
        "risk and compliance."
    ),
    ActionArea.SHARED_VALUE: _("Social responsibility, safety, green and low-carbon development."),
    ActionArea.SYSTEM_CAPACITY: _(
        "The five systems: diagnostic, responsibility, execution, evaluation and assurance."
    ),
}


# One list of directions for the plan, the summaries and the campaign's definitions; a
# custom indicator is higher or lower is better (a band is the campaign's to define).
CUSTOM_DIRECTIONS = [(d.value, d.label) for d in (Direction.HIGHER, Direction.LOWER)]


class BenchmarkLevel(models.TextChoices):
    WORLD_CLASS = "world_class", _("World-class")
    INDUSTRY_ADVANCED = "industry_advanced", _("Industry-advanced")


@dataclass(frozen=True)
class CoreIndicator:
    code: str
    name_zh: str
    name_en: str
    unit: str
    direction: Direction
    # Decimal places the figures are shown with (see apps.core.numbers.UNIT_PLACES).
    precision: int = 2
    # Figures outside are refused where they are typed; None is an open side.
    bounds: Bounds = NO_BOUNDS
    kind: Kind = Kind.AMOUNT

    @property
    def name(self) -> str:
        return in_language(self.name_zh, self.name_en)


# The notice's eight core indicators as the default set gives them (apps.indicators.defaults,
# the one source): what a display without its campaign (the offline workbook's template, a
# label on a dashboard) falls back to. A campaign's own definitions are its data
# (apps.indicators.catalogue); a filed row carries the definition it was filed under.
# Ranges refuse what can only be a slip (a missing decimal point: 1250 for 12.50; a share
# above the whole); what is merely unlikely is warned about by the consistency rules below.
CORE_INDICATORS: tuple[CoreIndicator, ...] = tuple(
    CoreIndicator(
        code=spec["code"],
        name_zh=spec["name_zh"],
        name_en=spec["name_en"],
        unit=spec["unit"],
        direction=Direction(spec["direction"]),
        precision=spec["precision"],
        bounds=Bounds(spec.get("minimum"), spec.get("maximum")),
        kind=Kind(spec["kind"]),
    )
    for spec in DEFAULT_INDICATORS
)
CORE_BY_CODE: dict[str, CoreIndicator] = {c.code: c for c in CORE_INDICATORS}


def core_of(row: dict[str, Any]) -> CoreIndicator | None:
    """The core indicator a stored row is (None for a custom row)."""
    return CORE_BY_CODE.get(str(row.get("code") or "")) if row.get("core") else None


def figure_places(row: dict[str, Any]) -> int | None:
    """Decimal places the row's figures are shown with: the precision the row was filed
    with, else the core indicator's, else its unit's (a custom unit such as 项 shows the
    digits filed)."""
    precision = row.get("precision")
    if isinstance(precision, int) and not isinstance(precision, bool) and 0 <= precision <= 6:
        return precision
    core = core_of(row)
    return core.precision if core is not None else unit_places(str(row.get("unit") or ""))


def figure_bounds(row: dict[str, Any]) -> Bounds:
    """The plausible range of the row's figures (custom indicators have none)."""
    core = core_of(row)
    return core.bounds if core is not None else NO_BOUNDS


# --- Consistency rules ---------------------------------------------------------------------
# Checked on save (the editor) and on submit (completeness, warnings); evaluated by
# apps.plans.consistency. An error stops the save and the submission; a warning is shown
# after the save and must be acknowledged by the lead at submission.


class Severity(models.TextChoices):
    ERROR = "error", _("Error")
    WARNING = "warning", _("Warning")


@dataclass(frozen=True)
class PlausibleFigures:
    """Every figure of a row is a number within the indicator's bounds."""

    severity: Severity = Severity.ERROR


@dataclass(frozen=True)
class NotMoreThan:
    """``left`` is at most ``right`` (indicator codes), for the baseline and each target
    year: net profit is what is left of the total profit after income tax. A warning, not
    an error: a negative income-tax expense (deferred-tax credits) makes net profit larger
    in real accounts, and a filing must be able to say so once the lead has checked it."""

    left: str
    right: str
    severity: Severity = Severity.WARNING


@dataclass(frozen=True)
class TargetYearsInOrder:
    """Each target year once, in year order, after the baseline year."""

    severity: Severity = Severity.ERROR


@dataclass(frozen=True)
class TargetsFollowDirection:
    """No target worse than the baseline or than the previous year's target, in the
    indicator's direction (a target below them where higher is better)."""

    severity: Severity = Severity.WARNING


@dataclass(frozen=True)
class NoSuddenJump:
    """No figure more than ``factor`` times the one before it (or less than its
    ``factor``-th), from the baseline through the targets: a slipped decimal point or a
    wrong unit, more likely than a plan."""

    factor: Decimal = Decimal(10)
    severity: Severity = Severity.WARNING


ConsistencyRule = (
    PlausibleFigures | NotMoreThan | TargetYearsInOrder | TargetsFollowDirection | NoSuddenJump
)

CONSISTENCY_RULES: tuple[ConsistencyRule, ...] = (
    PlausibleFigures(),
    NotMoreThan(left="net_profit", right="total_profit"),
    TargetYearsInOrder(),
    TargetsFollowDirection(),
    NoSuddenJump(factor=Decimal(10)),
)

# Section keys, in the order of the plan.
DIAGNOSIS = "diagnosis"
BENCHMARKS = "benchmarks"
INDICATORS = "indicators"
MEASURES = "measures"
TASKS = "tasks"
ASSURANCE = "assurance"

# A table never grows past this (the formset refuses more rows).
MAX_ROWS = 100
