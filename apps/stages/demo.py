"""Filled-in stage summaries and assessment reports for demo data and tests: plausible,
complete, fictional; every number derived from the prefilled plan rows."""

import copy
from decimal import Decimal
from typing import Any

from apps.plans.constants import ActionArea
from apps.plans.gaps import format_decimal, parse_decimal
from apps.stages.constants import (
    ADJUSTMENTS,
    AREAS,
    CASES,
    EXPERIENCE,
    INDICATORS,
    MECHANISMS,
    PROBLEMS,
    TASKS,
    TaskStatus,
)

STATUS_CYCLE = [TaskStatus.DONE, TaskStatus.IN_PROGRESS, TaskStatus.DELAYED]
# With ``vary``, each indicator lands this much off the common share, so that a demo's
# dashboards show indicators both on track and behind.
SHARE_SPREAD = ["0.35", "-0.1", "0.25", "0.05", "-0.2", "0.4", "0.15", "-0.05"]


def _actual(row: dict[str, Any], share: Decimal) -> str:
    """``share`` of the way from the baseline to the target."""
    baseline, target = parse_decimal(row.get("baseline")), parse_decimal(row.get("target"))
    if baseline is None or target is None:
        return "1"
    return format_decimal((baseline + (target - baseline) * share).quantize(Decimal("0.01")))


def demo_stage_content(
    content: dict[str, Any], *, share: str = "0.9", vary: bool = False
) -> dict[str, Any]:
    """``content`` (a prefilled draft's) with every blank filled in: every actual at
    ``share`` of the way to its target, or around it with ``vary``."""
    filled = copy.deepcopy(content)
    section = filled[INDICATORS]
    for i, row in enumerate(section["rows"]):
        if row.get("applicable") is False:
            continue
        spread = Decimal(SHARE_SPREAD[i % len(SHARE_SPREAD)]) if vary else Decimal(0)
        at = max(Decimal(0), Decimal(share) + spread)
        if section.get("years"):  # an assessment report: each year assessed, the outlook
            row["actuals"] = {
                year: _actual({**row, "target": row["targets"].get(year)}, at)
                for year in row.get("actuals") or {}
            }
            outlook = str(section.get("outlook_year") or "")
            row["outlook"] = row["targets"].get(outlook, "") if outlook else ""
        else:
            row["actual"] = _actual(row, at)
            # The same period a year earlier: a little below the baseline's level.
            if not row.get("previous"):
                row["previous"] = _actual(row, Decimal("-0.2"))
        row["note"] = "据年度财务快报。"
    if AREAS in filled:  # an assessment report
        filled[AREAS] = {area.value: f"{area.label}：目标基本完成。" for area in ActionArea}
        filled[EXPERIENCE] = {"text": "以对标促提升，以考核促落实。"}
        filled[MECHANISMS] = {
            "text": "将价值创造指标纳入年度经营业绩考核，形成对标、诊断、改进的常态化机制。"
        }
        filled[CASES] = {
            "rows": [
                {"id": "case1", "title": "司库体系建设", "area": ActionArea.EFFICIENCY.value,
                 "summary": "资金集中度提升至96%，财务费用下降12%。"},
                {"id": "case2", "title": "数字化转型平台", "area": ActionArea.INNOVATION.value,
                 "summary": "核心业务系统全部上云。"},
            ]
        }  # fmt: skip
        return filled
    for i, row in enumerate(filled[TASKS]["rows"]):
        row["status"] = STATUS_CYCLE[i % len(STATUS_CYCLE)].value
        row["evidence"] = "阶段成果已通过内部验收。"
    filled[PROBLEMS] = {"text": "部分指标受市场波动影响，进度低于预期。"}
    filled[ADJUSTMENTS] = {**filled.get(ADJUSTMENTS, {}), "text": "加快低效资产处置。"}
    return filled


def stage_fill(*, filing: Any, actor: Any, share: str = "0.9", vary: bool = False) -> None:
    """Fill the open draft, section by section, through the editor's service."""
    from apps.filings.kinds import get_kind
    from apps.filings.services import filing_save_section, open_draft

    content = demo_stage_content(open_draft(filing).content, share=share, vary=vary)
    for section in get_kind(filing.kind).sections:
        draft = open_draft(filing)
        filing_save_section(
            filing=filing, section=section.key, data=content[section.key],
            base_revision=int(draft.revisions.get(section.key, 0)), actor=actor,
        )  # fmt: skip
