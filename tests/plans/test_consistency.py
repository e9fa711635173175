"""The plan's consistency rules (apps.plans.constants.CONSISTENCY_RULES): each rule on its
own, then on save (the editor: errors stop the save, warnings are shown after it) and on
submit (errors in the completeness check, warnings for the lead to acknowledge).

The filled plan of tests/plans/conftest.py has targets for 2023, 2024 and 2025 and a
baseline year of 2022. Its rows, in the notice's order: total profit 60 → 61, 62, 63
(benchmark 65); net profit 50 → 51, 52, 53 (55); debt-to-asset ratio 62 → 63, 64, 65 (67,
lower is better: three warnings); return on net assets 63 → 64, 65, 66 (68); …
"""

import copy
import html
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from apps.filings import services
from apps.filings.kinds import Missing
from apps.filings.models import Filing, FilingVersion
from apps.plans.consistency import Issue, check_indicators
from apps.plans.constants import (
    CORE_INDICATORS,
    NoSuddenJump,
    NotMoreThan,
    PlausibleFigures,
    Severity,
    TargetsFollowDirection,
    TargetYearsInOrder,
)
from apps.plans.content import (
    ACKNOWLEDGE_WARNINGS,
    Concern,
    completeness,
    indicator_rows,
    warnings,
)
from apps.plans.demo import plan_fill
from apps.plans.forms import IndicatorsForm
from apps.stages.forms import ResultRowForm
from apps.timeline.models import Campaign
from tests.conftest import World, zh
from tests.filings.conftest import a_submission, submission_post
from tests.plans.conftest import filled_content, post_data

CODES = [c.code for c in CORE_INDICATORS]
TOTAL, NET, DEBT, ROE = (CODES.index(c) for c in ("total_profit", "net_profit",
                                                   "debt_to_asset", "roe"))  # fmt: skip
YEARS = [2023, 2024, 2025]
ERROR, WARNING = Severity.ERROR, Severity.WARNING

# The debt-to-asset ratio has no better side: it is judged within a band, under the
# industry's warning line (70 % for the world's manufacturer, industry C). The filled plan's
# 62 → 63, 64, 65 stays inside it.
DEBT_WARNINGS = [
    "Debt-to-asset ratio: the target for 2023 (71.00%) is outside its band, ≤ 70%.",
    "Debt-to-asset ratio: the target for 2025 (72.00%) is outside its band, ≤ 70%.",
]


def break_the_debt_band(content: dict[str, Any]) -> None:
    content["indicators"]["rows"][DEBT]["targets"] = {"2023": "71", "2024": "69", "2025": "72"}


def rows_of(content: dict[str, Any]) -> list[dict[str, Any]]:
    return indicator_rows(content["indicators"], YEARS)


def found(issues: list[Issue]) -> list[tuple[str, int, str, str]]:
    return [(str(i.severity), i.row, i.field, i.message) for i in issues]


@pytest.fixture
def content(filing: Filing) -> dict[str, Any]:
    return filled_content(filing)


# --- Net profit ≤ total profit (a warning: deferred-tax credits can make it larger) ------------


def test_net_profit_above_total_profit_is_a_warning(content: dict[str, Any]) -> None:
    net = content["indicators"]["rows"][NET]
    net.update(baseline="61", targets={"2023": "51", "2024": "70", "2025": "63"})
    with translation.override("en"):
        rules = [NotMoreThan("net_profit", "total_profit")]
        issues = check_indicators(rows_of(content), rules=rules)
    assert found(issues) == [
        ("warning", NET, "baseline", "Net profit cannot be more than Total profit: for the "
         "baseline value, 61.00 against 60.00."),
        ("warning", NET, "target_2024", "Net profit cannot be more than Total profit: for the "
         "target for 2024, 70.00 against 62.00."),
    ]  # fmt: skip


def test_net_profit_equal_to_total_profit_or_both_losses_is_fine(content: dict[str, Any]) -> None:
    rule = [NotMoreThan("net_profit", "total_profit")]
    rows = content["indicators"]["rows"]
    rows[NET].update(baseline="60", targets={"2023": "61", "2024": "62", "2025": "63"})
    assert check_indicators(rows_of(content), rules=rule) == []
    rows[TOTAL].update(baseline="-100")
    rows[NET].update(baseline="-120")  # a larger loss after tax
    assert check_indicators(rows_of(content), rules=rule) == []
    rows[NET].update(baseline="-80")  # a smaller loss after tax than before: impossible
    assert [i.field for i in check_indicators(rows_of(content), rules=rule)] == ["baseline"]


def test_net_profit_rule_skips_years_not_filled(content: dict[str, Any]) -> None:
    rows = content["indicators"]["rows"]
    rows[TOTAL]["targets"]["2024"] = ""
    rows[NET]["targets"]["2024"] = "1000"
    rule = [NotMoreThan("net_profit", "total_profit")]
    assert check_indicators(rows_of(content), rules=rule) == []


# --- Target years once and in order (an error) --------------------------------------------------


def test_a_target_year_given_twice_is_an_error(content: dict[str, Any], filing: Filing) -> None:
    content["indicators"]["rows"][TOTAL]["targets"] = {
        "2023": "61", "2024": "62", " 2024": "62.5", "2025": "63"}  # fmt: skip
    with translation.override("en"):
        missing = completeness(content, filing)
    message = "Total profit: the target for 2024 is given more than once."
    assert Missing("indicators", "target_2024", message) in missing


def test_targets_out_of_year_order_are_an_error(content: dict[str, Any], filing: Filing) -> None:
    content["indicators"]["rows"][ROE]["targets"] = {"2025": "66", "2023": "64", "2024": "65"}
    with translation.override("en"):
        missing = completeness(content, filing)
    assert Missing("indicators", f"{ROE}-target_2025", "Return on net assets: the targets are "
                   "not in year order (2025, 2023, 2024).") in missing  # fmt: skip


def test_the_baseline_year_must_come_before_the_first_target_year(
    content: dict[str, Any],
) -> None:
    content["indicators"]["rows"][DEBT]["baseline_year"] = 2023
    with translation.override("en"):
        issues = check_indicators(rows_of(content), rules=[TargetYearsInOrder()])
    assert found(issues) == [
        ("error", DEBT, "baseline_year", "Debt-to-asset ratio: the baseline year 2023 must "
         "come before the first target year, 2023."),
    ]  # fmt: skip


def test_years_in_order_are_fine(content: dict[str, Any]) -> None:
    assert check_indicators(rows_of(content), rules=[TargetYearsInOrder()]) == []


# --- Targets against the indicator's direction (a warning) --------------------------------------


def test_targets_against_the_direction_are_warnings(content: dict[str, Any]) -> None:
    roe = content["indicators"]["rows"][ROE]  # 63 → 64, 65, 66: higher is better
    roe["targets"] = {"2023": "62", "2024": "65", "2025": "64.5"}
    break_the_debt_band(content)
    with translation.override("en"):
        issues = check_indicators(rows_of(content), rules=[TargetsFollowDirection()])
    assert found(issues) == [
        ("warning", DEBT, "target_2023", DEBT_WARNINGS[0]),
        ("warning", DEBT, "target_2025", DEBT_WARNINGS[1]),
        ("warning", ROE, "target_2023", "Return on net assets: the target for 2023 (62.00%) "
         "is below the baseline value (63.00%), though higher is better."),
        ("warning", ROE, "target_2025", "Return on net assets: the target for 2025 (64.50%) "
         "is below the target for 2024 (65.00%), though higher is better."),
    ]  # fmt: skip


def test_a_target_above_the_previous_but_below_the_baseline_is_warned(
    content: dict[str, Any],
) -> None:
    content["indicators"]["rows"][ROE]["targets"] = {"2023": "60", "2024": "61", "2025": "66"}
    with translation.override("en"):
        issues = check_indicators(rows_of(content), rules=[TargetsFollowDirection()])
    assert [(i.row, i.field) for i in issues if i.row == ROE] == [
        (ROE, "target_2023"), (ROE, "target_2024")]  # fmt: skip
    assert issues[-1].message == (
        "Return on net assets: the target for 2024 (61.00%) is below the baseline value "
        "(63.00%), though higher is better."
    )


def test_holding_the_line_or_improving_is_no_warning(content: dict[str, Any]) -> None:
    rows = content["indicators"]["rows"]
    rows[DEBT]["targets"] = {"2023": "62", "2024": "60", "2025": "60"}  # lower is better
    rows[ROE]["targets"] = {"2023": "63", "2024": "63", "2025": "70"}
    assert check_indicators(rows_of(content), rules=[TargetsFollowDirection()]) == []


def test_a_custom_indicator_follows_its_own_direction(content: dict[str, Any]) -> None:
    content["indicators"]["rows"].append({
        "id": "c1", "code": "custom_c1", "core": False, "name_zh": "单位产值能耗",
        "name_en": "Energy per unit of output", "unit": "吨标煤/万元", "direction": "lower",
        "baseline_year": 2022, "baseline": "0.5", "targets": {"2023": "0.48", "2024": "0.52",
        "2025": "0.45"}, "benchmark": "0.3", "benchmark_source": "年报"})  # fmt: skip
    with translation.override("en"):
        issues = check_indicators(rows_of(content), rules=[TargetsFollowDirection()])
    assert found(issues)[-1] == (
        "warning", 8, "target_2024", "Energy per unit of output: the target for 2024 (0.52) is "
        "above the target for 2023 (0.48), though lower is better.")  # fmt: skip


# --- Sudden jumps (a warning) ---------------------------------------------------------------


def test_a_tenfold_jump_is_a_warning(content: dict[str, Any]) -> None:
    rows = content["indicators"]["rows"]
    rows[TOTAL]["targets"] = {"2023": "601", "2024": "620", "2025": "6300"}
    with translation.override("en"):
        issues = check_indicators(rows_of(content), rules=[NoSuddenJump(factor=Decimal(10))])
    assert found(issues) == [
        ("warning", TOTAL, "target_2023", "Total profit: the target for 2023 (601.00) differs "
         "from the baseline value (60.00) by a factor of more than 10; check the unit and the "
         "decimal point."),
        ("warning", TOTAL, "target_2025", "Total profit: the target for 2025 (6,300.00) "
         "differs from the target for 2024 (620.00) by a factor of more than 10; check the "
         "unit and the decimal point."),
    ]  # fmt: skip


def test_a_fall_to_a_tenth_and_a_change_of_sign_are_judged_by_size(
    content: dict[str, Any],
) -> None:
    rows = content["indicators"]["rows"]
    rows[TOTAL].update(baseline="-10", targets={"2023": "200", "2024": "210", "2025": "20"})
    issues = check_indicators(rows_of(content), rules=[NoSuddenJump()])
    assert [(i.row, i.field) for i in issues] == [(TOTAL, "target_2023"), (TOTAL, "target_2025")]


def test_exactly_tenfold_or_from_zero_is_no_jump(content: dict[str, Any]) -> None:
    rows = content["indicators"]["rows"]
    rows[TOTAL].update(baseline="60", targets={"2023": "600", "2024": "620", "2025": "630"})
    rows[NET].update(baseline="0", targets={"2023": "50", "2024": "", "2025": "53"})
    assert check_indicators(rows_of(content), rules=[NoSuddenJump()]) == []


# --- Every figure a number within its range (an error, for what is stored) ---------------------


def test_stored_figures_out_of_range_or_not_numbers_are_errors(
    content: dict[str, Any], filing: Filing
) -> None:
    rows = content["indicators"]["rows"]
    rows[DEBT]["baseline"] = "125"  # what the old field made of "12,5"
    rows[ROE]["benchmark"] = "12,5"
    with translation.override("en"):
        issues = check_indicators(rows_of(content), rules=[PlausibleFigures()])
        missing = completeness(content, filing)
    assert found(issues) == [
        ("error", DEBT, "baseline", "Debt-to-asset ratio, the baseline value: 125.00% is "
         "outside the plausible range, from 0% to 100%."),
        ("error", ROE, "benchmark", "Return on net assets, the benchmark value: “12,5” is not "
         "a number."),
    ]  # fmt: skip
    assert [m.field for m in missing] == [f"{DEBT}-baseline", f"{ROE}-benchmark"]


# --- On submit: errors in the completeness check, warnings for the lead ---------------------


def test_the_filled_plan_has_no_warnings_until_the_debt_leaves_its_band(
    content: dict[str, Any], filing: Filing
) -> None:
    assert completeness(content, filing) == []
    assert warnings(content, filing) == []
    break_the_debt_band(content)
    with translation.override("en"):
        concerns = warnings(content, filing)
    assert concerns == [
        Concern("indicators", f"{DEBT}-target_2023", DEBT_WARNINGS[0]),
        Concern("indicators", f"{DEBT}-target_2025", DEBT_WARNINGS[1]),
    ]
    section, field, message = concerns[0]  # a (section, field, message) tuple
    assert (section, field, message) == ("indicators", "2-target_2023", DEBT_WARNINGS[0])
    assert concerns[0].anchor == "field-indicators-2-target_2023"  # the editor's input
    with translation.override("en"):
        assert str(ACKNOWLEDGE_WARNINGS) == (
            "I have checked the figures flagged above: they are what the enterprise intends "
            "to file."
        )


def test_warnings_are_not_errors_and_errors_are_not_warnings(
    content: dict[str, Any], filing: Filing
) -> None:
    content["indicators"]["rows"][NET]["targets"]["2025"] = "63.5"  # total profit: 63
    content["indicators"]["rows"][ROE]["baseline"] = "101"  # outside −100…100 %: an error
    assert [m.field for m in completeness(content, filing)] == ["3-baseline"]
    # Every ROE target now lies below the refused baseline: warned as well.
    assert [c.field for c in warnings(content, filing)] == [
        "1-target_2025", "3-target_2023", "3-target_2024", "3-target_2025"]  # fmt: skip


@pytest.fixture
def started(world: World, campaign: Campaign) -> Filing:
    return services.filing_start(
        enterprise=world.central, deliverable=campaign.deliverables.get(kind="plan"),
        actor=world.lead,
    )  # fmt: skip


def draft_of(filing: Filing) -> FilingVersion:
    filing.refresh_from_db()
    assert filing.draft_id is not None
    return FilingVersion.objects.get(pk=filing.draft_id)


def test_submission_is_refused_while_a_figure_is_out_of_range(
    started: Filing, world: World
) -> None:
    content = filled_content(started)
    content["indicators"]["rows"][DEBT]["baseline"] = "100.5"
    plan_fill(filing=started, content=content, actor=world.lead)
    with pytest.raises(services.Incomplete) as refused:
        services.filing_transition(
            filing=started, action="submit", submission=a_submission(), actor=world.lead
        )
    assert [m.field for m in refused.value.missing] == ["2-baseline"]
    started.refresh_from_db()
    assert started.state == "draft"


def test_submission_goes_through_with_warnings(started: Filing, world: World) -> None:
    """Warnings do not stop the service: the check page asks the lead to acknowledge them
    (apps.plans.content.warnings)."""
    plan_fill(filing=started, content=filled_content(started), actor=world.lead)
    filing = services.filing_transition(
        filing=started, action="submit", submission=a_submission(), actor=world.lead
    )
    assert filing.state == "submitted"


# --- On save: the editor ------------------------------------------------------------------------


def indicators_post(filing: Filing, content: dict[str, Any], **overrides: str) -> dict[str, Any]:
    form = IndicatorsForm(None, content=content, filing=filing)
    return post_data(form, **overrides)


def test_the_form_puts_an_error_in_its_cell_and_lists_the_net_profit_warning(
    content: dict[str, Any], filing: Filing
) -> None:
    section = content["indicators"]
    data = indicators_post(filing, section, **{f"indicators-{DEBT}-target_2025": "101"})
    form = IndicatorsForm(data, content=section, filing=filing)
    with translation.override("en"):
        assert not form.is_valid()
        assert form.formset.forms[DEBT].errors["target_2025"] == [
            "“101” is outside the range of Debt-to-asset ratio: from 0% to 100%."
        ]
    assert form.warnings == []  # errors first
    assert form.is_valid() is False  # asked again: the same answer, no second error
    assert len(form.formset.forms[DEBT].errors["target_2025"]) == 1
    data = indicators_post(filing, section, **{f"indicators-{NET}-target_2025": "63.01"})
    with translation.override("en"):
        form = IndicatorsForm(data, content=section, filing=filing)
        assert form.is_valid(), form.formset.errors
        assert (f"{NET}-target_2025", "Net profit cannot be more than Total profit: for the "
                "target for 2025, 63.01 against 63.00.") in [
            (w.field, w.message) for w in form.warnings]  # fmt: skip


def test_the_form_refuses_a_baseline_year_after_the_first_target(
    content: dict[str, Any], filing: Filing
) -> None:
    section = content["indicators"]
    data = indicators_post(filing, section, **{f"indicators-{TOTAL}-baseline_year": "2024"})
    form = IndicatorsForm(data, content=section, filing=filing)
    assert not form.is_valid()
    assert list(form.formset.forms[TOTAL].errors) == ["baseline_year"]


def test_the_form_saves_with_warnings_and_lists_them(
    content: dict[str, Any], filing: Filing
) -> None:
    section = content["indicators"]
    data = indicators_post(filing, section, **{f"indicators-{ROE}-target_2024": "60"})
    with translation.override("en"):  # messages are worded when the form is checked
        form = IndicatorsForm(data, content=section, filing=filing)
        assert form.is_valid(), form.formset.errors
        warned = [(w.field, w.message) for w in form.warnings]
    assert (f"{ROE}-target_2024", "Return on net assets: the target for 2024 (60.00%) is "
            "below the target for 2023 (64.00%), though higher is better.") in warned  # fmt: skip
    # Built again from what was saved (as the editor does after a save): the same list.
    saved = {**section, **form.to_content()}
    with translation.override("en"):
        again = IndicatorsForm(None, content=saved, filing=filing)
        assert [(w.field, w.message) for w in again.warnings] == warned


pytestmark_urls = pytest.mark.urls("tests.plans.urls")


@pytestmark_urls
def test_the_editor_refuses_an_error_and_saves_nothing(
    started: Filing, world: World, client_for: Any
) -> None:
    plan_fill(filing=started, content=filled_content(started), actor=world.lead)
    before = draft_of(started)
    client: Client = client_for(world.editor)
    form = IndicatorsForm(None, content=before.content["indicators"], filing=started)
    data = post_data(form, base_revision=str(before.revisions.get("indicators", 0)), save="1",
                     **{f"indicators-{DEBT}-baseline": "100.5"})  # fmt: skip
    response = client.post(f"/filings/{started.pk}/edit/indicators/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert zh("“%(typed)s” is outside the range of %(indicator)s: %(range)s.", typed="100.5",
              indicator="资产负债率", range=zh("from %(minimum)s to %(maximum)s",
                                                minimum="0%", maximum="100%")) in html  # fmt: skip
    assert draft_of(started).content == before.content
    assert draft_of(started).revisions == before.revisions


@pytestmark_urls
def test_the_editor_shows_warnings_after_saving(
    started: Filing, world: World, client_for: Any
) -> None:
    plan_fill(filing=started, content=filled_content(started), actor=world.lead)
    before = draft_of(started)
    client: Client = client_for(world.editor)
    form = IndicatorsForm(None, content=before.content["indicators"], filing=started)
    data = post_data(form, base_revision=str(before.revisions.get("indicators", 0)), save="1",
                     **{f"indicators-{ROE}-target_2023": "62"})  # fmt: skip
    response = client.post(f"/filings/{started.pk}/edit/indicators/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="saved"' in html
    assert draft_of(started).content["indicators"]["rows"][ROE]["targets"]["2023"] == "62"
    assert 'data-testid="figure-warnings"' in html
    assert f'href="#field-indicators-{ROE}-target_2023"' in html
    message = zh(
        "%(indicator)s: %(what)s (%(value)s) is below %(other)s (%(other_value)s), though "
        "higher is better.",
        indicator="净资产收益率", what=zh("the target for %(year)s", year="2023"),
        value="62.00%", other=zh("the baseline value"), other_value="63.00%",
    )  # fmt: skip
    assert message in html
    # Opened again later, the section still lists them.
    assert message in client.get(f"/filings/{started.pk}/edit/indicators/").content.decode()


@pytestmark_urls
def test_outsider_gets_404_on_the_editor(started: Filing, world: World, client_for: Any) -> None:
    url = f"/filings/{started.pk}/edit/indicators/"
    assert client_for(world.other_lead).get(url).status_code == 404
    assert client_for(world.bj_lead).get(url).status_code == 404


# --- A stage summary's actual figure is refused outside the range too --------------------------


def test_a_stage_actual_outside_the_range_is_refused(content: dict[str, Any]) -> None:
    stored = copy.deepcopy(indicator_rows(content["indicators"], YEARS)[DEBT])
    with translation.override("en"):
        form = ResultRowForm(
            {"indicators-0-id": stored["id"], "indicators-0-actual": "125"},
            prefix="indicators-0", section="indicators", index=0, row_id=stored["id"],
            stored=stored, filing=None,
        )  # fmt: skip
        assert not form.is_valid()
        assert form.errors["actual"] == [
            "“125” is outside the range of Debt-to-asset ratio: from 0% to 100%."
        ]
    form = ResultRowForm(
        {"indicators-0-id": stored["id"], "indicators-0-actual": "1,2"},
        prefix="indicators-0", section="indicators", index=0, row_id=stored["id"],
        stored=stored, filing=None,
    )  # fmt: skip
    assert not form.is_valid() and "“1,2”" in form.errors["actual"][0]
    form = ResultRowForm(
        {"indicators-0-id": stored["id"], "indicators-0-actual": "６１．５"},
        prefix="indicators-0", section="indicators", index=0, row_id=stored["id"],
        stored=stored, filing=None,
    )  # fmt: skip
    assert form.is_valid(), form.errors
    assert form.to_row()["actual"] == "61.5"


# --- At submission: the lead acknowledges the warnings --------------------------------------------


def test_the_lead_must_acknowledge_flagged_figures_to_submit(started: Filing, world: World) -> None:
    from tests.conftest import login_verified

    content = filled_content(started)
    content["indicators"]["rows"][NET]["baseline"] = "61"  # total profit: 60
    plan_fill(filing=started, content=content, actor=world.lead)
    client = login_verified(Client(), world.lead)
    page = client.get(f"/filings/{started.pk}/check/").content.decode()
    assert 'data-testid="check-warnings"' in page
    message = zh(
        "%(left)s cannot be more than %(right)s: for %(what)s, %(left_value)s against "
        "%(right_value)s.",
        left="净利润", right="利润总额", what=zh("the baseline value"), left_value="61.00",
        right_value="60.00",
    )  # fmt: skip
    assert message in page
    assert f'href="/filings/{started.pk}/edit/indicators/#field-indicators-{NET}-baseline"' in page
    assert 'name="acknowledge"' in page

    refused = client.post(f"/filings/{started.pk}/actions/submit/", {"confirm": "yes"})
    assert refused.status_code == 302
    assert refused["Location"] == f"/filings/{started.pk}/check/"
    started.refresh_from_db()
    assert started.state == "draft"

    client.post(
        f"/filings/{started.pk}/actions/submit/",
        {"confirm": "yes", "acknowledge": "yes", **submission_post()},
    )
    started.refresh_from_db()
    assert started.state == "submitted"
    # The history keeps what the lead confirmed, worded as the lead read it: net profit above
    # total profit and its three targets now below its baseline (the debt targets stay in
    # their band).
    event = started.events.get(action="submit")
    acknowledged = event.data["acknowledged"]
    assert len(acknowledged) == 4
    assert acknowledged[0] == html.unescape(message)
    assert all(html.escape(text) in page for text in acknowledged)


def test_no_acknowledgement_is_asked_without_flagged_figures(started: Filing, world: World) -> None:
    from tests.conftest import login_verified

    content = filled_content(started)
    debt = content["indicators"]["rows"][DEBT]  # a debt ratio held below its baseline
    debt.update(baseline="62", targets={"2023": "61", "2024": "60", "2025": "60"})
    plan_fill(filing=started, content=content, actor=world.lead)
    client = login_verified(Client(), world.lead)
    assert 'name="acknowledge"' not in client.get(f"/filings/{started.pk}/check/").content.decode()
    client.post(f"/filings/{started.pk}/actions/submit/", {"confirm": "yes", **submission_post()})
    started.refresh_from_db()
    assert started.state == "submitted"
    assert "acknowledged" not in started.events.get(action="submit").data
