"""The roll-up annex of a group's plan, against a hand computation: amounts summed, a ratio
recomputed from its components (never the average of the subsidiaries' ratios), a ratio
without components shown per unit; frozen with the group's version, in its fingerprint,
its page and its packet."""

import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from apps.enterprises.models import Enterprise
from apps.filings.models import Filing
from apps.filings.services import filing_start, filing_transition
from apps.groups.rollup import indicator_totals
from apps.packets.models import PacketKind
from apps.packets.rendering import render_packet_pdf
from apps.plans.demo import demo_plan_content, plan_fill
from apps.reviews.services import decision_make
from apps.timeline.models import Campaign
from tests.conftest import World, login_verified
from tests.filings.conftest import a_submission
from tests.groups.conftest import Group

pytestmark = pytest.mark.django_db

PROFIT, DEBT, ROE = 0, 2, 3


def components(num: tuple[str, str, str], den: tuple[str, str, str]) -> dict[str, Any]:
    def figures(values: tuple[str, str, str]) -> dict[str, Any]:
        return {"baseline": values[0], "targets": {"2026": values[1], "2027": values[2]}}

    return {"numerator": figures(num), "denominator": figures(den)}


def accepted_plan(
    unit: Enterprise, lead: Any, group: Group, campaign: Campaign, *, profit: tuple[str, ...],
    liabilities: tuple[str, str, str], assets: tuple[str, str, str],
) -> Filing:  # fmt: skip
    unit.refresh_from_db()
    filing = filing_start(
        enterprise=unit, deliverable=campaign.deliverables.get(kind="plan"), actor=lead
    )
    content = demo_plan_content(filing, seed=unit.pk)
    rows = content["indicators"]["rows"]
    rows[PROFIT].update(baseline=profit[0], targets={"2026": profit[1], "2027": profit[2]})
    ratio = [
        str(round(100 * float(n) / float(d), 2)) for n, d in zip(liabilities, assets, strict=True)
    ]
    rows[DEBT].update(baseline=ratio[0], targets={"2026": ratio[1], "2027": ratio[2]},
                      components=components(liabilities, assets))  # fmt: skip
    plan_fill(filing=filing, content=content, actor=lead)
    filing = filing_transition(filing=filing, action="submit", submission=a_submission(),
                               actor=lead)  # fmt: skip
    filing = filing_transition(filing=filing, action="start_review", actor=group.reviewer)
    decision_make(filing=filing, outcome="approve", reasons="", actor=group.lead_reviewer)
    filing.refresh_from_db()
    return filing


def test_the_annex_equals_a_hand_computation(
    world: World, group: Group, campaign: Campaign, tmp_path: Path
) -> None:
    a = accepted_plan(group.sub_a, group.a_lead, group, campaign, profit=("100", "110", "120"),
                      liabilities=("60", "58", "56"), assets=("100", "100", "100"))  # fmt: skip
    accepted_plan(group.sub_b, group.b_lead, group, campaign, profit=("50", "55", "60"),
                  liabilities=("10", "10", "9"), assets=("50", "50", "50"))  # fmt: skip
    hq = filing_start(
        enterprise=world.central, deliverable=campaign.deliverables.get(kind="plan"),
        actor=world.editor,
    )  # fmt: skip
    plan_fill(filing=hq, content=demo_plan_content(hq, seed=1), actor=world.editor)
    hq = filing_transition(filing=hq, action="submit", submission=a_submission(),
                           actor=world.lead)  # fmt: skip
    version = hq.latest_submitted
    annex = version.content["_rollup"]
    assert [(u["name_zh"], u["state"], u["version"]) for u in annex["units"]] == [
        ("甲子公司", "approved", 1), ("乙子公司", "approved", 1)]  # fmt: skip
    assert annex["units"][0]["sha256"] == a.approved_version.sha256
    by_code = {i["code"]: i for i in annex["indicators"]}
    # Total profit: 100 + 50, 110 + 55, 120 + 60.
    assert (by_code["total_profit"]["how"], by_code["total_profit"]["total"]) == (
        "sum", {"baseline": "150", "2026": "165", "2027": "180"})  # fmt: skip
    # Debt-to-asset: (60 + 10) / (100 + 50) = 46.6667 %, not the average of 60 % and 20 %;
    # (58 + 10) / 150 = 45.3333 %; (56 + 9) / 150 = 43.3333 %.
    assert (by_code["debt_to_asset"]["how"], by_code["debt_to_asset"]["total"]) == (
        "components", {"baseline": "46.6667", "2026": "45.3333", "2027": "43.3333"})  # fmt: skip
    # Return on net assets: no components given, so no total; each unit's figure stands.
    assert (by_code["roe"]["how"], by_code["roe"]["total"]) == ("per_unit", {})
    assert len(by_code["roe"]["per_unit"]) == 2
    # Frozen with the version: in its snapshot, hence its fingerprint.
    assert '"_rollup"' in version.snapshot

    # The commission reads it on the group's plan, and in its packet.
    page = login_verified(Client(), world.sasac_reviewer).get(f"/filings/{hq.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="rollup-annex"' in html
    assert html.count('data-testid="rollup-indicator"') == len(annex["indicators"])
    path = tmp_path / "packet.pdf"
    path.write_bytes(render_packet_pdf(version, kind=PacketKind.SUBMISSION))
    text = "".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                       check=True).stdout.split()
    )  # fmt: skip
    assert "乙子公司50.0055.0060.00" in text  # a subsidiary's profit, baseline and targets
    assert "150.00165.00180.00" in text  # the group's sum
    assert "46.6667%45.3333%43.3333%" in text  # the debt ratio from the components


def test_a_partial_set_of_components_gives_no_total() -> None:
    rows = [
        {"baseline": "60", "targets": {"2026": "58"},
         "components": components(("60", "58", "56"), ("100", "100", "100"))},
        {"baseline": "20", "targets": {"2026": "20"}},  # no components
    ]  # fmt: skip
    assert indicator_totals(rows, ["2026"], kind="ratio", unit="%") == ("per_unit", {})
    amounts = [{"baseline": "1", "targets": {"2026": "2"}}, {"baseline": "3", "targets": {}}]
    assert indicator_totals(amounts, ["2026"], kind="amount", unit="万元") == (
        "sum", {"baseline": "4"})  # fmt: skip
