import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.timeline.models import AuthorityDeadline, Campaign, Deliverable, Extension
from tests.conftest import World

pytestmark = pytest.mark.django_db
D = dt.date


def obligations_url(code: str) -> str:
    return reverse("timeline:authority_obligations", args=[code])


def test_authority_overview_counts_only_own_enterprises(world: World, client_for, plan) -> None:  # type: ignore[no-untyped-def]
    response = client_for(world.sasac_reviewer).get(obligations_url("SASAC"))
    assert response.status_code == 200
    rows = response.context["rows"]
    counts = dict(next(cells for d, cells, _local in rows if d == plan))
    # two central enterprises (the world fixture), nothing of Beijing's or Guangdong's
    assert sum(counts.values()) == 2


def test_authority_pages_are_404_for_outsiders(world: World, client_for, plan) -> None:  # type: ignore[no-untyped-def]
    bj = client_for(world.bj_reviewer)
    assert bj.get(obligations_url("44")).status_code == 404
    assert bj.get(reverse("timeline:authority_obligation_list", args=["44"])).status_code == 404
    assert (
        bj.get(reverse("timeline:authority_obligation_export", args=["44", "csv"])).status_code
        == 404
    )
    assert (
        bj.get(reverse("timeline:authority_deadline_edit", args=["44", plan.pk])).status_code == 404
    )
    url = reverse("timeline:extension_edit", args=[world.gd_enterprise.credit_code, plan.pk])
    assert bj.get(url).status_code == 404
    # enterprise users see no authority pages at all
    assert client_for(world.lead).get(obligations_url("SASAC")).status_code == 404


def test_plain_reviewer_cannot_set_deadlines_or_extensions(world: World, client_for, plan) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.sasac_reviewer)
    assert (
        client.get(reverse("timeline:authority_deadline_edit", args=["SASAC", plan.pk])).status_code
        == 404
    )
    url = reverse("timeline:extension_edit", args=[world.central.credit_code, plan.pk])
    assert client.post(url, {"due_on": "2026-05-01", "reason": "x"}).status_code == 404
    assert not Extension.objects.exists()


def test_lead_reviewer_sets_local_deadline_with_holiday_warning(
    world: World, client_for, plan
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.sasac_lead_reviewer)
    url = reverse("timeline:authority_deadline_edit", args=["SASAC", plan.pk])
    response = client.post(url, {"due_on": "2026-10-01", "note": "国庆"}, follow=True)
    assert response.status_code == 200
    deadline = AuthorityDeadline.objects.get(authority=world.sasac, deliverable=plan)
    assert deadline.due_on == D(2026, 10, 1)
    body = response.content.decode()
    assert "法定节假日" in body  # National Day warning, in Chinese
    assert (
        AuditEvent.objects.filter(action="deadline.set", actor=world.sasac_lead_reviewer).count()
        == 1
    )
    # clearing it
    client.post(url, {"due_on": "", "note": ""})
    assert not AuthorityDeadline.objects.filter(authority=world.sasac, deliverable=plan).exists()
    assert AuditEvent.objects.filter(action="deadline.clear").count() == 1


def test_extension_needs_reason_and_a_later_date(world: World, client_for, plan) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.sasac_lead_reviewer)
    url = reverse("timeline:extension_edit", args=[world.central.credit_code, plan.pk])
    response = client.post(url, {"due_on": "2026-04-30", "reason": ""})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    response = client.post(url, {"due_on": "2026-03-01", "reason": "重组"})
    assert response.status_code == 200
    assert "due_on" in response.context["form"].errors
    assert not Extension.objects.exists()
    response = client.post(url, {"due_on": "2026-04-30", "reason": "集团重组"})
    assert response.status_code == 302
    extension = Extension.objects.get()
    assert extension.granted_by == world.sasac_lead_reviewer
    event = AuditEvent.objects.get(action="extension.grant")
    assert event.data["after"]["reason"] == "集团重组"
    # the enterprise sees the new date on its page
    body = client_for(world.lead).get(world.central.get_absolute_url()).content.decode()
    assert "2026-04-30" in body and "集团重组" in body


def test_enterprise_page_shows_next_deadline(world: World, client_for, campaign) -> None:  # type: ignore[no-untyped-def]
    response = client_for(world.lead).get(world.central.get_absolute_url())
    body = response.content.decode()
    assert 'data-testid="campaign-timeline"' in body
    assert "测试批次" in body
    # a subsidiary is told its group files for it
    from tests.factories import EnterpriseFactory

    sub = EnterpriseFactory(authority=world.sasac, parent=world.central)
    body = client_for(world.admin).get(sub.get_absolute_url()).content.decode()
    assert world.central.name_zh in body


def test_export_csv_and_xlsx(world: World, client_for, plan) -> None:  # type: ignore[no-untyped-def]
    world.central.name_zh = '=HYPERLINK("http://evil")'
    world.central.save()
    client = client_for(world.sasac_reviewer)
    response = client.get(
        reverse("timeline:authority_obligation_export", args=["SASAC", "csv"]),
        {"deliverable": plan.pk},
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "credit_code"
    assert len(rows) == 3  # header + two central enterprises
    assert {r[0] for r in rows[1:]} == {world.central.credit_code, world.central_other.credit_code}
    assert any(r[1].startswith("'=HYPERLINK") for r in rows[1:])
    response = client.get(reverse("timeline:authority_obligation_export", args=["SASAC", "xlsx"]))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert len(values) == 1 + 2 * Deliverable.objects.active().count()
    assert all(not str(v[1]).startswith("=") for v in values[1:])


def test_campaign_admin_pages_validate_stages(world: World, client_for) -> None:
    client = client_for(world.admin)
    data = {
        "code": "VC2027",
        "name_zh": "新批次",
        "name_en": "New",
        "notice": "n",
        "notice_title": "关于开展测试的通知",
        "notice_issuer": "国务院国资委",
        "is_active": "on",
        "deployment_starts_on": "2027-01-01",
        "deployment_ends_on": "2027-03-31",
        "implementation_starts_on": "2027-03-15",
        "implementation_ends_on": "2028-12-31",
        "assessment_starts_on": "2029-01-01",
        "assessment_ends_on": "2029-03-31",
    }
    response = client.post(reverse("timeline:campaign_create"), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Campaign.objects.filter(code="VC2027").exists()
    data["implementation_starts_on"] = "2027-04-01"
    response = client.post(reverse("timeline:campaign_create"), data)
    assert response.status_code == 302
    campaign = Campaign.objects.get(code="VC2027")
    assert campaign.stages.count() == 3
    # a deliverable outside its stage is refused
    stage = campaign.stages.get(kind="deployment")
    url = reverse("timeline:deliverable_create", args=[campaign.pk])
    bad = {
        "stage": stage.pk,
        "kind": "plan",
        "title_zh": "方案",
        "title_en": "Plan",
        "due_on": "2027-09-30",
    }
    response = client.post(url, bad)
    assert response.status_code == 200 and "due_on" in response.context["form"].errors
    bad["due_on"] = "2027-04-15"  # right after its stage: allowed
    assert client.post(url, bad).status_code == 302
    assert (
        AuditEvent.objects.filter(action__in=["campaign.create", "deliverable.create"]).count() == 2
    )


def test_campaign_pages_are_admin_only(world: World, client_for, campaign) -> None:  # type: ignore[no-untyped-def]
    for user in (world.lead, world.sasac_lead_reviewer):
        client = client_for(user)
        assert client.get(reverse("timeline:campaign_list")).status_code == 404
        assert (
            client.get(reverse("timeline:campaign_detail", args=[campaign.pk])).status_code == 404
        )


def test_check_date_fragment(world: World, client_for) -> None:
    client = client_for(world.lead)
    body = client.get(reverse("timeline:check_date"), {"due_on": "2026-10-01"}).content.decode()
    assert "国庆节" in body
    body = client.get(reverse("timeline:check_date"), {"due_on": "2026-11-28"}).content.decode()
    assert "周末" in body
    body = client.get(reverse("timeline:check_date"), {"due_on": "2026-10-10"}).content.decode()
    assert "工作日" in body
    assert client.get(reverse("timeline:check_date"), {"due_on": "garbage"}).content == b""
