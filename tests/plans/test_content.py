import datetime as dt

from django.utils import translation

from apps.filings.kinds import get_kind
from apps.filings.models import Filing
from apps.plans.constants import CORE_INDICATORS, ActionArea
from apps.plans.content import (
    campaign_years,
    completeness,
    indicator_rows,
    indicator_specs,
    initial_content,
)
from tests.conftest import World
from tests.plans.conftest import filled_content, make_campaign

D = dt.date


def test_the_plan_kind_is_registered() -> None:
    kind = get_kind("plan")
    assert [s.key for s in kind.sections] == [
        "diagnosis", "benchmarks", "indicators", "measures", "tasks", "assurance"
    ]  # fmt: skip
    assert kind.section("indicators").editor_template == "plans/editor/indicators.html"  # type: ignore[union-attr]


def test_campaign_years_come_from_the_stages(world: World) -> None:
    campaign = make_campaign(
        "TYEARS",
        {
            "deployment": (D(2026, 11, 1), D(2026, 12, 31)),
            "implementation": (D(2027, 1, 1), D(2028, 6, 30)),
            "assessment": (D(2028, 7, 1), D(2029, 1, 31)),
        },
    )
    filing = Filing(enterprise=world.central, deliverable=campaign.deliverables.get())
    assert campaign_years(filing) == [2026, 2027, 2028, 2029]
    rows = initial_content(filing)["indicators"]["rows"]
    assert all(list(r["targets"]) == ["2026", "2027", "2028", "2029"] for r in rows)


def test_initial_content_skeleton(filing: Filing) -> None:
    content = initial_content(filing)
    assert set(content) == {
        "diagnosis", "benchmarks", "indicators", "measures", "tasks", "assurance"
    }  # fmt: skip
    rows = content["indicators"]["rows"]
    assert [r["code"] for r in rows] == [c.code for c in CORE_INDICATORS]
    debt = rows[2]
    assert debt == {
        "id": "debt_to_asset",
        "code": "debt_to_asset",
        "core": True,
        "name_zh": "资产负债率",
        "name_en": "Debt-to-asset ratio",
        "unit": "%",
        "kind": "ratio",
        # Judged within a band (under the industry's warning line), not "lower is better";
        # the enterprise of this world is in industry D (electricity): industrial, 70 %.
        "direction": "band",
        "band_lower": "",
        "band_upper": "70",
        "warning_margin": "5",
        "precision": 2,
        "requirement": "required",
        "applicable": True,
        "na_reason": "",
        "definition_zh": "资产负债率 = 期末负债总额 / 期末资产总额 × 100%（合并报表）。"
        "保持总体稳定，不超过所属行业的警戒线。",
        "definition_en": "Debt-to-asset ratio = total liabilities / total assets at the "
        "period's end × 100 % (consolidated). Kept broadly stable, under the industry's "
        "warning line.",
        "baseline_year": None,
        "baseline": "",
        "targets": {"2023": "", "2024": "", "2025": ""},
        "benchmark": "",
        "benchmark_source": "",
    }
    assert list(content["measures"]) == list(ActionArea.values)
    assert content["benchmarks"] == {"rows": []} and content["tasks"] == {"rows": []}


def test_completeness_of_the_skeleton_lists_everything(filing: Filing) -> None:
    missing = completeness(initial_content(filing), filing)
    fields = {(m.section, m.field) for m in missing}
    assert len(missing) == len(fields)
    expected = {("diagnosis", "key_factors"), ("diagnosis", "shortcomings")}
    expected |= {("benchmarks", "name"), ("tasks", "title")}
    expected |= {("assurance", "organisation"), ("assurance", "incentives")}
    expected |= {("measures", area) for area in ActionArea.values}
    for i in range(8):
        prefix = "" if i == 0 else f"{i}-"
        for name in (
            "baseline_year", "baseline", "target_2023", "target_2024", "target_2025",
            "benchmark", "benchmark_source",
        ):  # fmt: skip
            expected.add(("indicators", prefix + name))
    assert fields == expected
    assert ("assurance", "constraints") not in fields
    anchors = {m.anchor for m in missing}
    assert "field-indicators-baseline" in anchors and "field-indicators-2-target_2025" in anchors


def test_completeness_messages_are_localised(filing: Filing) -> None:
    with translation.override("en"):
        messages = [m.message for m in completeness(initial_content(filing), filing)]
    assert "Debt-to-asset ratio: the target for 2025 is missing." in messages
    assert "Choose at least one world-class enterprise as a benchmark." not in messages
    assert "Describe the measures for Innovation-driven development." in messages


def test_completeness_of_a_filled_plan_is_empty(filing: Filing) -> None:
    assert completeness(filled_content(filing), filing) == []


def test_a_world_class_benchmark_is_required(filing: Filing) -> None:
    content = filled_content(filing)
    content["benchmarks"]["rows"] = content["benchmarks"]["rows"][1:]
    assert [(m.section, m.field) for m in completeness(content, filing)] == [
        ("benchmarks", "level")
    ]


def test_every_row_field_is_required(filing: Filing) -> None:
    content = filled_content(filing)
    content["tasks"]["rows"][0]["person"] = ""
    content["benchmarks"]["rows"][1]["source"] = " "
    content["indicators"]["rows"][3]["targets"]["2024"] = ""
    content["measures"]["governance"] = ""
    content["assurance"]["constraints"] = ""  # optional
    assert [(m.section, m.field) for m in completeness(content, filing)] == [
        ("benchmarks", "1-source"),
        ("indicators", "3-target_2024"),
        ("measures", "governance"),
        ("tasks", "person"),
    ]


def test_custom_indicators_are_checked_too(filing: Filing) -> None:
    content = filled_content(filing)
    content["indicators"]["rows"].append(
        {"id": "c1", "code": "custom_c1", "core": False, "name_zh": "能耗", "unit": "",
         "direction": "lower", "baseline_year": 2022, "baseline": "1",
         "targets": {"2023": "1", "2024": "1", "2025": "1"}, "benchmark": "1",
         "benchmark_source": "x"}
    )  # fmt: skip
    assert [m.field for m in completeness(content, filing)] == ["8-unit"]


def test_missing_core_rows_are_restored_in_the_normal_form(filing: Filing) -> None:
    stored = [{"id": "x", "code": "roe", "core": True, "baseline": "3", "name_zh": "改名"}]
    rows = indicator_rows({"rows": stored}, [2023], indicator_specs(filing))
    assert [r["code"] for r in rows] == [c.code for c in CORE_INDICATORS]
    roe = rows[3]
    assert roe["id"] == "x" and roe["baseline"] == "3" and roe["name_zh"] == "净资产收益率"
    assert roe["targets"] == {"2023": ""}
