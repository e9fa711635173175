"""Filled-in plan content for demo and benchmark data: plausible, complete, fictional."""

import random
from decimal import Decimal
from typing import Any

from apps.plans.constants import (
    ASSURANCE,
    BENCHMARKS,
    DIAGNOSIS,
    INDICATORS,
    MEASURES,
    TASKS,
    ActionArea,
)
from apps.plans.content import custom_code, initial_content, new_row_id

# (baseline, yearly growth, benchmark) per core indicator, for a large industrial group.
PROFILE = {
    "total_profit": ("1250000", "0.08", "2600000"),
    "net_profit": ("980000", "0.08", "2100000"),
    "debt_to_asset": ("64.5", "-0.01", "55.0"),
    "roe": ("7.8", "0.05", "12.5"),
    "labour_productivity": ("68.0", "0.07", "120.0"),
    "eva_ratio": ("1.9", "0.10", "4.0"),
    "rd_intensity": ("2.6", "0.08", "4.5"),
    "operating_cash_ratio": ("9.5", "0.04", "14.0"),
}
MEASURE_TEXT = {
    ActionArea.EFFICIENCY: "推进精益成本管控，压降两金占用；完善司库体系，资金集中度提升至95%以上。",
    ActionArea.INNOVATION: "加大研发投入，建设两个国家级创新平台；推进数字化转型，核心业务系统上云。",
    ActionArea.NATIONAL_STRATEGY: "服务制造强国战略，提升产业链供应链韧性；稳妥推进“一带一路”项目。",
    ActionArea.GOVERNANCE: "完善董事会建设，落实经理层任期制和契约化管理，深化三项制度改革。",
    ActionArea.SUSTAINABILITY: "优化业务结构，有序退出非主业低效资产；健全合规与风险管理体系。",
    ActionArea.SHARED_VALUE: "履行社会责任，强化安全生产；推进绿色低碳转型，单位产值能耗下降5%。",
    ActionArea.SYSTEM_CAPACITY: "建立诊断、责任、执行、评价、保障五大体系，形成价值创造闭环管理。",
}


def _grow(value: str, rate: str, years: int) -> str:
    result = Decimal(value) * (1 + Decimal(rate)) ** years
    return str(result.quantize(Decimal("0.01")))


# An indicator of the enterprise's own, as the notice invites ("taking into account the
# actual situation of industries and enterprises").
CUSTOM_INDICATOR = {
    "name_zh": "专利授权数", "name_en": "Patents granted", "unit": "项",
    "kind": "amount", "direction": "higher", "profile": ("120", "0.10", "300"),
}  # fmt: skip
# Why a public-welfare enterprise leaves out an optional indicator.
NOT_APPLICABLE_REASON = (
    "公益类企业以成本控制、产品服务质量和保障能力为主要考核内容，不以经济增加值衡量。"
)


def demo_plan_content(
    filing: Any, *, seed: int = 0, note: str = "", custom: bool = False
) -> dict[str, Any]:
    """A complete plan for ``filing`` (its campaign decides the target years); with
    ``custom``, an indicator of the enterprise's own as well. An optional indicator the
    enterprise's category may leave out (the EVA ratio for public welfare) is left out,
    with the reason."""
    rng = random.Random(seed)  # noqa: S311 - demo figures, not secrets
    content = initial_content(filing)
    content[DIAGNOSIS] = {
        "key_factors": "主业盈利能力和资本回报是价值创造的关键因素。\n\n" + note,
        "shortcomings": "净资产收益率低于行业先进水平，研发投入强度不足，资产负债率偏高。",
    }
    content[BENCHMARKS] = {
        "rows": [
            {"id": new_row_id(), "name": "Siemens AG", "country": "德国", "level": "world_class",
             "source": "2023年年报"},
            {"id": new_row_id(), "name": "行业领先企业A", "country": "中国", "level": "industry_advanced",
             "source": "行业协会统计"},
        ]
    }  # fmt: skip
    if custom:
        row_id = new_row_id()
        content[INDICATORS]["rows"].append(
            {
                "id": row_id, "code": custom_code(row_id), "core": False,
                **{k: v for k, v in CUSTOM_INDICATOR.items() if k != "profile"},
                "targets": dict.fromkeys(content[INDICATORS]["rows"][0]["targets"], ""),
            }
        )  # fmt: skip
    for row in content[INDICATORS]["rows"]:
        if row.get("requirement") == "not_applicable":
            continue
        if row.get("requirement") == "optional" and row["code"] == "eva_ratio":
            row.update({"applicable": False, "na_reason": NOT_APPLICABLE_REASON})
            continue
        baseline, rate, benchmark = (
            PROFILE[row["code"]] if row.get("core") else CUSTOM_INDICATOR["profile"]
        )
        jitter = Decimal(rng.randint(90, 110)) / 100
        base = str((Decimal(baseline) * jitter).quantize(Decimal("0.01")))
        years = sorted(row["targets"], key=int)
        row.update(
            {
                "baseline_year": int(years[0]) - 1 if years else 2022,
                "baseline": base,
                "targets": {y: _grow(base, rate, i + 1) for i, y in enumerate(years)},
                "benchmark": benchmark,
                "benchmark_source": "世界一流企业对标数据库（示范）",
            }
        )
    content[MEASURES] = {area.value: MEASURE_TEXT[area] for area in ActionArea}
    content[TASKS] = {
        "rows": [
            {"id": new_row_id(), "area": area.value, "title": f"{area.label}重点任务",
             "department": "战略发展部", "person": "张三", "start": "2023-04-01",
             "due": "2024-12-31", "result": "形成可量化的阶段成果并通过验收"}
            for area in list(ActionArea)[:3]
        ]
    }  # fmt: skip
    content[ASSURANCE] = {
        "organisation": "成立由董事长任组长的价值创造行动领导小组。",
        "incentives": "将价值创造指标纳入经理层经营业绩考核，权重不低于20%。",
        "constraints": "对未完成目标的单位进行约谈和考核扣分。",
    }
    return content


def plan_fill(
    *, filing: Any, content: dict[str, Any], actor: Any, sections: int | None = None
) -> None:
    """Save ``content`` into the filing's open draft section by section, through the same
    service an editor uses (so events and revisions are real). ``sections`` limits it to
    the first few."""
    from apps.filings.kinds import get_kind
    from apps.filings.services import filing_save_section, open_draft

    for section in get_kind(filing.kind).sections[:sections]:
        draft = open_draft(filing)
        filing_save_section(
            filing=filing, section=section.key, data=content[section.key],
            base_revision=int(draft.revisions.get(section.key, 0)), actor=actor,
        )  # fmt: skip
