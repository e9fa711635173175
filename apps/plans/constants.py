"""What an implementation plan is made of, as fixed data (SASAC notice No. 79)."""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Re-exported: the plan's modules name units through here.
from apps.core.numbers import UNIT_LABELS as UNIT_LABELS
from apps.core.numbers import unit_label as unit_label


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


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


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


# The eight indicators every plan reports; their names, units and directions are not the
# enterprise's to change.
CORE_INDICATORS: tuple[CoreIndicator, ...] = (
    CoreIndicator("total_profit", "利润总额", "Total profit", "万元", Direction.HIGHER),
    CoreIndicator("net_profit", "净利润", "Net profit", "万元", Direction.HIGHER),
    CoreIndicator("debt_to_asset", "资产负债率", "Debt-to-asset ratio", "%", Direction.LOWER),
    CoreIndicator("roe", "净资产收益率", "Return on net assets", "%", Direction.HIGHER),
    CoreIndicator(
        "labour_productivity", "全员劳动生产率", "Overall labour productivity", "万元/人",
        Direction.HIGHER,
    ),
    CoreIndicator("eva_ratio", "经济增加值率", "Economic value added ratio", "%", Direction.HIGHER),
    CoreIndicator(
        "rd_intensity", "研发经费投入强度", "R&D investment intensity", "%", Direction.HIGHER
    ),
    CoreIndicator(
        "operating_cash_ratio", "营业现金比率", "Operating cash flow ratio", "%", Direction.HIGHER
    ),
)  # fmt: skip
CORE_BY_CODE: dict[str, CoreIndicator] = {c.code: c for c in CORE_INDICATORS}

# Section keys, in the order of the plan.
DIAGNOSIS = "diagnosis"
BENCHMARKS = "benchmarks"
INDICATORS = "indicators"
MEASURES = "measures"
TASKS = "tasks"
ASSURANCE = "assurance"

# A table never grows past this (the formset refuses more rows).
MAX_ROWS = 100
