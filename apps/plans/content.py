"""The content of an implementation plan: its skeleton, its normal form, what it lacks
before submission, and what its display templates need beyond the stored dict.

Content is ``{section: {...}}``; tables are ``{"rows": [{"id": ..., ...}]}``. Numbers are
strings of decimals, dates ISO strings, years of targets strings ("2023").
"""

import uuid
from typing import Any, NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.i18n import in_language
from apps.filings.kinds import Missing
from apps.plans.consistency import Issue, check_indicators
from apps.plans.constants import (
    ACTION_AREA_HELP,
    ASSURANCE,
    BENCHMARKS,
    CORE_BY_CODE,
    CORE_INDICATORS,
    DIAGNOSIS,
    INDICATORS,
    MEASURES,
    TASKS,
    ActionArea,
    BenchmarkLevel,
    CoreIndicator,
    Direction,
    unit_label,
)
from apps.plans.gaps import Gap, indicator_gap

BENCHMARK_FIELDS = ("name", "country", "level", "source")
TASK_FIELDS = ("area", "title", "department", "person", "start", "due", "result")


def new_row_id() -> str:
    return uuid.uuid4().hex[:12]


def row_field_id(section: str, index: int, name: str) -> str:
    """The id of a table cell's input: the first row's is ``field-<section>-<name>`` (what
    the completeness checklist links to); later rows add their index."""
    return f"field-{section}-{name}" if index == 0 else f"field-{section}-{index}-{name}"


def row_anchor_field(index: int, name: str) -> str:
    """``Missing.field`` for a cell, so that ``Missing.anchor`` equals its input's id."""
    return name if index == 0 else f"{index}-{name}"


# --- Campaign years -------------------------------------------------------------------------


def campaign_years(filing: Any) -> list[int]:
    """Every calendar year the filing's campaign spans, from the first stage's start to the
    last stage's end: a target is set for each."""
    if filing is None:  # a display without its filing shows the years the content has
        return []
    deliverable = filing.deliverable
    # .all() rather than an aggregate, so that a prefetch of the stages is used.
    stages = list(deliverable.campaign.stages.all())
    if not stages:
        return [deliverable.due_on.year]
    first = min(s.starts_on for s in stages).year
    last = max(s.ends_on for s in stages).year
    return list(range(first, last + 1))


def content_years(content: dict[str, Any]) -> list[int]:
    """The years an indicator table has targets for (a frozen version keeps its own)."""
    years: set[int] = set()
    for row in (content.get(INDICATORS) or {}).get("rows") or []:
        years.update(int(y) for y in (row.get("targets") or {}) if str(y).isdigit())
    return sorted(years)


# --- Normal form ---------------------------------------------------------------------------


def localised_name(row: dict[str, Any]) -> str:
    return in_language(row.get("name_zh") or "", row.get("name_en") or "")


def blank_indicator(years: list[int], core: CoreIndicator | None = None) -> dict[str, Any]:
    # A core row's id is its code: one per plan, and the same however often a missing row
    # is restored (the editor matches posted rows to stored ones by id).
    row_id = core.code if core else new_row_id()
    return {
        "id": row_id,
        "code": core.code if core else custom_code(row_id),
        "core": core is not None,
        "name_zh": core.name_zh if core else "",
        "name_en": core.name_en if core else "",
        "unit": core.unit if core else "",
        "direction": core.direction.value if core else Direction.HIGHER.value,
        "baseline_year": None,
        "baseline": "",
        "targets": {str(y): "" for y in years},
        "benchmark": "",
        "benchmark_source": "",
    }


def custom_code(row_id: str) -> str:
    # Custom indicators are told apart by their row id; the code just carries it.
    return f"custom_{row_id}"


def with_core_fixed(row: dict[str, Any], core: CoreIndicator) -> dict[str, Any]:
    """A core row with its identity from the constant table, whatever was stored or sent."""
    return {
        **row,
        "code": core.code,
        "core": True,
        "name_zh": core.name_zh,
        "name_en": core.name_en,
        "unit": core.unit,
        "direction": core.direction.value,
    }


def indicator_rows(section: dict[str, Any] | None, years: list[int]) -> list[dict[str, Any]]:
    """The indicator rows in their normal form: the eight core rows first, in the notice's
    order (restored if missing, identity fixed), then the custom rows in their order; every
    row with a target for each campaign year."""
    core_rows: dict[str, dict[str, Any]] = {}
    custom: list[dict[str, Any]] = []
    for row in (section or {}).get("rows") or []:
        core = CORE_BY_CODE.get(row.get("code") or "")
        if row.get("core") and core is not None:
            core_rows.setdefault(core.code, with_core_fixed(row, core))
        else:
            custom.append({**row, "core": False})
    rows = [core_rows.get(c.code) or blank_indicator(years, c) for c in CORE_INDICATORS]
    rows.extend(custom)
    for row in rows:
        targets = row.get("targets") or {}
        row["targets"] = {str(y): targets.get(str(y), "") for y in years}
    return rows


def initial_content(filing: Any) -> dict[str, Any]:
    years = campaign_years(filing)
    return {
        DIAGNOSIS: {"key_factors": "", "shortcomings": ""},
        BENCHMARKS: {"rows": []},
        INDICATORS: {"rows": [blank_indicator(years, c) for c in CORE_INDICATORS]},
        MEASURES: {area.value: "" for area in ActionArea},
        TASKS: {"rows": []},
        ASSURANCE: {"organisation": "", "incentives": "", "constraints": ""},
    }


# --- Completeness --------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def completeness(content: dict[str, Any], filing: Any) -> list[Missing]:
    """Everything a plan must state before it is submitted, in the order of the plan."""
    missing: list[Missing] = []

    def need(section: str, field: str, message: str) -> None:
        missing.append(Missing(section=section, field=field, message=message))

    diagnosis = content.get(DIAGNOSIS) or {}
    if _blank(diagnosis.get("key_factors")):
        need(DIAGNOSIS, "key_factors", _("Describe the key factors of value creation."))
    if _blank(diagnosis.get("shortcomings")):
        need(DIAGNOSIS, "shortcomings", _("Describe the shortcomings and weak links."))

    benchmarks = (content.get(BENCHMARKS) or {}).get("rows") or []
    if not benchmarks:
        need(BENCHMARKS, "name", _("Name at least one benchmark enterprise."))
    elif not any(r.get("level") == BenchmarkLevel.WORLD_CLASS for r in benchmarks):
        need(BENCHMARKS, "level", _("Choose at least one world-class enterprise as a benchmark."))
    benchmark_labels = {
        "name": _("the name"),
        "country": _("the country or region"),
        "level": _("the level"),
        "source": _("the source"),
    }
    for i, row in enumerate(benchmarks):
        for name in BENCHMARK_FIELDS:
            if _blank(row.get(name)):
                need(
                    BENCHMARKS,
                    row_anchor_field(i, name),
                    _("Benchmark %(number)d: %(what)s is missing.")
                    % {"number": i + 1, "what": benchmark_labels[name]},
                )

    years = campaign_years(filing)
    indicator_labels = {
        "name_zh": _("the Chinese name"),
        "unit": _("the unit"),
        "baseline_year": _("the baseline year"),
        "baseline": _("the baseline value"),
        "benchmark": _("the benchmark value"),
        "benchmark_source": _("the source of the benchmark"),
    }
    for i, row in enumerate(indicator_rows(content.get(INDICATORS), years)):
        # Custom indicators must be as complete as the core ones: they are in the plan too.
        names = ["baseline_year", "baseline"]
        if not row["core"]:
            names = ["name_zh", "unit", *names]
        label = localised_name(row) or _("Indicator %(number)d") % {"number": i + 1}
        for name in names:
            if _blank(row.get(name)):
                need(
                    INDICATORS,
                    row_anchor_field(i, name),
                    _("%(indicator)s: %(what)s is missing.")
                    % {"indicator": label, "what": indicator_labels[name]},
                )
        for year in years:
            if _blank(row["targets"].get(str(year))):
                need(
                    INDICATORS,
                    row_anchor_field(i, f"target_{year}"),
                    _("%(indicator)s: the target for %(year)d is missing.")
                    % {"indicator": label, "year": year},
                )
        for name in ("benchmark", "benchmark_source"):
            if _blank(row.get(name)):
                need(
                    INDICATORS,
                    row_anchor_field(i, name),
                    _("%(indicator)s: %(what)s is missing.")
                    % {"indicator": label, "what": indicator_labels[name]},
                )
    # Figures that are there must also agree (net profit within total profit, years in
    # order, every figure a number in its range): the errors of the consistency rules.
    for issue in indicator_issues(content, filing):
        if issue.is_error:
            need(INDICATORS, row_anchor_field(issue.row, issue.field), issue.message)

    measures = content.get(MEASURES) or {}
    for area in ActionArea:
        if _blank(measures.get(area.value)):
            need(
                MEASURES,
                area.value,
                _("Describe the measures for %(area)s.") % {"area": area.label},
            )

    tasks = (content.get(TASKS) or {}).get("rows") or []
    if not tasks:
        need(TASKS, "title", _("Add at least one key task."))
    task_labels = {
        "area": _("the action area"),
        "title": _("the task"),
        "department": _("the responsible department"),
        "person": _("the responsible person"),
        "start": _("the start date"),
        "due": _("the due date"),
        "result": _("the expected result"),
    }
    for i, row in enumerate(tasks):
        for name in TASK_FIELDS:
            if _blank(row.get(name)):
                need(
                    TASKS,
                    row_anchor_field(i, name),
                    _("Key task %(number)d: %(what)s is missing.")
                    % {"number": i + 1, "what": task_labels[name]},
                )

    assurance = content.get(ASSURANCE) or {}
    if _blank(assurance.get("organisation")):
        need(ASSURANCE, "organisation", _("Describe the organisational safeguards."))
    if _blank(assurance.get("incentives")):
        need(ASSURANCE, "incentives", _("Describe the incentives."))
    return missing


# --- Consistency ---------------------------------------------------------------------------


class Concern(NamedTuple):
    """A warning about a cell: ``(section, field, message)``; ``anchor`` is the id of the
    cell's input in the editor (as ``Missing.anchor``)."""

    section: str
    field: str
    message: str

    @property
    def anchor(self) -> str:
        return f"field-{self.section}-{self.field}"


# The box the lead ticks on the check-your-answers page when there are warnings.
ACKNOWLEDGE_WARNINGS = gettext_lazy(
    "I have checked the figures flagged above: they are what the enterprise intends to file."
)


def indicator_issues(content: dict[str, Any], filing: Any) -> list[Issue]:
    """What the consistency rules find in the indicator table, errors and warnings."""
    section = content.get(INDICATORS) or {}
    stored_years = {
        str(row.get("id")): [str(y) for y in (row.get("targets") or {})]
        for row in section.get("rows") or []
        if isinstance(row, dict)
    }
    rows = indicator_rows(section, campaign_years(filing) or content_years(content))
    return check_indicators(rows, stored_years=stored_years)


def warnings(content: dict[str, Any], filing: Any) -> list[Concern]:
    """The warnings the lead must acknowledge before submitting (targets that move against
    the indicator's direction, sudden jumps), in the plan's order. Errors are not here:
    they are in ``completeness`` and stop the submission."""
    return [
        Concern(INDICATORS, row_anchor_field(issue.row, issue.field), issue.message)
        for issue in indicator_issues(content, filing)
        if not issue.is_error
    ]


# --- Display -------------------------------------------------------------------------------


def section_display(key: str, data: dict[str, Any] | None, filing: Any) -> dict[str, Any]:
    """What a section's display template needs beyond ``data``, from ``data`` alone (and the
    filing's campaign years when the data has none): rows ready to print, with labels
    looked up, targets in year order and gaps computed. A frozen version shows the years it
    was filed with, not the campaign's current ones."""
    data = data or {}
    if key == INDICATORS:
        years = content_years({INDICATORS: data}) or campaign_years(filing)
        rows = indicator_rows(data, years)
        gaps: dict[str, Gap | None] = {row["id"]: indicator_gap(row) for row in rows}
        directions = dict(Direction.choices)
        return {
            "years": years,
            "gaps": gaps,
            "indicator_rows": [
                {
                    **row,
                    "name": localised_name(row),
                    "unit_label": unit_label(row.get("unit") or ""),
                    "direction_label": directions.get(row.get("direction") or "", ""),
                    "target_list": [row["targets"].get(str(y), "") for y in years],
                    "gap": gaps[row["id"]],
                }
                for row in rows
            ],
        }
    if key == BENCHMARKS:
        levels = dict(BenchmarkLevel.choices)
        return {
            "benchmark_rows": [
                {**row, "level_label": levels.get(row.get("level") or "", "")}
                for row in data.get("rows") or []
            ]
        }
    if key == MEASURES:
        return {
            "measure_items": [
                {
                    "key": area.value,
                    "label": area.label,
                    "help": ACTION_AREA_HELP[area],
                    "text": data.get(area.value) or "",
                }
                for area in ActionArea
            ]
        }
    if key == TASKS:
        areas = dict(ActionArea.choices)
        return {
            "task_rows": [
                {**row, "area_label": areas.get(row.get("area") or "", row.get("area") or "")}
                for row in data.get("rows") or []
            ]
        }
    return {}


def display_context(content: dict[str, Any], filing: Any) -> dict[str, Any]:
    """The kind's display context: every section's extras in one dict (``years``,
    ``gaps`` {row id: Gap | None}, ``indicator_rows``, ``benchmark_rows``,
    ``measure_items``, ``task_rows``). The plan's own templates compute their section's part
    themselves (``{% plan_display %}``), so they work with ``data`` alone."""
    extras: dict[str, Any] = {}
    for key in (BENCHMARKS, INDICATORS, MEASURES, TASKS):
        extras.update(section_display(key, content.get(key), filing))
    return extras
