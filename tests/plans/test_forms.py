from typing import Any

import pytest
from django.template.loader import render_to_string

from apps.filings.models import Filing
from apps.plans.constants import CORE_INDICATORS
from apps.plans.content import initial_content
from apps.plans.forms import (
    AssuranceForm,
    BenchmarksForm,
    DiagnosisForm,
    IndicatorRowForm,
    IndicatorsForm,
    MeasuresForm,
    TasksForm,
)
from tests.plans.conftest import filled_content, post_data

CORE_CODES = [c.code for c in CORE_INDICATORS]


def indicators(
    filing: Filing, data: dict[str, Any] | None = None, content: dict[str, Any] | None = None
) -> IndicatorsForm:
    section = content if content is not None else filled_content(filing)["indicators"]
    return IndicatorsForm(data, content=section, filing=filing)


@pytest.mark.parametrize(
    "form_class",
    [DiagnosisForm, BenchmarksForm, IndicatorsForm, MeasuresForm, TasksForm, AssuranceForm],
)
def test_unchanged_post_gives_back_the_same_content(filing: Filing, form_class: type) -> None:
    """Saving without edits must not look like an edit (the service compares dicts)."""
    key = form_class.section_key  # type: ignore[attr-defined]
    for content in (initial_content(filing), filled_content(filing)):
        form = form_class(None, content=content[key], filing=filing)
        bound = form_class(post_data(form), content=content[key], filing=filing)
        assert bound.is_valid(), (
            bound.errors,
            getattr(bound, "formset", None) and bound.formset.errors,
        )
        assert bound.wants_more_rows is False
        assert bound.to_content() == content[key]


def test_text_section_to_content(filing: Filing) -> None:
    form = DiagnosisForm(
        {"key_factors": "要素 \r\n", "shortcomings": "短板"}, content={}, filing=filing
    )
    assert form.is_valid()
    assert form.to_content() == {"key_factors": "要素", "shortcomings": "短板"}


def test_text_section_refuses_html(filing: Filing) -> None:
    form = AssuranceForm({"organisation": "<b>x</b>"}, content={}, filing=filing)
    assert not form.is_valid()
    assert "organisation" in form.errors


def test_measures_has_the_seven_areas(filing: Filing) -> None:
    form = MeasuresForm(None, content={}, filing=filing)
    assert list(form.fields) == [
        "efficiency", "innovation", "national_strategy", "governance", "sustainability",
        "shared_value", "system_capacity",
    ]  # fmt: skip
    assert form["efficiency"].auto_id == "field-measures-efficiency"


# --- Indicators ----------------------------------------------------------------------------


def test_skeleton_has_the_eight_core_rows_with_campaign_years(filing: Filing) -> None:
    form = indicators(filing, content=initial_content(filing)["indicators"])
    rows = [r for r in form.formset.forms if isinstance(r, IndicatorRowForm)]
    assert [r.core.code for r in rows if r.core] == CORE_CODES
    assert form.years == [2023, 2024, 2025]
    assert "name_zh" not in rows[0].fields and "DELETE" not in rows[0].fields
    assert list(rows[0].fields)[-5:] == [
        "target_2023", "target_2024", "target_2025", "benchmark", "benchmark_source"
    ]  # fmt: skip


def test_core_indicators_cannot_be_deleted(filing: Filing) -> None:
    content = filled_content(filing)["indicators"]
    form = indicators(filing, content=content)
    data = post_data(form, **{f"indicators-{i}-DELETE": "on" for i in range(8)})
    bound = indicators(filing, data, content)
    assert bound.is_valid()
    assert [r["code"] for r in bound.to_content()["rows"]] == CORE_CODES


def test_core_indicators_cannot_be_renamed(filing: Filing) -> None:
    content = filled_content(filing)["indicators"]
    form = indicators(filing, content=content)
    # Row 2 is the debt-to-asset ratio; the POST tries to make it a "higher is better" yuan.
    data = post_data(
        form,
        **{
            "indicators-2-name_zh": "改过的名字",
            "indicators-2-name_en": "Renamed",
            "indicators-2-unit": "元",
            "indicators-2-direction": "higher",
            "indicators-2-code": "evil",
            "indicators-2-core": "",
            "indicators-2-baseline": "58",
        },
    )
    bound = indicators(filing, data, content)
    assert bound.is_valid()
    row = bound.to_content()["rows"][2]
    assert row["code"] == "debt_to_asset" and row["core"] is True
    assert (row["name_zh"], row["name_en"], row["unit"], row["direction"]) == (
        "资产负债率", "Debt-to-asset ratio", "%", "band",
    )  # fmt: skip
    assert row["baseline"] == "58"


def test_core_rows_left_out_of_the_post_are_kept(filing: Filing) -> None:
    content = filled_content(filing)["indicators"]
    form = indicators(filing, content=content)
    data = post_data(form)
    # Drop the first three rows from the POST: shift rows 3..7 down and shrink the total.
    tampered = {k: v for k, v in data.items() if not k.startswith("indicators-")}
    for new, old in enumerate(range(3, 8)):
        for key, value in data.items():
            if key.startswith(f"indicators-{old}-"):
                tampered[key.replace(f"-{old}-", f"-{new}-")] = value
    tampered |= {"indicators-TOTAL_FORMS": "5", "indicators-INITIAL_FORMS": "5"}
    bound = indicators(filing, tampered, content)
    assert bound.is_valid()
    assert bound.to_content() == content


def test_a_forged_or_duplicated_id_makes_a_new_row(filing: Filing) -> None:
    content = filled_content(filing)["indicators"]
    form = indicators(filing, content=content)
    data = post_data(
        form,
        **{
            "indicators-TOTAL_FORMS": "10",
            "indicators-8-id": "total_profit",  # a copy of a core row's id
            "indicators-8-name_zh": "冒充",
            "indicators-8-unit": "个",
            "indicators-8-direction": "higher",
            "indicators-9-id": "not-a-stored-id",
            "indicators-9-name_zh": "新指标",
            "indicators-9-direction": "higher",
        },
    )
    bound = indicators(filing, data, content)
    assert bound.is_valid(), bound.formset.errors
    rows = bound.to_content()["rows"]
    assert len(rows) == 10
    assert rows[0]["name_zh"] == "利润总额"
    added = rows[8:]
    assert [r["name_zh"] for r in added] == ["冒充", "新指标"]
    assert all(not r["core"] and len(r["id"]) == 12 for r in added)
    assert all(r["code"] == f"custom_{r['id']}" for r in added)


def test_custom_indicator_add_keep_and_delete(filing: Filing) -> None:
    content = filled_content(filing)["indicators"]
    form = indicators(filing, content=content)
    more = indicators(filing, post_data(form, add_row="1"), content)
    assert more.wants_more_rows
    data = post_data(more)
    data.pop("add_row", None)
    data |= {
        "indicators-8-name_zh": "吨钢综合能耗",
        "indicators-8-name_en": "Energy per tonne of steel",
        "indicators-8-unit": "千克标准煤/吨",
        "indicators-8-direction": "lower",
        "indicators-8-baseline_year": "2022",
        "indicators-8-baseline": "560",
        "indicators-8-target_2025": "540",
        "indicators-8-benchmark": "520",
    }
    saved = indicators(filing, data, content)
    assert saved.is_valid(), saved.formset.errors
    after = saved.to_content()
    custom = after["rows"][8]
    assert custom["core"] is False and custom["direction"] == "lower"
    assert custom["targets"] == {"2023": "", "2024": "", "2025": "540"}
    assert custom["baseline_year"] == 2022

    # Saved again unchanged, it keeps its id; ticked, it goes.
    again = indicators(filing, post_data(indicators(filing, content=after)), after)
    assert again.is_valid() and again.to_content() == after
    deleted = indicators(
        filing, post_data(indicators(filing, content=after), **{"indicators-8-DELETE": "on"}), after
    )
    assert deleted.is_valid() and deleted.to_content() == content


def test_custom_indicator_needs_a_name(filing: Filing) -> None:
    content = filled_content(filing)["indicators"]
    form = indicators(filing, content=content)
    data = post_data(
        form, **{"indicators-TOTAL_FORMS": "9", "indicators-8-baseline": "5",
                 "indicators-8-direction": "higher"}
    )  # fmt: skip
    bound = indicators(filing, data, content)
    assert not bound.is_valid()
    assert "name_zh" in bound.formset.forms[8].errors


def test_bad_numbers_are_refused(filing: Filing) -> None:
    content = filled_content(filing)["indicators"]
    data = post_data(indicators(filing, content=content), **{"indicators-0-baseline": "很多"})
    bound = indicators(filing, data, content)
    assert not bound.is_valid()
    assert "baseline" in bound.formset.forms[0].errors


def test_numbers_are_stored_as_plain_decimal_strings(filing: Filing) -> None:
    content = filled_content(filing)["indicators"]
    data = post_data(
        indicators(filing, content=content),
        **{"indicators-0-baseline": "1,234,567.80", "indicators-0-benchmark": "2 000 000"},
    )
    bound = indicators(filing, data, content)
    assert bound.is_valid()
    row = bound.to_content()["rows"][0]
    assert (row["baseline"], row["benchmark"]) == ("1234567.80", "2000000")


# --- Adding rows ---------------------------------------------------------------------------


@pytest.mark.parametrize("form_class", [BenchmarksForm, IndicatorsForm, TasksForm])
def test_add_row_gives_one_more_blank_row_and_no_save(filing: Filing, form_class: type) -> None:
    key = form_class.section_key  # type: ignore[attr-defined]
    content = filled_content(filing)[key]
    form = form_class(None, content=content, filing=filing)
    before = len(form.formset.forms)
    bound = form_class(post_data(form, add_row="1"), content=content, filing=filing)
    assert bound.wants_more_rows is True
    assert len(bound.formset.forms) == before + 1
    new = bound.formset.forms[-1]
    assert new.row_id is None and not new.has_changed()
    # The re-rendered editor shows no error for the blank row, and keeps what was typed.
    html = render_to_string(f"plans/editor/{key}.html", {"form": bound, "filing": filing})
    assert "errorlist" not in html
    assert f'name="{key}-TOTAL_FORMS" value="{before + 1}"' in html
    # Saving then drops the blank row.
    saved = form_class(post_data(bound), content=content, filing=filing)
    assert saved.is_valid() and not saved.wants_more_rows
    assert saved.to_content() == content


def test_add_row_on_an_unbound_form(filing: Filing) -> None:
    form = TasksForm(None, content={"rows": []}, filing=filing)
    assert len(form.formset.forms) == 1  # an empty table shows one blank row
    form.add_row()
    assert form.wants_more_rows and len(form.formset.forms) == 2


def test_new_benchmark_gets_a_stable_id(filing: Filing) -> None:
    empty = BenchmarksForm(None, content={"rows": []}, filing=filing)
    data = post_data(
        empty,
        **{"benchmarks-0-name": "BASF", "benchmarks-0-country": "德国",
           "benchmarks-0-level": "world_class", "benchmarks-0-source": "年报"},
    )  # fmt: skip
    form = BenchmarksForm(data, content={"rows": []}, filing=filing)
    assert form.is_valid()
    content = form.to_content()
    (row,) = content["rows"]
    assert len(row["id"]) == 12 and row["name"] == "BASF"
    again = BenchmarksForm(
        post_data(BenchmarksForm(None, content=content, filing=filing)),
        content=content,
        filing=filing,
    )
    assert again.is_valid() and again.to_content() == content


def test_blank_benchmark_row_is_ignored_but_a_half_row_needs_a_name(filing: Filing) -> None:
    empty = BenchmarksForm(None, content={"rows": []}, filing=filing)
    form = BenchmarksForm(post_data(empty), content={"rows": []}, filing=filing)
    assert form.is_valid() and form.to_content() == {"rows": []}
    half = BenchmarksForm(
        post_data(empty, **{"benchmarks-0-country": "日本"}), content={"rows": []}, filing=filing
    )
    assert not half.is_valid()
    assert "name" in half.formset.forms[0].errors


# --- Tasks ---------------------------------------------------------------------------------


def task_post(filing: Filing, start: str, due: str) -> TasksForm:
    content = filled_content(filing)["tasks"]
    form = TasksForm(None, content=content, filing=filing)
    data = post_data(form, **{"tasks-0-start": start, "tasks-0-due": due})
    return TasksForm(data, content=content, filing=filing)


def test_task_due_before_start_is_refused(filing: Filing) -> None:
    form = task_post(filing, "2024-06-01", "2024-05-31")
    assert not form.is_valid()
    assert "due" in form.formset.forms[0].errors


def test_task_due_on_start_is_fine(filing: Filing) -> None:
    form = task_post(filing, "2024-06-01", "2024-06-01")
    assert form.is_valid()
    assert form.to_content()["rows"][0]["due"] == "2024-06-01"


def test_task_with_html_title_is_refused(filing: Filing) -> None:
    content = filled_content(filing)["tasks"]
    form = TasksForm(None, content=content, filing=filing)
    bound = TasksForm(
        post_data(form, **{"tasks-0-title": "<script>x</script>"}), content=content, filing=filing
    )
    assert not bound.is_valid()
