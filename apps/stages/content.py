"""The content of stage summaries and assessment reports: prefilled from the approved plan,
their normal form, progress toward targets, completeness and what display templates need.

Identity columns (an indicator's name, unit, direction, baseline, target and benchmark; a
task's title, area and due date) are copied from the enterprise's approved plan and never
read from a POST: the enterprise types only what happened (actuals, statuses, evidence).
Numbers are decimal strings, as in the plan.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from apps.filings.kinds import Missing
from apps.plans.constants import INDICATORS as PLAN_INDICATORS
from apps.plans.constants import TASKS as PLAN_TASKS
from apps.plans.constants import ActionArea, Direction, unit_label
from apps.plans.content import campaign_years, localised_name, row_anchor_field
from apps.plans.gaps import format_decimal, parse_decimal
from apps.stages.constants import (
    ADJUSTMENTS,
    AREAS,
    ASSESSMENT_REPORT,
    CASES,
    EVIDENCE_REQUIRED,
    EXPERIENCE,
    INDICATORS,
    PROBLEMS,
    TASKS,
    TaskStatus,
)

PLAN_KIND = "plan"
PROGRESS_PLACES = Decimal("0.0001")
# IndicatorResult.progress holds 12 digits with 4 places: a target a hair's breadth from its
# baseline could otherwise give an absurd ratio that does not fit.
PROGRESS_LIMIT = Decimal("9999")
PLAN_CACHE_ATTR = "_vc_approved_plan"


# --- The approved plan ---------------------------------------------------------------------


def approved_plan(enterprise_id: int, campaign_id: int) -> Any:
    """The enterprise's plan filing of the campaign with a version in force, or None. During
    an amendment the approved version stays in force, so a summary still has its targets."""
    from apps.filings.models import Filing  # filings sits above this module's callers

    return (
        Filing.objects.filter(
            enterprise_id=enterprise_id,
            deliverable__campaign_id=campaign_id,
            kind=PLAN_KIND,
            approved_version__isnull=False,
        )
        .select_related("approved_version")
        .order_by("deliverable__due_on", "pk")
        .first()
    )


def plan_for(filing: Any) -> Any:
    """The approved plan filing for a summary or report (looked up once per filing object)."""
    if filing is None:
        return None
    if not hasattr(filing, PLAN_CACHE_ATTR):
        plan = approved_plan(filing.enterprise_id, filing.deliverable.campaign_id)
        setattr(filing, PLAN_CACHE_ATTR, plan)
    return getattr(filing, PLAN_CACHE_ATTR)


def plan_content(filing: Any) -> dict[str, Any] | None:
    plan = plan_for(filing)
    return plan.approved_version.content if plan is not None else None


def no_plan_message() -> str:
    return _(
        "This filing starts from the enterprise's approved implementation plan of the same "
        "campaign, and there is none yet. It can be started once the plan is approved."
    )


def can_start(enterprise: Any, deliverable: Any) -> str | None:
    if approved_plan(enterprise.pk, deliverable.campaign_id) is None:
        return no_plan_message()
    return None


# --- Years ---------------------------------------------------------------------------------


def summary_default_year(filing: Any) -> int:
    """The year a stage summary covers: a summary due in January to March sums up the year
    before; otherwise the year of its due date. Kept within the campaign's years."""
    due = filing.deliverable.due_on
    year = due.year - 1 if due.month <= 3 else due.year
    years = campaign_years(filing)
    if years and year not in years:
        year = min(max(year, years[0]), years[-1])
    return year


def final_year(filing: Any) -> int:
    years = campaign_years(filing)
    return years[-1] if years else filing.deliverable.due_on.year


def default_year(filing: Any) -> int:
    return final_year(filing) if filing.kind == ASSESSMENT_REPORT else summary_default_year(filing)


def expected_share(filing: Any, year: int) -> Decimal:
    """How much of the way to the year's target should be covered by the time the filing is
    due: the share of the calendar year elapsed at the due date (1 for a summary of a whole
    year, and for the final assessment)."""
    if filing is None or filing.kind == ASSESSMENT_REPORT:
        return Decimal(1)
    due: dt.date = filing.deliverable.due_on
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    if due >= end - dt.timedelta(days=1):
        return Decimal(1)
    if due < start:
        return Decimal(0)
    share = Decimal((due - start).days + 1) / Decimal((end - start).days)
    return share.quantize(PROGRESS_PLACES)


# --- Progress ------------------------------------------------------------------------------


def progress(row: dict[str, Any]) -> Decimal | None:
    """Share of the way from the baseline to the target that the actual has covered: 1 means
    the target is reached. (actual − baseline) / (target − baseline) works for either
    direction: for "lower is better" both differences are negative when things improve.
    A target equal to its baseline (hold the line) counts as 1 when the actual is at or
    better than it, else 0. None when a number is missing."""
    baseline = parse_decimal(row.get("baseline"))
    target = parse_decimal(row.get("target"))
    actual = parse_decimal(row.get("actual"))
    if baseline is None or target is None or actual is None:
        return None
    if target == baseline:
        if row.get("direction") == Direction.LOWER:
            return Decimal(1) if actual <= target else Decimal(0)
        return Decimal(1) if actual >= target else Decimal(0)
    ratio = (actual - baseline) / (target - baseline)
    ratio = max(-PROGRESS_LIMIT, min(PROGRESS_LIMIT, ratio))
    return ratio.quantize(PROGRESS_PLACES)


def suggest_on_track(value: Decimal | None, share: Decimal) -> bool | None:
    """On track when the progress is at least the share of time elapsed."""
    return None if value is None else value >= share


def progress_percent(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format_decimal((value * 100).quantize(Decimal("0.1")))


# --- Rows from the plan --------------------------------------------------------------------


def parse_year(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


def section_year(section: dict[str, Any] | None, filing: Any) -> int:
    year = parse_year((section or {}).get("year"))
    years = campaign_years(filing)
    if year is None or (years and year not in years):
        return default_year(filing)
    return year


def indicator_rows(
    plan: dict[str, Any] | None, year: int, stored: list[dict[str, Any]] | None
) -> list[dict[str, Any]]:
    """One row per indicator of the plan, identity and target from the plan, what the
    enterprise reported kept from ``stored`` (matched by row id)."""
    by_id = {r.get("id"): r for r in stored or [] if isinstance(r, dict)}
    rows: list[dict[str, Any]] = []
    for source in ((plan or {}).get(PLAN_INDICATORS) or {}).get("rows") or []:
        kept = by_id.get(source.get("id")) or {}
        on_track = kept.get("on_track")
        rows.append(
            {
                "id": source.get("id"),
                "code": source.get("code") or "",
                "core": bool(source.get("core")),
                "name_zh": source.get("name_zh") or "",
                "name_en": source.get("name_en") or "",
                "unit": source.get("unit") or "",
                "direction": source.get("direction") or Direction.HIGHER.value,
                "baseline": source.get("baseline") or "",
                "target": (source.get("targets") or {}).get(str(year), "") or "",
                "benchmark": source.get("benchmark") or "",
                "actual": kept.get("actual") or "",
                "on_track": on_track if isinstance(on_track, bool) else None,
                "note": kept.get("note") or "",
            }
        )
    return rows


def task_rows(
    plan: dict[str, Any] | None, stored: list[dict[str, Any]] | None
) -> list[dict[str, Any]]:
    by_id = {r.get("id"): r for r in stored or [] if isinstance(r, dict)}
    rows: list[dict[str, Any]] = []
    for source in ((plan or {}).get(PLAN_TASKS) or {}).get("rows") or []:
        kept = by_id.get(source.get("id")) or {}
        status = kept.get("status") or ""
        rows.append(
            {
                "id": source.get("id"),
                "area": source.get("area") or "",
                "title": source.get("title") or "",
                "due": source.get("due") or "",
                "status": status if status in TaskStatus.values else "",
                "evidence": kept.get("evidence") or "",
            }
        )
    return rows


def indicators_section(filing: Any, stored: dict[str, Any] | None = None) -> dict[str, Any]:
    year = section_year(stored, filing)
    return {
        "year": str(year),
        "rows": indicator_rows(plan_content(filing), year, (stored or {}).get("rows")),
    }


def initial_content(filing: Any) -> dict[str, Any]:
    plan = plan_content(filing)
    indicators = indicators_section(filing)
    if filing.kind == ASSESSMENT_REPORT:
        return {
            INDICATORS: indicators,
            AREAS: {area.value: "" for area in ActionArea},
            EXPERIENCE: {"text": ""},
            CASES: {"rows": []},
        }
    return {
        INDICATORS: indicators,
        TASKS: {"rows": task_rows(plan, None)},
        PROBLEMS: {"text": ""},
        ADJUSTMENTS: {"text": "", "amendment_filing_id": None},
    }


# --- Completeness --------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _indicator_missing(content: dict[str, Any], need: Any) -> None:
    rows = (content.get(INDICATORS) or {}).get("rows") or []
    for i, row in enumerate(rows):
        if _blank(row.get("actual")):
            label = localised_name(row) or _("Indicator %(number)d") % {"number": i + 1}
            need(
                INDICATORS,
                row_anchor_field(i, "actual"),
                _("%(indicator)s: the actual value is missing.") % {"indicator": label},
            )


def summary_completeness(content: dict[str, Any], filing: Any) -> list[Missing]:
    """Every indicator's actual and every task's status; evidence for a task done or
    delayed."""
    missing: list[Missing] = []

    def need(section: str, field: str, message: str) -> None:
        missing.append(Missing(section=section, field=field, message=message))

    _indicator_missing(content, need)
    for i, row in enumerate((content.get(TASKS) or {}).get("rows") or []):
        title = row.get("title") or _("Key task %(number)d") % {"number": i + 1}
        status = row.get("status") or ""
        if status not in TaskStatus.values:
            need(
                TASKS,
                row_anchor_field(i, "status"),
                _("%(task)s: choose its status.") % {"task": title},
            )
        elif status in EVIDENCE_REQUIRED and _blank(row.get("evidence")):
            need(
                TASKS,
                row_anchor_field(i, "evidence"),
                _("%(task)s: give the evidence for its status “%(status)s”.")
                % {"task": title, "status": TaskStatus(status).label},
            )
    return missing


def assessment_completeness(content: dict[str, Any], filing: Any) -> list[Missing]:
    """Every indicator's actual, the results of each action area, the experience, and at
    least one typical case with its title and summary."""
    missing: list[Missing] = []

    def need(section: str, field: str, message: str) -> None:
        missing.append(Missing(section=section, field=field, message=message))

    _indicator_missing(content, need)
    areas = content.get(AREAS) or {}
    for area in ActionArea:
        if _blank(areas.get(area.value)):
            need(
                AREAS,
                area.value,
                _("Describe the results for %(area)s.") % {"area": area.label},
            )
    if _blank((content.get(EXPERIENCE) or {}).get("text")):
        need(EXPERIENCE, "text", _("Describe the experience gained."))
    cases = (content.get(CASES) or {}).get("rows") or []
    if not cases:
        need(CASES, "title", _("Add at least one typical case."))
    for i, row in enumerate(cases):
        for name, what in (("title", _("the title")), ("summary", _("the summary"))):
            if _blank(row.get(name)):
                need(
                    CASES,
                    row_anchor_field(i, name),
                    _("Typical case %(number)d: %(what)s is missing.")
                    % {"number": i + 1, "what": what},
                )
    return missing


def completeness(content: dict[str, Any], filing: Any) -> list[Missing]:
    if filing is not None and filing.kind == ASSESSMENT_REPORT:
        return assessment_completeness(content, filing)
    return summary_completeness(content, filing)


# --- Display -------------------------------------------------------------------------------


def indicator_display_rows(data: dict[str, Any], filing: Any) -> list[dict[str, Any]]:
    """Stored rows ready to print, with progress and the suggestion computed from the row
    alone (a frozen version shows what it was filed with)."""
    year = parse_year(data.get("year"))
    share = expected_share(filing, year) if year else Decimal(1)
    directions = dict(Direction.choices)
    rows = []
    for row in data.get("rows") or []:
        value = progress(row)
        rows.append(
            {
                **row,
                "name": localised_name(row),
                "unit_label": unit_label(row.get("unit") or ""),
                "direction_label": directions.get(row.get("direction") or "", ""),
                "progress": value,
                "progress_percent": progress_percent(value),
                "achieved": None if value is None else value >= 1,
                "suggested": suggest_on_track(value, share),
            }
        )
    return rows


def section_display(key: str, data: dict[str, Any] | None, filing: Any) -> dict[str, Any]:
    data = data or {}
    if key == INDICATORS:
        year = parse_year(data.get("year"))
        return {"year": year, "indicator_rows": indicator_display_rows(data, filing)}
    if key == TASKS:
        areas = dict(ActionArea.choices)
        statuses = dict(TaskStatus.choices)
        return {
            "task_rows": [
                {
                    **row,
                    "area_label": areas.get(row.get("area") or "", row.get("area") or ""),
                    "status_label": statuses.get(row.get("status") or "", ""),
                }
                for row in data.get("rows") or []
            ]
        }
    if key == AREAS:
        return {
            "area_items": [
                {"key": area.value, "label": area.label, "text": data.get(area.value) or ""}
                for area in ActionArea
            ]
        }
    if key == CASES:
        areas = dict(ActionArea.choices)
        return {
            "case_rows": [
                {**row, "area_label": areas.get(row.get("area") or "", "")}
                for row in data.get("rows") or []
            ]
        }
    return {}
