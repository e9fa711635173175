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

from apps.core.i18n import in_language
from apps.filings.kinds import Missing
from apps.indicators.judging import BandStatus, Basis, Judgement, band_text, judge, judge_for
from apps.plans.constants import CORE_BY_CODE, ActionArea, Direction, Kind, unit_label
from apps.plans.constants import INDICATORS as PLAN_INDICATORS
from apps.plans.constants import TASKS as PLAN_TASKS
from apps.plans.content import campaign_years, localised_name, row_anchor_field
from apps.plans.gaps import format_decimal
from apps.stages.constants import (
    ADJUSTMENTS,
    AREAS,
    ASSESSMENT_REPORT,
    CASES,
    EVIDENCE_REQUIRED,
    EXPERIENCE,
    INDICATORS,
    MECHANISMS,
    PROBLEMS,
    STAGE_SUMMARY,
    TASKS,
    TaskStatus,
)
from apps.timeline.periods import Period, period_of

PLAN_KIND = "plan"
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


# --- Periods and years -----------------------------------------------------------------------


def report_period(filing: Any) -> Period | None:
    """The period a stage summary reports on (its deliverable's), or None."""
    return period_of(filing.deliverable) if filing is not None else None


def summary_default_year(filing: Any) -> int:
    """The year a stage summary without a period covers (one set up before periods were
    data): a summary due in January to March sums up the year before; otherwise the year of
    its due date. Kept within the campaign's years."""
    due = filing.deliverable.due_on
    year = due.year - 1 if due.month <= 3 else due.year
    years = campaign_years(filing)
    if years and year not in years:
        year = min(max(year, years[0]), years[-1])
    return year


def assessed_years(filing: Any) -> list[int]:
    """The years an assessment report assesses: every campaign year that had ended when the
    assessment stage began (2023 and 2024 for the report due in the first quarter of 2025).
    Derived from the campaign, never from the due date."""
    years = campaign_years(filing)
    stage = filing.deliverable.stage
    ended = [y for y in years if dt.date(y, 12, 31) < stage.starts_on]
    return ended or years[:1]


def outlook_year(filing: Any) -> int | None:
    """The year the assessment report gives an outlook for: the campaign's last, when it
    had not ended at the assessment (2025)."""
    years = campaign_years(filing)
    if not years or years[-1] in assessed_years(filing):
        return None
    return years[-1]


def final_year(filing: Any) -> int:
    years = campaign_years(filing)
    return years[-1] if years else filing.deliverable.due_on.year


def default_year(filing: Any) -> int:
    if filing.kind == ASSESSMENT_REPORT:
        return final_year(filing)
    period = report_period(filing)
    return period.year if period is not None else summary_default_year(filing)


# --- Judging ---------------------------------------------------------------------------------


def progress_percent(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format_decimal((value * 100).quantize(Decimal("0.1")))


def share_percent(value: Decimal | None) -> str:
    """A change as a signed percentage: "+12.5", "-3.0" ("" for none)."""
    if value is None:
        return ""
    text = format_decimal((value * 100).quantize(Decimal("0.1")))
    return text if text.startswith("-") else f"+{text}"


def stored_period(section: dict[str, Any] | None) -> Period | None:
    """The period a summary's indicators section was filed for, as it recorded it."""
    start, end = (section or {}).get("period_start"), (section or {}).get("period_end")
    try:
        return Period(dt.date.fromisoformat(str(start)), dt.date.fromisoformat(str(end)))
    except (TypeError, ValueError):
        return None


def judged(row: dict[str, Any], filing: Any, section: dict[str, Any] | None = None) -> Judgement:
    """A summary row judged at the end of the period it reports on: the one its section
    recorded, else its deliverable's (apps.indicators.judging)."""
    period = stored_period(section) or report_period(filing)
    share = getattr(filing.deliverable, "expected_share", None) if filing is not None else None
    return judge_for(row, period, share)


# --- Rows from the plan --------------------------------------------------------------------


def parse_year(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


def section_year(section: dict[str, Any] | None, filing: Any) -> int:
    """A summary's year: its period's, when it has one (fixed); else the year stored or
    chosen, within the campaign's years."""
    period = report_period(filing)
    if period is not None and filing.kind != ASSESSMENT_REPORT:
        return period.year
    year = parse_year((section or {}).get("year"))
    years = campaign_years(filing)
    if year is None or (years and year not in years):
        return default_year(filing)
    return year


# What a report's row copies from the plan's: the indicator as it was filed there, with its
# definition and how it is judged. A plan filed before definitions were data has no kind:
# a core indicator then takes the default set's, a custom one is an amount.
IDENTITY_KEYS = (
    "code", "core", "name_zh", "name_en", "unit", "precision", "kind", "direction",
    "band_lower", "band_upper", "warning_margin", "definition_zh", "definition_en",
)  # fmt: skip


def row_identity(source: dict[str, Any]) -> dict[str, Any]:
    identity: dict[str, Any] = {key: source.get(key) for key in IDENTITY_KEYS if key in source}
    identity["code"] = source.get("code") or ""
    identity["core"] = bool(source.get("core"))
    identity["name_zh"] = source.get("name_zh") or ""
    identity["name_en"] = source.get("name_en") or ""
    identity["unit"] = source.get("unit") or ""
    identity["direction"] = source.get("direction") or Direction.HIGHER.value
    if not identity.get("kind"):
        core = CORE_BY_CODE.get(str(identity["code"])) if identity["core"] else None
        identity["kind"] = (core.kind if core else Kind.AMOUNT).value
    identity["applicable"] = source.get("applicable") is not False
    return identity


def previous_actuals(filing: Any) -> dict[str, str]:
    """Each indicator's actual in the enterprise's summary of the same period a year
    earlier (its version in force, else its latest submitted one), for the year-on-year
    change: {code: actual}. Empty when there is none."""
    from apps.filings.models import Filing

    period = report_period(filing)
    if period is None or (filing.pk is None and filing.enterprise_id is None):
        return {}
    earlier = period.previous
    found = (
        Filing.objects.filter(
            enterprise_id=filing.enterprise_id,
            kind=STAGE_SUMMARY,
            deliverable__period_starts_on=earlier.starts_on,
            deliverable__period_ends_on=earlier.ends_on,
        )
        .select_related("approved_version", "latest_submitted")
        .order_by("-pk")
        .first()
    )
    if found is None:
        return {}
    version = found.approved_version or found.latest_submitted
    if version is None:
        return {}
    return {
        str(row.get("code")): str(row.get("actual") or "")
        for row in ((version.content or {}).get(INDICATORS) or {}).get("rows") or []
        if isinstance(row, dict) and row.get("actual")
    }


def indicator_rows(
    plan: dict[str, Any] | None,
    year: int,
    stored: list[dict[str, Any]] | None,
    previous: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """A stage summary's rows: one per indicator of the plan, identity, baseline and the
    year's target from the plan, what the enterprise reported kept from ``stored`` (matched
    by row id). The same period's figure a year earlier is prefilled from ``previous``
    (the earlier summary) when the enterprise has not typed one."""
    by_id = {r.get("id"): r for r in stored or [] if isinstance(r, dict)}
    rows: list[dict[str, Any]] = []
    for source in ((plan or {}).get(PLAN_INDICATORS) or {}).get("rows") or []:
        kept = by_id.get(source.get("id")) or {}
        identity = row_identity(source)
        rows.append(
            {
                "id": source.get("id"),
                **identity,
                "baseline": source.get("baseline") or "",
                "target": (source.get("targets") or {}).get(str(year), "") or "",
                "benchmark": source.get("benchmark") or "",
                "actual": kept.get("actual") or "" if identity["applicable"] else "",
                "previous": kept.get("previous") or (previous or {}).get(str(identity["code"]), ""),
                "note": kept.get("note") or "",
            }
        )
    return rows


def assessment_rows(
    plan: dict[str, Any] | None,
    years: list[int],
    outlook: int | None,
    stored: list[dict[str, Any]] | None,
) -> list[dict[str, Any]]:
    """An assessment report's rows: per indicator of the plan, its targets for the years
    assessed and the outlook year, the actual of each year assessed and the outlook."""
    by_id = {r.get("id"): r for r in stored or [] if isinstance(r, dict)}
    target_years = [*years, *([outlook] if outlook else [])]
    rows: list[dict[str, Any]] = []
    for source in ((plan or {}).get(PLAN_INDICATORS) or {}).get("rows") or []:
        kept = by_id.get(source.get("id")) or {}
        identity = row_identity(source)
        plan_targets = source.get("targets") or {}
        kept_actuals: dict[str, Any] = (
            kept["actuals"] if isinstance(kept.get("actuals"), dict) else {}
        )
        rows.append(
            {
                "id": source.get("id"),
                **identity,
                "baseline": source.get("baseline") or "",
                "targets": {str(y): plan_targets.get(str(y), "") or "" for y in target_years},
                "benchmark": source.get("benchmark") or "",
                "actuals": {str(y): kept_actuals.get(str(y)) or "" for y in years},
                "outlook": (kept.get("outlook") or "") if outlook else "",
                "note": kept.get("note") or "",
            }
        )
    return rows


def year_row(row: dict[str, Any], year: int) -> dict[str, Any]:
    """An assessment row as one year's summary row: that year's target and actual."""
    return {
        **row,
        "target": (row.get("targets") or {}).get(str(year), ""),
        "actual": (row.get("actuals") or {}).get(str(year), ""),
    }


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
    plan = plan_content(filing)
    rows_stored = (stored or {}).get("rows")
    if filing.kind == ASSESSMENT_REPORT:
        years, outlook = assessed_years(filing), outlook_year(filing)
        return {
            "years": [str(y) for y in years],
            "outlook_year": str(outlook) if outlook else "",
            "rows": assessment_rows(plan, years, outlook, rows_stored),
        }
    year = section_year(stored, filing)
    section: dict[str, Any] = {"year": str(year)}
    period = report_period(filing)
    if period is not None:
        # The period is the record's: a later change of the campaign's periods does not
        # rewrite what a filed summary reported on.
        section["period_start"] = period.starts_on.isoformat()
        section["period_end"] = period.ends_on.isoformat()
    section["rows"] = indicator_rows(plan, year, rows_stored, previous_actuals(filing))
    return section


def initial_content(filing: Any) -> dict[str, Any]:
    plan = plan_content(filing)
    indicators = indicators_section(filing)
    if filing.kind == ASSESSMENT_REPORT:
        return {
            INDICATORS: indicators,
            AREAS: {area.value: "" for area in ActionArea},
            EXPERIENCE: {"text": ""},
            MECHANISMS: {"text": ""},
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
    section = content.get(INDICATORS) or {}
    rows = section.get("rows") or []
    years = [str(y) for y in section.get("years") or []]
    outlook = str(section.get("outlook_year") or "")
    for i, row in enumerate(rows):
        if row.get("applicable") is False:
            continue  # left out of the plan, with its reason there
        label = localised_name(row) or _("Indicator %(number)d") % {"number": i + 1}
        if not years:
            if _blank(row.get("actual")):
                need(
                    INDICATORS,
                    row_anchor_field(i, "actual"),
                    _("%(indicator)s: the actual value is missing.") % {"indicator": label},
                )
            continue
        actuals = row.get("actuals") or {}
        for year in years:
            if _blank(actuals.get(year)):
                need(
                    INDICATORS,
                    row_anchor_field(i, f"actual_{year}"),
                    _("%(indicator)s: the actual value for %(year)s is missing.")
                    % {"indicator": label, "year": year},
                )
        if outlook and _blank(row.get("outlook")):
            need(
                INDICATORS,
                row_anchor_field(i, "outlook"),
                _("%(indicator)s: the outlook for %(year)s is missing.")
                % {"indicator": label, "year": outlook},
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
    if MECHANISMS in content and _blank((content.get(MECHANISMS) or {}).get("text")):
        need(MECHANISMS, "text", _("Describe the long-term mechanisms."))
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


def judgement_display(judgement: Judgement) -> dict[str, Any]:
    """What a template prints of a judgement."""
    return {
        "progress": judgement.progress,
        "progress_percent": progress_percent(judgement.progress),
        "achieved": judgement.achieved,
        "on_track": judgement.on_track,
        "basis": judgement.basis,
        "basis_label": Basis(judgement.basis).label,
        "band_status": judgement.band_status,
        "band_status_label": BandStatus(judgement.band_status).label
        if judgement.band_status
        else "",
        "compared_with": judgement.compared_with,
        "year_on_year": share_percent(judgement.year_on_year),
    }


def _row_labels(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": localised_name(row),
        "unit_label": unit_label(row.get("unit") or ""),
        "direction_label": dict(Direction.choices).get(row.get("direction") or "", ""),
        "definition": in_language(
            str(row.get("definition_zh") or ""), str(row.get("definition_en") or "")
        ),
        "band": band_text(row),
        # Rows filed before an indicator could be left out have no flag: they applied.
        "applicable": row.get("applicable") is not False,
    }


def indicator_display_rows(data: dict[str, Any], filing: Any) -> list[dict[str, Any]]:
    """Stored rows ready to print, judged from the row and the filing's period alone (a
    frozen version shows what it was filed with)."""
    rows = []
    for row in data.get("rows") or []:
        rows.append({**row, **_row_labels(row), **judgement_display(judged(row, filing))})
    return rows


def assessment_display_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    years = [str(y) for y in data.get("years") or []]
    rows = []
    for row in data.get("rows") or []:
        per_year = [
            {
                "year": year,
                "target": (row.get("targets") or {}).get(year, ""),
                "actual": (row.get("actuals") or {}).get(year, ""),
                **judgement_display(judge(year_row(row, int(year)))),
            }
            for year in years
        ]
        outlook_year = str(data.get("outlook_year") or "")
        rows.append(
            {
                **row,
                **_row_labels(row),
                "per_year": per_year,
                "outlook_target": (row.get("targets") or {}).get(outlook_year, "")
                if outlook_year
                else "",
            }
        )
    return rows


def section_display(key: str, data: dict[str, Any] | None, filing: Any) -> dict[str, Any]:
    data = data or {}
    if key == INDICATORS:
        if data.get("years"):
            return {
                "years": [str(y) for y in data.get("years") or []],
                "outlook_year": str(data.get("outlook_year") or ""),
                "assessment_rows": assessment_display_rows(data),
            }
        year = parse_year(data.get("year"))
        period = stored_period(data)
        return {
            "year": year,
            "period_label": period.label if period else "",
            "indicator_rows": indicator_display_rows(data, filing),
        }
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
