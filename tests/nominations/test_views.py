"""The nomination pages: who reaches what (outsiders get 404, the public reads notices but no
nomination), the forms through to a designation, and bounded query counts."""

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import User
from apps.enterprises.models import Role
from apps.enterprises.services import membership_grant
from apps.filings.models import Filing
from apps.nominations import services
from apps.nominations.models import Nomination, NominationScore, Objection, PublicNotice
from apps.stages.models import Designation
from apps.timeline.models import local_today
from tests.conftest import World, visible_text
from tests.factories import UserFactory
from tests.nominations.conftest import end_notice, in_notice, nominate_model, score_twice
from tests.nominations.helpers import enterprises, make_noticed

pytestmark = pytest.mark.django_db


def urls(nomination: Nomination, notice: PublicNotice | None = None) -> dict[str, str]:
    found = {
        "detail": reverse("nominations:detail", args=[nomination.pk]),
        "score": reverse("nominations:score", args=[nomination.pk]),
        "propose": reverse("nominations:propose", args=[nomination.pk]),
        "reject": reverse("nominations:reject", args=[nomination.pk]),
        "object": reverse("nominations:object", args=[nomination.pk]),
        "designate": reverse("nominations:designate", args=[nomination.pk]),
    }
    if notice is not None:
        found["notice_designate"] = reverse("nominations:notice_designate", args=[notice.pk])
    return found


def test_paths(approved_report: Filing, world: World) -> None:
    assert reverse("nominations:nominate", args=[7]) == "/filings/7/nominate/"
    assert reverse("nominations:apply", args=[7]) == "/filings/7/apply/"
    assert reverse("nominations:detail", args=[3]) == "/nominations/3/"
    assert (
        reverse("nominations:authority_list", args=["SASAC"]) == "/authorities/SASAC/nominations/"
    )
    assert reverse("nominations:notice_list") == "/notices/"
    assert reverse("nominations:notice_detail", args=[2]) == "/notices/2/"
    assert reverse("stages:national_list") == "/models/"


# --- Who reaches what ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["bj_reviewer", "gd_reviewer", "other_lead", "bj_lead", "admin"])
def test_outsiders_get_404(
    approved_report: Filing, world: World, client_for: Any, second_reviewer: User, who: str
) -> None:
    nomination, notice = in_notice(approved_report, world, second_reviewer)
    objection = services.objection_record(
        nomination=nomination, text="异议。", received_on=local_today(), actor=world.sasac_reviewer
    )
    end_notice(notice)
    client: Client = client_for(getattr(world, who))
    found = urls(nomination, notice)
    assert client.get(found["detail"]).status_code == 404
    for name in ("score", "propose", "reject", "object", "designate", "notice_designate"):
        assert (
            client.post(found[name], {"score": "90", "reason": "x", "text": "x"}).status_code == 404
        )
    resolve = reverse("nominations:resolve", args=[objection.pk])
    assert client.post(resolve, {"resolution": "upheld", "reason": "x"}).status_code == 404
    for path in (
        reverse("nominations:nominate", args=[approved_report.pk]),
        reverse("nominations:apply", args=[approved_report.pk]),
        reverse("nominations:authority_list", args=["SASAC"]),
        reverse("nominations:notice_new", args=["SASAC"]),
    ):
        assert client.get(path).status_code == 404, path
    nomination.refresh_from_db()
    objection.refresh_from_db()
    assert nomination.status == "in_notice" and objection.is_open
    assert not Designation.objects.exists()


def test_the_enterprise_does_not_see_the_authoritys_nomination(
    approved_report: Filing, world: World, client_for: Any
) -> None:
    nomination = nominate_model(approved_report, world)
    for who in ("lead", "editor"):
        client: Client = client_for(getattr(world, who))
        assert client.get(urls(nomination)["detail"]).status_code == 404
        assert (
            client.get(reverse("nominations:nominate", args=[approved_report.pk])).status_code
            == 404
        )


def test_an_editor_cannot_apply(approved_report: Filing, world: World, client_for: Any) -> None:
    client: Client = client_for(world.editor)
    url = reverse("nominations:apply", args=[approved_report.pk])
    assert client.get(url).status_code == 404
    response = client.post(
        url, {"kind": "model_enterprise", "industry": "C", "field": "efficiency",
              "case_summary": "摘要。"}
    )  # fmt: skip
    assert response.status_code == 404 and not Nomination.objects.exists()


def test_a_plain_reviewer_does_not_reach_the_lead_steps(
    approved_report: Filing, world: World, client_for: Any, second_reviewer: User
) -> None:
    nomination = nominate_model(approved_report, world)
    score_twice(nomination, world, second_reviewer)
    client: Client = client_for(world.sasac_reviewer)
    found = urls(nomination)
    assert client.get(found["detail"]).status_code == 200
    assert client.post(found["propose"]).status_code == 404
    assert client.post(found["reject"], {"reason": "否。"}).status_code == 404
    assert client.get(reverse("nominations:notice_new", args=["SASAC"])).status_code == 404
    nomination.refresh_from_db()
    assert nomination.status == "nominated"


def test_anonymous_reads_the_notice_and_the_list_but_no_nomination(
    approved_report: Filing, world: World, client: Client, second_reviewer: User
) -> None:
    nomination, notice = in_notice(approved_report, world, second_reviewer)
    response = client.get(urls(nomination)["detail"])
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(notice.get_absolute_url()).status_code == 200
    assert client.get(reverse("nominations:notice_list")).status_code == 200
    assert client.get(reverse("stages:national_list")).status_code == 200
    assert client.post(urls(nomination, notice)["notice_designate"]).status_code == 302
    assert client.get(reverse("nominations:authority_list", args=["SASAC"])).status_code == 302


def test_a_notice_is_public_from_its_first_day(
    approved_report: Filing, world: World, client: Client, client_for: Any, second_reviewer: User
) -> None:
    nomination = nominate_model(approved_report, world)
    score_twice(nomination, world, second_reviewer)
    services.nomination_propose(
        nomination=nomination, publish_summary=False, actor=world.sasac_lead_reviewer
    )
    tomorrow = local_today() + dt.timedelta(days=1)
    notice = services.notice_publish(
        authority=world.sasac,
        title="明日起公示",
        starts_on=tomorrow,
        ends_on=tomorrow + dt.timedelta(days=5),
        nominations=[nomination],
        actor=world.sasac_lead_reviewer,
    )
    assert client.get(notice.get_absolute_url()).status_code == 404
    assert "明日起公示" not in client.get(reverse("nominations:notice_list")).content.decode()
    assert client_for(world.sasac_reviewer).get(notice.get_absolute_url()).status_code == 200
    assert client_for(world.bj_reviewer).get(notice.get_absolute_url()).status_code == 404


# --- Through the pages -----------------------------------------------------------------------


def test_the_report_page_offers_nominating_and_applying(
    approved_report: Filing, submitted_report: Filing, world: World, client_for: Any
) -> None:
    url = approved_report.get_absolute_url()
    reviewer = client_for(world.sasac_reviewer).get(url).content.decode()
    assert 'data-testid="nominate-model_enterprise"' in reviewer
    assert 'data-testid="nominate-benchmark_project"' in reviewer
    assert 'data-testid="apply"' not in reviewer
    assert "name-model-form" not in reviewer  # the one-click naming is gone
    lead = client_for(world.lead).get(url).content.decode()
    assert 'data-testid="apply"' in lead and 'data-testid="nominate-' not in lead
    editor = client_for(world.editor).get(url).content.decode()
    assert 'data-testid="nominations-panel"' not in editor


def test_only_what_is_free_is_offered(
    approved_report: Filing, world: World, client_for: Any
) -> None:
    client: Client = client_for(world.sasac_reviewer)
    url = approved_report.get_absolute_url()
    nominate_model(approved_report, world)
    html = client.get(url).content.decode()
    assert 'data-testid="nominate-model_enterprise"' not in html
    assert 'data-testid="nominate-benchmark_project"' in html
    for case_id in ("case1", "case2"):
        services.nomination_nominate(
            filing=approved_report, kind="benchmark_project", case_id=case_id,
            actor=world.sasac_reviewer,
        )  # fmt: skip
    html = client.get(url).content.decode()
    assert 'data-testid="nominate-' not in html and 'data-testid="nothing-to-nominate"' in html
    assert html.count('data-testid="status"') == 3  # the three nominations, listed


def test_not_offered_before_the_report_is_filed(
    submitted_report: Filing, world: World, client_for: Any
) -> None:
    html = client_for(world.sasac_reviewer).get(submitted_report.get_absolute_url()).content
    assert b'data-testid="nominations-panel"' not in html
    url = reverse("nominations:nominate", args=[submitted_report.pk])
    assert client_for(world.sasac_reviewer).get(url).status_code == 404


def test_from_nomination_to_designation_through_the_pages(
    approved_report: Filing,
    world: World,
    client_for: Any,
    client: Client,
    second_reviewer: User,
) -> None:
    reviewer: Client = client_for(world.sasac_reviewer)
    response = reviewer.post(
        reverse("nominations:nominate", args=[approved_report.pk]),
        {"kind": "benchmark_project", "case_id": "case1", "industry": "D", "field": "",
         "case_summary": "资金集中度提升至96%，财务费用下降12%。"},
    )  # fmt: skip
    nomination = Nomination.objects.get()
    assert response.status_code == 302 and response["Location"] == nomination.get_absolute_url()
    assert (nomination.title, nomination.industry, nomination.field) == (
        "司库体系建设",
        "D",
        "efficiency",
    )
    found = urls(nomination)
    assert (
        reviewer.post(found["score"], {"score": "88", "comment": "成效显著。"}).status_code == 302
    )
    reviewer.post(found["score"], {"score": "101"})  # out of range: refused by the form
    assert NominationScore.objects.get(reviewer=world.sasac_reviewer).score == 88

    lead: Client = client_for(world.sasac_lead_reviewer)
    page = lead.get(found["detail"]).content.decode()
    assert 'data-testid="propose-waits"' in page and 'data-testid="propose-form"' not in page
    lead.post(found["propose"], {"publish_summary": "on"})  # one score: refused
    nomination.refresh_from_db()
    assert nomination.status == "nominated"
    lead.post(found["score"], {"score": "92"})
    page = lead.get(found["detail"]).content.decode()
    assert 'data-testid="score-mean"' in page and ">90.0<" in page
    assert lead.post(found["propose"], {"publish_summary": "on"}).status_code == 302
    nomination.refresh_from_db()
    assert (nomination.status, nomination.publish_summary) == ("proposed", True)

    today = local_today()
    response = lead.post(
        reverse("nominations:notice_new", args=["SASAC"]),
        {"title": "标杆项目公示", "starts_on": today.isoformat(),
         "ends_on": (today + dt.timedelta(days=7)).isoformat(), "nominations": [nomination.pk]},
    )  # fmt: skip
    notice = PublicNotice.objects.get()
    assert response.status_code == 302 and response["Location"] == notice.get_absolute_url()

    # The public reads the notice: names, title, industry, area, published summary, dates.
    public = visible_text(client.get(notice.get_absolute_url()).content.decode())
    for text in (world.central.name_zh, "司库体系建设", "资金集中度提升至96%", "标杆项目公示"):
        assert text in public
    assert world.sasac_reviewer.full_name not in public and "88" not in public

    reviewer.post(found["object"], {"text": "举报材料一份。", "received_on": today.isoformat()})
    objection = Objection.objects.get()
    end_notice(notice)
    lead.post(urls(nomination, notice)["notice_designate"])
    assert not Designation.objects.exists()  # held back by the open objection
    lead.post(
        reverse("nominations:resolve", args=[objection.pk]),
        {"resolution": "dismissed", "reason": "经核实不属实。"},
    )
    assert lead.post(urls(nomination, notice)["notice_designate"]).status_code == 302
    designation = Designation.objects.active().get()
    nomination.refresh_from_db()
    assert nomination.designation == designation and nomination.status == "designated"

    models_page = client.get(reverse("stages:national_list")).content.decode()
    assert "司库体系建设" in models_page and "资金集中度提升至96%" in models_page


def test_an_upheld_objection_through_the_page(
    approved_report: Filing, world: World, client_for: Any, second_reviewer: User
) -> None:
    nomination, _notice = in_notice(approved_report, world, second_reviewer)
    lead: Client = client_for(world.sasac_lead_reviewer)
    lead.post(
        urls(nomination)["object"], {"text": "异议。", "received_on": local_today().isoformat()}
    )
    objection = Objection.objects.get()
    lead.post(
        reverse("nominations:resolve", args=[objection.pk]),
        {"resolution": "upheld", "reason": "属实。"},
    )
    nomination.refresh_from_db()
    assert nomination.status == "withdrawn"
    page = lead.get(urls(nomination)["detail"]).content.decode()
    assert 'data-status="withdrawn"' in page and 'data-testid="designate"' not in page


def test_the_enterprise_applies_and_follows_its_application(
    approved_report: Filing, world: World, client_for: Any
) -> None:
    lead: Client = client_for(world.lead)
    url = reverse("nominations:apply", args=[approved_report.pk])
    form = lead.get(url).content.decode()
    assert 'name="case_summary"' in form
    lead.post(url, {"kind": "model_enterprise", "industry": "C", "field": "efficiency"})
    assert not Nomination.objects.exists()  # no summary
    response = lead.post(
        url, {"kind": "model_enterprise", "industry": "C", "field": "governance",
              "case_summary": "三项制度改革全面落地。"}
    )  # fmt: skip
    nomination = Nomination.objects.get()
    assert (
        nomination.source == "application" and response["Location"] == nomination.get_absolute_url()
    )
    page = lead.get(nomination.get_absolute_url()).content.decode()
    assert "三项制度改革全面落地。" in page
    assert 'data-testid="scores"' not in page and 'data-testid="history"' not in page
    # The authority sees it in its list.
    listing = client_for(world.sasac_reviewer).get(
        reverse("nominations:authority_list", args=["SASAC"])
    )
    assert listing.content.decode().count('data-testid="nomination-row"') == 1


def test_the_authority_page_links_to_the_nominations(
    approved_report: Filing, world: World, client_for: Any
) -> None:
    nominate_model(approved_report, world)
    html = client_for(world.sasac_reviewer).get(f"/authorities/{world.sasac.code}/").content
    assert b'data-testid="authority-nominations"' in html
    assert reverse("nominations:authority_list", args=["SASAC"]).encode() in html


# --- Bounded -------------------------------------------------------------------------------


def more_reviewers(world: World, n: int, start: int) -> list[User]:
    users = []
    for i in range(start, start + n):
        user: User = UserFactory(email=f"r{i}@example.cn")
        membership_grant(user=user, role=Role.REVIEWER, authority=world.sasac)
        users.append(user)
    return users


def test_the_nomination_page_runs_constant_queries(
    approved_report: Filing, world: World, client_for: Any
) -> None:
    nomination = nominate_model(approved_report, world)
    for user in more_reviewers(world, 2, 0):
        services.nomination_score(nomination=nomination, score=80, actor=user)
    client: Client = client_for(world.sasac_lead_reviewer)
    url = nomination.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for user in more_reviewers(world, 12, 2):
        services.nomination_score(nomination=nomination, score=70, actor=user)
    with CaptureQueriesContext(connection) as large:
        html = client.get(url).content.decode()
    assert html.count('data-testid="score-row"') == 14
    assert len(small) == len(large)


def test_the_list_and_the_notice_run_constant_queries(
    approved_report: Filing, world: World, client_for: Any, client: Client
) -> None:
    lead: Client = client_for(world.sasac_lead_reviewer)
    notice = make_noticed(world, enterprises(world.sasac, 2))
    list_url = reverse("nominations:authority_list", args=["SASAC"])
    lead.get(list_url)
    lead.get(notice.get_absolute_url())
    with CaptureQueriesContext(connection) as small_list:
        lead.get(list_url)
    with CaptureQueriesContext(connection) as small_notice:
        lead.get(notice.get_absolute_url())
    notice = make_noticed(world, enterprises(world.sasac, 15), notice=notice)
    with CaptureQueriesContext(connection) as large_list:
        html = lead.get(list_url).content.decode()
    with CaptureQueriesContext(connection) as large_notice:
        notice_html = lead.get(notice.get_absolute_url()).content.decode()
    assert html.count('data-testid="nomination-row"') == 17
    assert notice_html.count('data-testid="notice-row"') == 17
    assert len(small_list) == len(large_list)
    assert len(small_notice) == len(large_notice)
