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
from apps.indicators.catalogue import IndicatorSpec, default_specs, specs_for_filing
from apps.indicators.judging import band_text
from apps.indicators.models import Kind, Requirement
from apps.plans.consistency import Issue, check_indicators
from apps.plans.constants import (
    ACTION_AREA_HELP,
    ASSURANCE,
    BENCHMARKS,
    DIAGNOSIS,
    INDICATORS,
    MEASURES,
    TASKS,
    ActionArea,
    BenchmarkLevel,
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


def blank_indicator(years: list[int], spec: IndicatorSpec | None = None) -> dict[str, Any]:
    # A core row's id is its code: one per plan, and the same however often a missing row
    # is restored (the editor matches posted rows to stored ones by id).
    row_id = spec.code if spec else new_row_id()
    row: dict[str, Any] = {
        "id": row_id,
        "code": custom_code(row_id),
        "core": False,
        "name_zh": "",
        "name_en": "",
        "unit": "",
        "kind": Kind.AMOUNT.value,
        "direction": Direction.HIGHER.value,
        "baseline_year": None,
        "baseline": "",
        "targets": {str(y): "" for y in years},
        "benchmark": "",
        "benchmark_source": "",
    }
    return with_core_fixed(row, spec) if spec else row


def custom_code(row_id: str) -> str:
    # Custom indicators are told apart by their row id; the code just carries it.
    return f"custom_{row_id}"


def with_core_fixed(row: dict[str, Any], spec: IndicatorSpec) -> dict[str, Any]:
    """A core row with its identity and definition from the campaign's catalogue, whatever
    was stored or sent; whether it applies follows the enterprise's category: required
    rows always do, not-applicable ones never, an optional one as the enterprise says
    (with its reason)."""
    fixed = {**row, **spec.row_fields()}
    if spec.requirement == Requirement.OPTIONAL:
        applicable = row.get("applicable") is not False
    else:
        applicable = spec.requirement == Requirement.REQUIRED
    fixed["applicable"] = applicable
    optional_left_out = spec.requirement == Requirement.OPTIONAL and not applicable
    fixed["na_reason"] = str(row.get("na_reason") or "") if optional_left_out else ""
    return fixed


def indicator_specs(filing: Any) -> list[IndicatorSpec]:
    """The indicators the filing's enterprise reports, as its campaign defines them for its
    functional category and industry (the default set for a display without a filing)."""
    if filing is None:
        return default_specs()
    return specs_for_filing(filing)


def indicator_rows(
    section: dict[str, Any] | None,
    years: list[int],
    specs: list[IndicatorSpec] | None = None,
) -> list[dict[str, Any]]:
    """The indicator rows in their normal form, every row with a target for each year.

    With ``specs`` (the editor, completeness): the campaign's core rows first, in its order
    (restored if missing, identity and definition fixed), then the custom rows in their
    order; a core row the campaign no longer defines stays, as a custom row (nothing typed
    is lost). Without (a display of what was filed): the rows as stored."""
    stored = [r for r in (section or {}).get("rows") or [] if isinstance(r, dict)]
    if specs is None:
        rows = [dict(r) for r in stored]
    else:
        by_code = {s.code: s for s in specs}
        core_rows: dict[str, dict[str, Any]] = {}
        custom: list[dict[str, Any]] = []
        for row in stored:
            spec = by_code.get(str(row.get("code") or "")) if row.get("core") else None
            if spec is not None:
                core_rows.setdefault(spec.code, with_core_fixed(row, spec))
            elif row.get("core"):
                row_id = str(row.get("id") or new_row_id())
                custom.append({**row, "id": row_id, "core": False, "code": custom_code(row_id)})
            else:
                custom.append({**row, "core": False})
        rows = [core_rows.get(s.code) or blank_indicator(years, s) for s in specs]
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
        INDICATORS: {"rows": indicator_rows(None, years, indicator_specs(filing))},
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
    rows = indicator_rows(content.get(INDICATORS), years, indicator_specs(filing))
    for i, row in enumerate(rows):
        label = localised_name(row) or _("Indicator %(number)d") % {"number": i + 1}
        if row.get("applicable") is False:
            # Left out: an optional indicator needs the enterprise's reason; one the
            # campaign marks not applicable to the category needs nothing.
            if row.get("requirement") == Requirement.OPTIONAL and _blank(row.get("na_reason")):
                need(
                    INDICATORS,
                    row_anchor_field(i, "na_reason"),
                    _("%(indicator)s: say why it does not apply.") % {"indicator": label},
                )
            continue
        # Custom indicators must be as complete as the core ones: they are in the plan too.
        names = ["baseline_year", "baseline"]
        if not row["core"]:
            names = ["name_zh", "unit", *names]
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
    years = campaign_years(filing) or content_years(content)
    specs = indicator_specs(filing) if filing is not None else None
    rows = indicator_rows(section, years, specs)
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
        kinds = dict(Kind.choices)
        return {
            "years": years,
            "gaps": gaps,
            "indicator_rows": [
                {
                    **row,
                    "name": localised_name(row),
                    "unit_label": unit_label(row.get("unit") or ""),
                    "direction_label": directions.get(row.get("direction") or "", ""),
                    "kind_label": kinds.get(row.get("kind") or "", ""),
                    "definition": in_language(
                        str(row.get("definition_zh") or ""), str(row.get("definition_en") or "")
                    ),
                    "band": band_text(row),
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
