"""Model enterprises and benchmarking projects: the designation a nomination ends in (made
only through apps.nominations, see tests/nominations), revocable, audited; listed on the
report's page, the authority's page and the public list, grouped by industry."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User
from apps.audit.models import AuditEvent
from apps.enterprises.models import Role
from apps.enterprises.services import membership_grant
from apps.filings.models import Filing
from apps.filings.services import IllegalTransition, NotAllowed
from apps.nominations import services as nominations
from apps.stages.models import Designation
from apps.stages.services import designation_record, designation_revoke
from tests.conftest import World, visible_text, zh
from tests.factories import UserFactory
from tests.nominations.conftest import end_notice, in_notice
from tests.nominations.helpers import enterprises, make_designated

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_reviewer(world: World) -> User:
    user: User = UserFactory(email="sasac.reviewer2@example.cn")
    membership_grant(user=user, role=Role.REVIEWER, authority=world.sasac)
    return user


def designate_model(filing: Filing, world: World, second: User) -> Designation:
    """A model enterprise, through the whole nomination."""
    nomination, notice = in_notice(filing, world, second)
    end_notice(notice)
    return nominations.nomination_designate(nomination=nomination, actor=world.sasac_lead_reviewer)


# --- The designation record ------------------------------------------------------------------


def record(filing: Filing, actor: Any, **kw: Any) -> Designation:
    arguments = {"kind": "model_enterprise", "title": "示范企业", "nomination_id": 1, **kw}
    return designation_record(filing=filing, actor=actor, **arguments)


def test_the_record_checks_the_naming_right_again(approved_report: Filing, world: World) -> None:
    for who in ("sasac_reviewer", "bj_reviewer", "lead", "other_lead", "admin"):
        with pytest.raises(NotAllowed):
            record(approved_report, getattr(world, who))
    with pytest.raises(ValidationError):
        record(approved_report, world.sasac_lead_reviewer, kind="benchmark_project", case_id="x")
    made = record(approved_report, world.sasac_lead_reviewer)
    assert (made.title, made.case_id, made.is_active) == ("示范企业", "", True)
    with pytest.raises(IllegalTransition):  # one in force at a time
        record(approved_report, world.sasac_lead_reviewer)


def test_not_before_the_report_is_filed(submitted_report: Filing, world: World) -> None:
    with pytest.raises(IllegalTransition):
        record(submitted_report, world.sasac_lead_reviewer)


def test_revoke(approved_report: Filing, world: World, second_reviewer: User) -> None:
    model = designate_model(approved_report, world, second_reviewer)
    for who in ("sasac_reviewer", "bj_reviewer", "lead", "other_lead", "admin"):
        with pytest.raises(NotAllowed):
            designation_revoke(designation=model, actor=getattr(world, who))
    revoked = designation_revoke(designation=model, actor=world.sasac_lead_reviewer)
    assert revoked.revoked_at is not None and revoked.revoked_by == world.sasac_lead_reviewer
    assert not Designation.objects.active().exists()
    assert AuditEvent.objects.filter(action="stages.revoke").count() == 1


# --- Through the pages -----------------------------------------------------------------------


def test_the_report_page_lists_and_revokes(
    approved_report: Filing, world: World, client_for: Any, second_reviewer: User
) -> None:
    model = designate_model(approved_report, world, second_reviewer)
    client: Client = client_for(world.sasac_lead_reviewer)
    page = client.get(approved_report.get_absolute_url()).content.decode()
    assert 'data-testid="designations"' in page and f'data-testid="revoke-{model.pk}"' in page
    assert "/stages/designate/" not in page  # no one-click naming any more
    assert client.post(f"/filings/{approved_report.pk}/stages/designate/").status_code == 404
    assert client.post(f"/designations/{model.pk}/revoke/").status_code == 302
    model.refresh_from_db()
    assert model.revoked_at is not None


@pytest.mark.parametrize(
    "who", ["sasac_reviewer", "lead", "editor", "other_lead", "bj_reviewer", "gd_reviewer"]
)
def test_outsiders_cannot_revoke(
    approved_report: Filing, world: World, client_for: Any, second_reviewer: User, who: str
) -> None:
    model = designate_model(approved_report, world, second_reviewer)
    client: Client = client_for(getattr(world, who))
    assert client.post(f"/designations/{model.pk}/revoke/").status_code == 404
    model.refresh_from_db()
    assert model.is_active


def test_the_enterprise_sees_its_designations(
    approved_report: Filing, world: World, client_for: Any, second_reviewer: User
) -> None:
    designate_model(approved_report, world, second_reviewer)
    page = client_for(world.lead).get(approved_report.get_absolute_url()).content.decode()
    assert 'data-testid="designations"' in page
    assert 'data-testid="revoke-' not in page and "stages/score" not in page


def test_authority_page_lists_its_own(
    approved_report: Filing, world: World, client_for: Any, second_reviewer: User
) -> None:
    designate_model(approved_report, world, second_reviewer)
    page = client_for(world.sasac_reviewer).get(f"/authorities/{world.sasac.code}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="authority-designations"' in html and world.central.name_zh in html
    other = client_for(world.bj_reviewer).get(f"/authorities/{world.beijing.code}/").content
    assert world.central.name_zh not in other.decode()


# --- The public list -------------------------------------------------------------------------


def test_the_public_list_is_grouped_by_industry_and_field(
    approved_report: Filing, world: World, client: Client, second_reviewer: User
) -> None:
    model = designate_model(approved_report, world, second_reviewer)  # industry C, efficiency
    [power] = enterprises(world.beijing, name_zh="北京测试电力有限公司", industry="D")
    make_designated(
        world, [power], industry="D", field="shared_value", summary="绿色低碳转型成效显著。"
    )
    make_designated(
        world, enterprises(world.beijing, name_zh="北京测试制造有限公司"),
        industry="C", field="innovation",
    )  # fmt: skip
    # Anyone, without signing in.
    response = client.get("/models/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="designation-row"') == 3
    # Industry C first (two entries: efficiency, then innovation), then D.
    assert html.index('data-industry="C"') < html.index('data-industry="D"')
    assert html.index('data-field="efficiency"') < html.index('data-field="innovation"')
    assert html.index('data-field="innovation"') < html.index('data-field="shared_value"')
    headings = html.split('data-testid="industry-heading"')[1:]
    assert [h.split(">", 1)[1].split("<", 1)[0] for h in headings] == [
        zh("C Manufacturing"),
        zh("D Electricity, heat, gas and water production and supply"),
    ]
    text = visible_text(html)
    assert world.central.name_zh in text and "北京测试电力有限公司" in text
    assert "绿色低碳转型成效显著。" in text  # approved for publication
    assert str(model.year) in text
    assert world.sasac.name_zh in text
    # Names and published summaries only: nothing of the filing, no link to it.
    assert "核心业务系统全部上云" not in html and f"/filings/{approved_report.pk}/" not in html
    filtered = client.get("/models/?industry=D").content.decode()
    assert (
        filtered.count('data-testid="designation-row"') == 1 and "北京测试电力有限公司" in filtered
    )
    models_only = client.get("/models/?kind=model_enterprise").content.decode()
    assert models_only.count('data-testid="designation-row"') == 1
    designation_revoke(designation=model, actor=world.sasac_lead_reviewer)
    assert (
        client.get("/models/?kind=model_enterprise")
        .content.decode()
        .count('data-testid="designation-row"')
        == 0
    )


def test_an_unpublished_summary_stays_off_the_list(
    approved_report: Filing, world: World, client: Client
) -> None:
    [enterprise] = enterprises(world.beijing)
    [designation] = make_designated(world, [enterprise], industry="C", field="innovation")
    nomination = designation.nomination
    nomination.case_summary = "内部材料，不公开。"
    nomination.save(update_fields=["case_summary"])
    html = client.get("/models/").content.decode()
    assert "内部材料" not in html and enterprise.name_zh in html


def test_the_public_list_pages(approved_report: Filing, world: World, client: Client) -> None:
    make_designated(
        world, enterprises(world.beijing, 55),
        industry="C", field="innovation",
    )  # fmt: skip
    first = client.get("/models/").content.decode()
    assert first.count('data-testid="designation-row"') == 50
    assert 'data-testid="next-page"' in first
    after = first.split('data-testid="next-page"')[0].rsplit("after=", 1)[1].split('"')[0]
    second = client.get(f"/models/?after={after}").content.decode()
    assert second.count('data-testid="designation-row"') == 5
    # The industry heading is repeated on the page where its group continues.
    assert 'data-industry="C"' in second


def test_the_public_list_runs_constant_queries(
    approved_report: Filing, world: World, client: Client
) -> None:
    make_designated(world, enterprises(world.beijing), industry="C", field="innovation")
    make_designated(
        world,
        enterprises(world.sasac),
        industry="D",
        field="governance",
        summary="摘要。",
    )
    client.get("/models/")
    with CaptureQueriesContext(connection) as small:
        client.get("/models/")
    for industry, field in (("A", "efficiency"), ("C", "governance"), ("J", "innovation")):
        make_designated(
            world, enterprises(world.beijing, 10),
            industry=industry, field=field, summary="摘要。",
        )  # fmt: skip
    with CaptureQueriesContext(connection) as large:
        response = client.get("/models/")
    assert response.content.decode().count('data-testid="designation-row"') == 32
    assert len(small) == len(large)


def test_the_public_list_signed_in_too(
    approved_report: Filing, world: World, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    make_designated(world, enterprises(world.beijing, 3),
                    industry="C", field="innovation")  # fmt: skip
    client: Client = client_for(world.bj_lead)
    client.get("/models/")
    with django_assert_max_num_queries(12):
        assert client.get("/models/").status_code == 200
    make_designated(world, enterprises(world.beijing, 30),
                    industry="E", field="innovation")  # fmt: skip
    with django_assert_max_num_queries(12):
        html = client.get("/models/").content.decode()
    assert html.count('data-testid="designation-row"') == 33


def test_authority_page_runs_constant_queries(
    approved_report: Filing, world: World, client_for: Any
) -> None:
    client: Client = client_for(world.bj_reviewer)
    make_designated(world, enterprises(world.beijing, 2),
                    industry="C", field="innovation")  # fmt: skip
    url = f"/authorities/{world.beijing.code}/"
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    make_designated(world, enterprises(world.beijing, 20),
                    industry="C", field="innovation")  # fmt: skip
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(small) == len(large)
