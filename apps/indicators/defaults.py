"""The default indicator set a campaign starts with: the notice's eight core indicators, with
their definitions (口径) as SASAC's assessment practice reads them, the functional
categories that may leave one out, and SASAC's debt-to-asset warning lines by industry.

A campaign copies these once (``catalogue_ensure``); from then on they are the campaign's
data, edited by administrators. Used by the data migration, which must not import models.
"""

from decimal import Decimal
from typing import Any

D = Decimal
PROFIT_LIMIT = D("10000000000")  # beyond ±100 trillion yuan is a unit slip, not a result

# Kinds: "amount" is summed over the period; "ratio" compares two figures of the same
# period (debt to assets, R&D to revenue) and can be read against the year's target at any
# time; "cumulative" is a ratio of a period's flow to a stock (return on net assets, the EVA
# ratio, output per person): it builds up through the year like an amount, so half a year
# shows about half the year's value and is judged like an amount.
DEFAULT_INDICATORS: tuple[dict[str, Any], ...] = (
    {
        "code": "total_profit", "name_zh": "利润总额", "name_en": "Total profit",
        "unit": "万元", "precision": 2, "kind": "amount", "direction": "higher",
        "minimum": -PROFIT_LIMIT, "maximum": PROFIT_LIMIT,
        "definition_zh": "合并利润表“利润总额”项目，报告期累计数。",
        "definition_en": "“Total profit” of the consolidated income statement, summed over "
                         "the period.",
    },
    {
        "code": "net_profit", "name_zh": "净利润", "name_en": "Net profit",
        "unit": "万元", "precision": 2, "kind": "amount", "direction": "higher",
        "minimum": -PROFIT_LIMIT, "maximum": PROFIT_LIMIT,
        "definition_zh": "合并利润表“净利润”项目（含少数股东损益），报告期累计数。",
        "definition_en": "“Net profit” of the consolidated income statement, minority "
                         "interests included, summed over the period.",
    },
    {
        "code": "debt_to_asset", "name_zh": "资产负债率", "name_en": "Debt-to-asset ratio",
        "unit": "%", "precision": 2, "kind": "ratio", "direction": "band",
        "minimum": D(0), "maximum": D(100), "band_upper": D(75), "warning_margin": D(5),
        "definition_zh": "资产负债率 = 期末负债总额 / 期末资产总额 × 100%（合并报表）。"
                         "保持总体稳定，不超过所属行业的警戒线。",
        "definition_en": "Debt-to-asset ratio = total liabilities / total assets at the "
                         "period's end × 100 % (consolidated). Kept broadly stable, under "
                         "the industry's warning line.",
    },
    {
        "code": "roe", "name_zh": "净资产收益率", "name_en": "Return on net assets",
        "unit": "%", "precision": 2, "kind": "cumulative", "direction": "higher",
        "minimum": D(-100), "maximum": D(100),
        "definition_zh": "净资产收益率 = 净利润 / 平均净资产 × 100%；平均净资产 = "
                         "（期初所有者权益 + 期末所有者权益）/ 2。不年化。",
        "definition_en": "Return on net assets = net profit / average net assets × 100 %; "
                         "average net assets = (owners' equity at the start + at the end) "
                         "/ 2. Not annualised.",
    },
    {
        "code": "labour_productivity", "name_zh": "全员劳动生产率",
        "name_en": "Overall labour productivity",
        "unit": "万元/人", "precision": 2, "kind": "cumulative", "direction": "higher",
        "minimum": D(0), "maximum": None,
        "definition_zh": "全员劳动生产率 = 劳动生产总值 / 平均从业人员数；劳动生产总值 = "
                         "劳动者报酬 + 固定资产折旧 + 生产税净额 + 营业盈余。",
        "definition_en": "Overall labour productivity = gross labour output / average "
                         "number of employees; gross labour output = pay + depreciation of "
                         "fixed assets + net production taxes + operating surplus.",
    },
    {
        "code": "eva_ratio", "name_zh": "经济增加值率", "name_en": "Economic value added ratio",
        "unit": "%", "precision": 2, "kind": "cumulative", "direction": "higher",
        "minimum": D(-100), "maximum": D(100),
        "definition_zh": "经济增加值率 = 经济增加值 / 平均资本占用 × 100%；经济增加值 = "
                         "税后净营业利润 − 资本成本。",
        "definition_en": "EVA ratio = economic value added / average capital employed × "
                         "100 %; economic value added = net operating profit after tax − "
                         "the cost of capital.",
    },
    {
        "code": "rd_intensity", "name_zh": "研发经费投入强度",
        "name_en": "R&D investment intensity",
        "unit": "%", "precision": 2, "kind": "ratio", "direction": "higher",
        "minimum": D(0), "maximum": D(100),
        "definition_zh": "研发经费投入强度 = 研发经费投入 / 营业收入 × 100%，同一报告期。",
        "definition_en": "R&D investment intensity = R&D expenditure / operating revenue × "
                         "100 %, both of the same period.",
    },
    {
        "code": "operating_cash_ratio", "name_zh": "营业现金比率",
        "name_en": "Operating cash flow ratio",
        "unit": "%", "precision": 2, "kind": "ratio", "direction": "higher",
        "minimum": D(-100), "maximum": D(100),
        "definition_zh": "营业现金比率 = 经营活动产生的现金流量净额 / 营业收入 × 100%，"
                         "同一报告期。",
        "definition_en": "Operating cash flow ratio = net cash flow from operating "
                         "activities / operating revenue × 100 %, both of the same period.",
    },
)  # fmt: skip

# Public-welfare enterprises are assessed on cost control, service quality and their
# public task rather than on returns: they may leave out return on net assets and the EVA
# ratio (with a reason). Every other pair is required.
DEFAULT_REQUIREMENTS: dict[tuple[str, str], str] = {
    ("eva_ratio", "public_welfare"): "optional",
    ("roe", "public_welfare"): "optional",
}

# SASAC's debt-to-asset warning lines (国资委资产负债约束): industrial enterprises 70 %,
# research and design 65 %, every other industry 75 % (the definition's upper bound).
INDUSTRIAL = ("B", "C", "D")
DEFAULT_WARNING_LINES: dict[str, dict[str, Decimal]] = {
    "debt_to_asset": {**{code: D(70) for code in INDUSTRIAL}, "M": D(65)},
}
