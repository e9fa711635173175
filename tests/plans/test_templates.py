import re
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from apps.filings.kinds import get_kind
from apps.filings.models import Filing
from apps.plans.content import completeness, display_context, initial_content
from tests.plans.conftest import filled_content

SECTIONS = ["diagnosis", "benchmarks", "indicators", "measures", "tasks", "assurance"]
XSS = "<script>alert(1)</script>"


def render_display(content: dict[str, Any], filing: Filing, key: str) -> str:
    kind = get_kind("plan")
    section = kind.section(key)
    assert section is not None
    # As the filing pages do: the section's data, the filing, the kind's extras as "display".
    context = {
        "data": content.get(key) or {},
        "section": section,
        "filing": filing,
        "display": kind.display_context(content, filing),
    }
    return render_to_string(section.display_template, context)


def render_editor(content: dict[str, Any], filing: Filing, key: str, **extra: Any) -> str:
    kind = get_kind("plan")
    section = kind.section(key)
    assert section is not None
    form = section.form_class(None, content=content.get(key) or {}, filing=filing)
    context = {
        "form": form,
        "section": section,
        "filing": filing,
        **kind.editor_context(key, filing),
        **extra,
    }
    return render_to_string(section.editor_template, context)


def poisoned(filing: Filing) -> dict[str, Any]:
    content = filled_content(filing)
    content["diagnosis"]["key_factors"] = XSS
    content["benchmarks"]["rows"][0]["name"] = XSS
    content["indicators"]["rows"][0]["benchmark_source"] = XSS
    content["indicators"]["rows"][1]["baseline"] = XSS
    content["measures"]["innovation"] = XSS
    content["tasks"]["rows"][0]["result"] = XSS
    content["tasks"]["rows"][0]["title"] = XSS
    content["assurance"]["constraints"] = XSS
    return content


@pytest.mark.parametrize("key", SECTIONS)
def test_display_escapes_user_text(filing: Filing, key: str) -> None:
    html = render_display(poisoned(filing), filing, key)
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("key", SECTIONS)
def test_display_of_a_filled_plan(filing: Filing, key: str) -> None:
    with translation.override("en"):
        html = render_display(filled_content(filing), filing, key)
    assert "style=" not in html and "<script" not in html
    if key in ("benchmarks", "indicators", "tasks"):
        # Header cells carry their scope (the indicators' also repeat their ARIA role).
        assert re.search(r'<th scope="col"[\s>]', html) and re.search(r'<th scope="row"[\s>]', html)


def test_display_of_indicators_shows_years_units_and_gaps(filing: Filing) -> None:
    with translation.override("en"):
        html = render_display(filled_content(filing), filing, "indicators")
    for year in ("2023", "2024", "2025"):
        assert f"Target {year}" in html
    assert "10k CNY/person" in html
    # Debt-to-asset: baseline 62, benchmark 67, lower is better: ahead by 5 (two places).
    assert "Ahead by 5.00 (7.5%)" in html
    # Total profit: baseline 60, benchmark 65, higher is better: behind by 5.
    assert "Behind by 5.00 (7.7%)" in html
    # Figures grouped at the indicator's precision: 62 % and 60 (10k CNY).
    assert ">62.00%</td>" in html and ">60.00</td>" in html


def test_display_of_paragraphs(filing: Filing) -> None:
    html = render_display(filled_content(filing), filing, "diagnosis")
    assert "<p>　　主业突出，资产负债率&lt;65%。</p>\n\n<p>第二段。</p>" in html


@pytest.mark.parametrize("key", SECTIONS)
def test_empty_display_shows_dashes(filing: Filing, key: str) -> None:
    html = render_display(initial_content(filing), filing, key)
    assert "—" in html


def test_display_context_keys(filing: Filing) -> None:
    context = display_context(filled_content(filing), filing)
    assert context["years"] == [2023, 2024, 2025]
    assert set(context["gaps"]) == {r["id"] for r in filled_content(filing)["indicators"]["rows"]}
    assert {"indicator_rows", "benchmark_rows", "measure_items", "task_rows"} <= set(context)


@pytest.mark.parametrize("key", SECTIONS)
def test_editor_has_the_anchors_of_the_checklist(filing: Filing, key: str) -> None:
    content = initial_content(filing)
    html = render_editor(content, filing, key, gap_url="/filings/1/plan/gap/")
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    for missing in completeness(content, filing):
        if missing.section == key:
            assert missing.anchor in ids
    assert "style=" not in html and "<script" not in html


@pytest.mark.parametrize("key", SECTIONS)
def test_editor_escapes_user_text(filing: Filing, key: str) -> None:
    html = render_editor(poisoned(filing), filing, key)
    assert "<script" not in html


def test_indicator_editor_wires_the_gap_cells(filing: Filing) -> None:
    html = render_editor(filled_content(filing), filing, "indicators", gap_url="/gap/")
    assert html.count('hx-post="/gap/"') == 8 * 5  # baseline, three targets, benchmark
    assert 'hx-target="#gap-debt_to_asset"' in html
    assert 'hx-include="closest tr"' in html
    assert 'id="gap-debt_to_asset"' in html
    # Core rows send their fixed direction for the gap; they have no delete box.
    assert 'name="indicators-2-direction" value="band"' in html
    assert "indicators-2-DELETE" not in html
    assert 'id="field-indicators-baseline"' in html and 'id="field-indicators-2-baseline"' in html


def test_indicator_editor_without_gap_url_has_no_htmx(filing: Filing) -> None:
    html = render_editor(filled_content(filing), filing, "indicators")
    assert "hx-post" not in html


def test_table_editors_have_the_add_row_button(filing: Filing) -> None:
    for key in ("benchmarks", "indicators", "tasks"):
        html = render_editor(filled_content(filing), filing, key)
        assert 'name="add_row" value="1"' in html
        assert f'name="{key}-TOTAL_FORMS"' in html


@pytest.mark.parametrize("key", SECTIONS)
def test_display_needs_only_data(filing: Filing, key: str) -> None:
    """A packet or a diff may render a section from its data alone."""
    content = filled_content(filing)
    section = get_kind("plan").section(key)
    assert section is not None
    with translation.override("en"):
        alone = render_to_string(section.display_template, {"data": content[key]})
        full = render_display(content, filing, key)
    assert alone == full


def test_display_of_a_frozen_version_keeps_its_years(filing: Filing) -> None:
    content = filled_content(filing)
    for row in content["indicators"]["rows"]:
        row["targets"] = {"2022": "1", "2023": "2"}
    html = render_display(content, filing, "indicators")
    assert "2022" in html and "2025" not in html


@pytest.mark.urls("tests.plans.urls")
def test_editor_context_gives_the_gap_url(saved_filing: Filing) -> None:
    kind = get_kind("plan")
    url = f"/filings/{saved_filing.pk}/plan/gap/"
    assert kind.editor_context("indicators", saved_filing) == {"gap_url": url}
    assert kind.editor_context("tasks", saved_filing) == {}
    html = render_editor(filled_content(saved_filing), saved_filing, "indicators")
    assert f'hx-post="{url}"' in html
