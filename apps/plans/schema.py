"""What each stored key of an implementation plan means, for the comparison, the history
and the comment targets (see ``apps.filings.kinds.FieldSpec``). The labels are the editor's
own, so that a reviewer reads the words the enterprise typed against."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from apps.filings.kinds import FieldSpec, TableSpec, ValueType
from apps.indicators.models import Requirement
from apps.plans.constants import ActionArea, BenchmarkLevel, Direction, Kind, figure_places
from apps.plans.content import localised_name

ACTION_AREAS = dict(ActionArea.choices)

DIAGNOSIS_FIELDS = (
    FieldSpec("key_factors", _("Key factors of value creation"), ValueType.LONG_TEXT),
    FieldSpec("shortcomings", _("Shortcomings and weak links"), ValueType.LONG_TEXT),
)

BENCHMARKS_TABLE = TableSpec(
    label=_("Benchmark enterprise"),
    fields=(
        FieldSpec("name", _("Enterprise")),
        FieldSpec("country", _("Country or region")),
        FieldSpec("level", _("Level"), ValueType.CHOICE, choices=dict(BenchmarkLevel.choices)),
        FieldSpec("source", _("Source")),
    ),
    row_label=lambda row: str(row.get("name") or ""),
    identity=("name",),
)


def figure(key: str, label: Any) -> FieldSpec:
    """A figure of an indicator row: its unit in the row, its precision the indicator's."""
    return FieldSpec(key, label, ValueType.NUMBER, unit_key="unit", places=figure_places)


def indicator_label(row: dict[str, Any]) -> str:
    return localised_name(row)


# What an indicator row is, wherever it appears (the plan, the reports copy it from there).
INDICATOR_IDENTITY_FIELDS = (
    FieldSpec("code", _("Indicator code"), internal=True),
    FieldSpec("core", _("Core indicator"), ValueType.FLAG, internal=True),
    FieldSpec("name_zh", _("Indicator (Chinese)")),
    FieldSpec("name_en", _("Indicator (English)")),
    FieldSpec("unit", _("Unit")),
    FieldSpec("direction", _("Better when"), ValueType.CHOICE, choices=dict(Direction.choices)),
    FieldSpec("kind", _("Kind"), ValueType.CHOICE, choices=dict(Kind.choices)),
    # The campaign's definition, copied in when the row was saved: the version keeps the
    # definition it was filed under.
    FieldSpec("definition_zh", _("Definition (Chinese)"), ValueType.LONG_TEXT, internal=True),
    FieldSpec("definition_en", _("Definition (English)"), ValueType.LONG_TEXT, internal=True),
    FieldSpec("precision", _("Decimal places"), internal=True),
    FieldSpec("band_lower", _("Band: lower bound"), ValueType.NUMBER, unit_key="unit",
              internal=True),
    FieldSpec("band_upper", _("Band: upper bound"), ValueType.NUMBER, unit_key="unit",
              internal=True),
    FieldSpec("warning_margin", _("Near a bound within"), ValueType.NUMBER, unit_key="unit",
              internal=True),
    FieldSpec("requirement", _("Requirement"), ValueType.CHOICE,
              choices=dict(Requirement.choices), internal=True),
    # Whether it applies shows as its reason (na_reason): a flag beside every row is noise.
    FieldSpec("applicable", _("Applies to the enterprise"), ValueType.FLAG, internal=True),
)  # fmt: skip
# The keys that name an indicator row in the history (see TableSpec.identity).
INDICATOR_IDENTITY = ("code", "core", "name_zh", "name_en", "unit")

INDICATORS_TABLE = TableSpec(
    label=_("Indicator"),
    fields=(
        *INDICATOR_IDENTITY_FIELDS,
        FieldSpec("baseline_year", _("Baseline year"), ValueType.YEAR),
        figure("baseline", _("Baseline")),
        FieldSpec("targets", _("Targets"), ValueType.BY_YEAR, unit_key="unit",
                  item_label=_("Target %(year)s"), places=figure_places),
        figure("benchmark", _("Benchmark")),
        FieldSpec("benchmark_source", _("Source of the benchmark")),
        FieldSpec("na_reason", _("Why it does not apply")),
        # A ratio's numerator and denominator, where the enterprise gives them: a group's
        # roll-up recomputes the ratio from its subsidiaries' components.
        FieldSpec("components", _("Components"), internal=True),
    ),
    row_label=indicator_label,
    identity=INDICATOR_IDENTITY,
)  # fmt: skip

MEASURES_FIELDS = tuple(
    FieldSpec(area.value, area.label, ValueType.LONG_TEXT) for area in ActionArea
)

TASKS_TABLE = TableSpec(
    label=_("Key task"),
    fields=(
        FieldSpec("area", _("Action area"), ValueType.CHOICE, choices=ACTION_AREAS),
        FieldSpec("title", _("Task")),
        FieldSpec("department", _("Responsible department")),
        FieldSpec("person", _("Responsible person")),
        FieldSpec("start", _("Start"), ValueType.DATE),
        FieldSpec("due", _("Due"), ValueType.DATE),
        FieldSpec("result", _("Expected result (measurable)"), ValueType.LONG_TEXT),
    ),
    row_label=lambda row: str(row.get("title") or ""),
    identity=("title",),
)

ASSURANCE_FIELDS = (
    FieldSpec("organisation", _("Organisation"), ValueType.LONG_TEXT),
    FieldSpec("incentives", _("Incentives"), ValueType.LONG_TEXT),
    FieldSpec("constraints", _("Constraints"), ValueType.LONG_TEXT),
)
