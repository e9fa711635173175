"""The comparison of two versions, in plain words: figures by value, rows by their identity,
moves as moves, prose word by word."""

import copy
from typing import Any

import pytest
from django.utils import translation

from apps.filings.describe import anchor_choices, anchor_label, describe, word_diff
from apps.filings.diff import content_diff, from_summary, summarise
from apps.filings.kinds import get_kind

PLAN = get_kind("plan")


def indicator(code: str, name_zh: str, name_en: str, unit: str, baseline: str) -> dict[str, Any]:
    return {
        "id": code, "code": code, "core": True, "name_zh": name_zh, "name_en": name_en,
        "unit": unit, "direction": "higher", "baseline_year": 2022, "baseline": baseline,
        "targets": {"2023": "1", "2024": "2"}, "benchmark": "3", "benchmark_source": "年报",
    }  # fmt: skip


def task(row_id: str, title: str) -> dict[str, Any]:
    return {
        "id": row_id, "area": "innovation", "title": title, "department": "战略部",
        "person": "张三", "start": "2023-04-01", "due": "2023-12-31", "result": "完成",
    }  # fmt: skip


@pytest.fixture
def v1() -> dict[str, Any]:
    return {
        "diagnosis": {"key_factors": "主业盈利能力较强，但资产周转偏慢。", "shortcomings": "短板"},
        "indicators": {"rows": [
            indicator("total_profit", "利润总额", "Total profit", "万元", "1175000.00"),
            indicator("debt_to_asset", "资产负债率", "Debt-to-asset ratio", "%", "62.5"),
        ]},
        "tasks": {"rows": [task("t1", "国家战略重点任务"), task("t2", "数字化转型"),
                           task("t3", "精益成本管控")]},
    }  # fmt: skip


def test_a_figure_written_differently_is_no_change(v1: dict[str, Any]) -> None:
    v2 = copy.deepcopy(v1)
    v2["indicators"]["rows"][0]["baseline"] = "1175000"
    v2["indicators"]["rows"][0]["targets"]["2023"] = "1.00"
    assert content_diff(v1, v2, PLAN) == []


def test_a_changed_figure_names_its_indicator_and_shows_the_unit(v1: dict[str, Any]) -> None:
    v2 = copy.deepcopy(v1)
    v2["indicators"]["rows"][0]["baseline"] = "1180000"
    v2["indicators"]["rows"][1]["targets"]["2024"] = "58"
    with translation.override("zh-hans"):
        [section] = describe(PLAN, content_diff(v1, v2, PLAN))
        assert section.title == "核心指标"
        assert section.count == 2
        profit, debt = section.changes
        assert (profit.row_label, profit.what) == ("利润总额", "基期值")
        # Each at its indicator's precision (two places), whatever was typed.
        assert (profit.before, profit.after) == ("1,175,000.00 万元", "1,180,000.00 万元")
        assert (debt.row_label, debt.what, debt.before, debt.after) == (
            "资产负债率",
            "2024 年目标值",
            "2.00%",
            "58.00%",
        )
    with translation.override("en"):
        [section] = describe(PLAN, content_diff(v1, v2, PLAN))
        assert section.title == "Core indicators"
        assert [(c.row_label, c.what) for c in section.changes] == [
            ("Total profit", "Baseline"),
            ("Debt-to-asset ratio", "Target 2024"),
        ]
        assert section.changes[0].after == "1,180,000.00 10k CNY"


def test_a_reordered_task_list_is_one_move_not_every_row_changed(v1: dict[str, Any]) -> None:
    v2 = copy.deepcopy(v1)
    rows = v2["tasks"]["rows"]
    v2["tasks"]["rows"] = [rows[2], rows[0], rows[1]]  # 精益成本管控 to the top
    changes = content_diff(v1, v2, PLAN)
    assert [(c.kind, c.row_id, c.before, c.after) for c in changes] == [("moved", "t3", 3, 1)]
    with translation.override("zh-hans"):
        [section] = describe(PLAN, changes)
        [moved] = section.changes
        assert (moved.kind, moved.row_label, moved.before, moved.after) == (
            "moved",
            "精益成本管控",
            "第 3 项",
            "第 1 项",
        )


def test_rows_added_and_removed_are_named_and_summarised(v1: dict[str, Any]) -> None:
    v2 = copy.deepcopy(v1)
    v2["tasks"]["rows"] = [v1["tasks"]["rows"][0], v1["tasks"]["rows"][2], task("t4", "绿色低碳")]
    with translation.override("zh-hans"):
        [section] = describe(PLAN, content_diff(v1, v2, PLAN))
    kinds = [(c.kind, c.row_label) for c in section.changes]
    assert kinds == [("added", "绿色低碳"), ("removed", "数字化转型")]
    added = section.changes[0]
    assert added.table_label == "重点任务"
    assert "所属行动：创新驱动" in added.after
    assert "责任部门：战略部" in added.after


def test_long_text_shows_words_put_in_and_taken_out(v1: dict[str, Any]) -> None:
    v2 = copy.deepcopy(v1)
    v2["diagnosis"]["key_factors"] = "主业盈利能力较强，资产周转明显偏慢。"
    [section] = describe(PLAN, content_diff(v1, v2, PLAN))
    [change] = section.changes
    assert change.words is not None
    pieces = [(p.op, p.text) for p in change.words]
    assert ("delete", "但") in pieces
    assert ("insert", "明显") in pieces
    assert "".join(t for op, t in pieces if op != "insert") == v1["diagnosis"]["key_factors"]


def test_word_diff_keeps_latin_words_whole() -> None:
    pieces = word_diff("Lean cost control in all plants", "Lean cost control in most plants")
    assert [(p.op, p.text) for p in pieces if p.op != "equal"] == [
        ("delete", "all"),
        ("insert", "most"),
    ]


def test_the_history_names_a_row_that_a_later_version_removed(v1: dict[str, Any]) -> None:
    v2 = copy.deepcopy(v1)
    v2["tasks"]["rows"][1]["person"] = "李四"
    stored = summarise(content_diff(v1, v2, PLAN), PLAN)
    assert stored == [
        {"section": "tasks", "field": "rows.person", "row": "t2", "kind": "changed",
         "before": "张三", "after": "李四", "ident": {"id": "t2", "title": "数字化转型"}},
    ]  # fmt: skip
    with translation.override("zh-hans"):
        [section] = describe(PLAN, from_summary(stored))
    [change] = section.changes
    assert (change.row_label, change.what, change.before, change.after) == (
        "数字化转型",
        "责任人",
        "张三",
        "李四",
    )


def test_comment_targets_are_grouped_by_section_and_named_in_words(v1: dict[str, Any]) -> None:
    with translation.override("zh-hans"):
        groups = dict(anchor_choices(PLAN, v1))
        assert ("indicators||debt_to_asset", "核心指标 · 资产负债率") in groups["核心指标"]
        assert ("tasks||t1", "重点任务 · 国家战略重点任务") in groups["重点任务"]
        assert ("diagnosis|key_factors|", "价值诊断 · 价值创造关键因素") in groups["价值诊断"]
        labels = [label for options in groups.values() for _value, label in options]
        assert not any(key in label for label in labels for key in ("rows", "key_factors", "_"))
        assert anchor_label(PLAN, v1, section="indicators", row_id="debt_to_asset") == (
            "核心指标 · 资产负债率"
        )


def test_a_comment_on_a_whole_table_is_named_by_its_section(v1: dict[str, Any]) -> None:
    with translation.override("zh-hans"):
        assert anchor_label(PLAN, v1, section="indicators", field="rows") == "核心指标"
        assert anchor_label(PLAN, v1, section="indicators", row_id="debt_to_asset",
                            field="baseline") == "核心指标 · 资产负债率 · 基期值"  # fmt: skip
