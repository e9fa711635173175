"""The stage sections through the generic filing pages: prefilled rows shown read-only,
actuals and statuses saved, tampered identity ignored, live progress."""

from typing import Any

import pytest
from django.test import Client

from apps.filings.kinds import get_kind
from apps.filings.models import Filing, FilingVersion
from apps.filings.services import open_draft
from tests.conftest import World, zh
from tests.plans.conftest import post_data

pytestmark = pytest.mark.django_db


def editor_post(filing: Filing, key: str, **overrides: Any) -> dict[str, Any]:
    section = get_kind(filing.kind).section(key)
    assert section is not None
    draft = open_draft(filing)
    form = section.form_class(None, content=draft.content.get(key) or {}, filing=filing)
    return post_data(form, base_revision=str(draft.revisions.get(key, 0)), **overrides)


def draft_of(filing: Filing) -> FilingVersion:
    filing.refresh_from_db()
    return open_draft(filing)


def test_every_section_editor_renders(
    summary: Filing, report: Filing, world: World, client_for: Any
) -> None:
    client: Client = client_for(world.editor)
    for filing in (summary, report):
        for section in get_kind(filing.kind).sections:
            response = client.get(f"/filings/{filing.pk}/edit/{section.key}/")
            assert response.status_code == 200, section.key
    html = client.get(f"/filings/{summary.pk}/edit/indicators/").content.decode()
    assert "利润总额" in html
    assert 'id="field-indicators-actual"' in html
    assert f'hx-post="/filings/{summary.pk}/stages/progress/"' in html
    # The plan's figure, as stored and as shown (grouped, at the indicator's precision).
    assert draft_of(summary).content["indicators"]["rows"][0]["target"] == "1350000.00"
    assert 'data-testid="target">1,350,000.00<' in html
    # Identity columns are text, not inputs.
    assert 'name="indicators-0-baseline"' not in html and 'name="indicators-0-target"' not in html


def test_saving_actuals_keeps_the_plan_identity(
    summary: Filing, world: World, client_for: Any
) -> None:
    client: Client = client_for(world.editor)
    before = draft_of(summary).content["indicators"]["rows"]
    data = editor_post(
        summary,
        "indicators",
        save="1",
        **{
            "indicators-0-actual": "1,300,000.5",
            "indicators-0-note": "快报",
            # A tampered POST: fields the form does not have are ignored.
            "indicators-0-target": "1",
            "indicators-0-name_zh": "改名",
            "indicators-1-on_track": "no",
        },
    )
    response = client.post(f"/filings/{summary.pk}/edit/indicators/", data)
    assert response.status_code == 200
    assert 'data-testid="saved"' in response.content.decode()
    rows = draft_of(summary).content["indicators"]["rows"]
    assert rows[0]["actual"] == "1300000.5" and rows[0]["note"] == "快报"
    assert rows[0]["target"] == before[0]["target"] and rows[0]["name_zh"] == "利润总额"
    # On track is computed from the figures at the period's end, never typed or stored.
    assert "on_track" not in rows[0] and "on_track" not in rows[1]
    assert rows[1]["actual"] == ""
    assert [r["id"] for r in rows] == [r["id"] for r in before]


def test_a_forged_row_is_not_added(summary: Filing, world: World, client_for: Any) -> None:
    client: Client = client_for(world.editor)
    data = editor_post(summary, "tasks", save="1")
    total = int(data["tasks-TOTAL_FORMS"])
    data.update(
        {
            "tasks-TOTAL_FORMS": str(total + 1),
            f"tasks-{total}-id": "forged",
            f"tasks-{total}-status": "done",
            f"tasks-{total}-evidence": "x",
            "tasks-0-status": "done",
            "tasks-0-evidence": "验收报告",
        }
    )
    client.post(f"/filings/{summary.pk}/edit/tasks/", data)
    rows = draft_of(summary).content["tasks"]["rows"]
    assert len(rows) == total
    assert rows[0]["status"] == "done" and rows[0]["evidence"] == "验收报告"


def test_a_bad_number_is_refused(summary: Filing, world: World, client_for: Any) -> None:
    client: Client = client_for(world.editor)
    data = editor_post(summary, "indicators", save="1", **{"indicators-0-actual": "lots"})
    response = client.post(f"/filings/{summary.pk}/edit/indicators/", data)
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert draft_of(summary).content["indicators"]["rows"][0]["actual"] == ""


def test_changing_the_year_changes_the_targets(
    summary: Filing, approved_plan: Filing, world: World, client_for: Any
) -> None:
    client: Client = client_for(world.editor)
    data = editor_post(summary, "indicators", save="1", year="2027")
    client.post(f"/filings/{summary.pk}/edit/indicators/", data)
    section = draft_of(summary).content["indicators"]
    plan_rows = approved_plan.approved_version.content["indicators"]["rows"]
    assert section["year"] == "2027"
    assert section["rows"][0]["target"] == plan_rows[0]["targets"]["2027"]
    data = editor_post(summary, "indicators", save="1", year="2031")  # not a campaign year
    response = client.post(f"/filings/{summary.pk}/edit/indicators/", data)
    assert 'id="field-indicators-year_error"' in response.content.decode()
    assert draft_of(summary).content["indicators"]["year"] == "2027"


def test_cases_can_be_added(report: Filing, world: World, client_for: Any) -> None:
    client: Client = client_for(world.editor)
    data = editor_post(
        report,
        "cases",
        save="1",
        **{
            "cases-0-title": "司库体系建设",
            "cases-0-area": "efficiency",
            "cases-0-summary": "资金集中度提升。",
        },
    )
    client.post(f"/filings/{report.pk}/edit/cases/", data)
    rows = draft_of(report).content["cases"]["rows"]
    assert [(r["title"], r["area"]) for r in rows] == [("司库体系建设", "efficiency")]
    assert rows[0]["id"]


def test_live_progress(summary: Filing, world: World, client_for: Any) -> None:
    client: Client = client_for(world.editor)
    row = draft_of(summary).content["indicators"]["rows"][0]
    from decimal import Decimal

    halfway = (Decimal(row["baseline"]) + Decimal(row["target"])) / 2
    response = client.post(
        f"/filings/{summary.pk}/stages/progress/",
        {
            "year": "2026",
            "indicators-0-id": row["id"],
            "indicators-0-actual": str(halfway),
            "indicators-0-target": "0",
        },  # ignored: the target is the plan's
        headers={"HX-Request": "true", "HX-Trigger-Name": "indicators-0-actual"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert zh("%(p)s%% of the way", p="50.0") in html
    # The summary reports the whole year 2026 (set up without a period, it takes its year):
    # half the way to the year's target is behind.
    assert zh("Behind") in html


def test_live_progress_outsiders_get_404(summary: Filing, world: World, client_for: Any) -> None:
    # A reviewer cannot open a filing never submitted; another enterprise never.
    for user in (world.other_lead, world.sasac_reviewer, world.bj_reviewer):
        client: Client = client_for(user)
        response = client.post(f"/filings/{summary.pk}/stages/progress/", {})
        assert response.status_code == 404, user.email


def test_every_missing_item_links_to_its_input(
    summary: Filing, report: Filing, world: World, client_for: Any
) -> None:
    client: Client = client_for(world.editor)
    for filing in (summary, report):
        kind = get_kind(filing.kind)
        missing = kind.completeness(open_draft(filing).content, filing)
        assert missing
        pages: dict[str, str] = {}
        for item in missing:
            if item.section not in pages:
                url = f"/filings/{filing.pk}/edit/{item.section}/"
                pages[item.section] = client.get(url).content.decode()
            assert f'id="{item.anchor}"' in pages[item.section], item


def test_admin_edits_the_scale(world: World, client_for: Any) -> None:
    from apps.stages.models import ScoreScale
    from tests.factories import UserFactory

    scale = ScoreScale.objects.get(is_default=True)
    root = UserFactory.create(email="root@example.cn", is_staff=True, is_superuser=True)
    client: Client = client_for(root)
    response = client.get(f"/admin/stages/scorescale/{scale.pk}/change/")
    assert response.status_code == 200
    assert "优秀" in response.content.decode()
    for model in ("assessment", "designation", "indicatorresult"):
        assert client.get(f"/admin/stages/{model}/").status_code == 200, model
