"""Model enterprises and benchmarking projects: named by the lead reviewer after approval,
revocable, audited; listed on the authority's page and on the national list."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.audit.models import AuditEvent
from apps.enterprises.models import Enterprise
from apps.filings.models import Filing
from apps.filings.services import IllegalTransition, NotAllowed
from apps.stages.models import Designation
from apps.stages.services import designation_name, designation_revoke
from tests.conftest import World
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def name_model(filing: Filing, world: World) -> Designation:
    return designation_name(filing=filing, kind="model_enterprise", actor=world.sasac_lead_reviewer)


def test_name_a_model_enterprise_and_a_case(approved_report: Filing, world: World) -> None:
    model = name_model(approved_report, world)
    assert (model.enterprise, model.authority, model.case_id) == (
        world.central,
        world.sasac,
        "",
    )
    assert model.title == world.central.name_zh and model.is_active
    case = designation_name(
        filing=approved_report,
        kind="benchmark_project",
        case_id="case2",
        actor=world.sasac_lead_reviewer,
    )
    assert case.title == "数字化转型平台"
    assert name_model(approved_report, world).pk == model.pk  # naming twice: the same one
    assert Designation.objects.active().count() == 2
    assert AuditEvent.objects.filter(action="stages.designate").count() == 2


def test_revoke_and_name_again(approved_report: Filing, world: World) -> None:
    model = name_model(approved_report, world)
    revoked = designation_revoke(designation=model, actor=world.sasac_lead_reviewer)
    assert revoked.revoked_at is not None and revoked.revoked_by == world.sasac_lead_reviewer
    assert not Designation.objects.active().exists()
    assert AuditEvent.objects.filter(action="stages.revoke").count() == 1
    again = name_model(approved_report, world)
    assert again.pk != model.pk


def test_not_before_approval(submitted_report: Filing, world: World) -> None:
    with pytest.raises(IllegalTransition):
        name_model(submitted_report, world)


def test_an_unknown_case_is_refused(approved_report: Filing, world: World) -> None:
    with pytest.raises(ValidationError):
        designation_name(
            filing=approved_report,
            kind="benchmark_project",
            case_id="nope",
            actor=world.sasac_lead_reviewer,
        )
    assert not Designation.objects.exists()


@pytest.mark.parametrize("who", ["sasac_reviewer", "bj_reviewer", "lead", "other_lead", "admin"])
def test_only_the_lead_reviewer_names_and_revokes(
    approved_report: Filing, world: World, who: str
) -> None:
    with pytest.raises(NotAllowed):
        designation_name(filing=approved_report, kind="model_enterprise", actor=getattr(world, who))
    model = name_model(approved_report, world)
    with pytest.raises(NotAllowed):
        designation_revoke(designation=model, actor=getattr(world, who))


# --- Through the pages ---------------------------------------------------------------------


def test_lead_reviewer_names_through_the_panel(
    approved_report: Filing, world: World, client_for: Any
) -> None:
    client: Client = client_for(world.sasac_lead_reviewer)
    page = client.get(f"/filings/{approved_report.pk}/").content.decode()
    assert 'data-testid="name-model-form"' in page and 'data-testid="name-case-form"' in page
    url = f"/filings/{approved_report.pk}/stages/designate/"
    client.post(url, {"kind": "model_enterprise"})  # without the confirmation
    assert not Designation.objects.exists()
    assert client.post(url, {"kind": "model_enterprise", "confirm": "yes"}).status_code == 302
    client.post(url, {"kind": "benchmark_project", "case_id": "case1", "confirm": "yes"})
    assert Designation.objects.active().count() == 2
    page = client.get(f"/filings/{approved_report.pk}/").content.decode()
    assert 'data-testid="designations"' in page and "司库体系建设" in page
    case = Designation.objects.get(case_id="case1")
    assert client.post(f"/designations/{case.pk}/revoke/").status_code == 302
    case.refresh_from_db()
    assert case.revoked_at is not None


@pytest.mark.parametrize(
    "who", ["sasac_reviewer", "lead", "editor", "other_lead", "bj_reviewer", "gd_reviewer"]
)
def test_outsiders_get_404(
    approved_report: Filing, world: World, client_for: Any, who: str
) -> None:
    model = name_model(approved_report, world)
    client: Client = client_for(getattr(world, who))
    response = client.post(
        f"/filings/{approved_report.pk}/stages/designate/",
        {"kind": "benchmark_project", "case_id": "case1", "confirm": "yes"},
    )
    assert response.status_code == 404
    assert client.post(f"/designations/{model.pk}/revoke/").status_code == 404
    model.refresh_from_db()
    assert model.is_active and Designation.objects.count() == 1


def test_enterprise_sees_its_designations(
    approved_report: Filing, world: World, client_for: Any
) -> None:
    name_model(approved_report, world)
    page = client_for(world.lead).get(f"/filings/{approved_report.pk}/").content.decode()
    assert 'data-testid="designations"' in page
    assert 'data-testid="name-model-form"' not in page and "stages/score" not in page


def test_authority_page_lists_its_own(
    approved_report: Filing, world: World, client_for: Any
) -> None:
    name_model(approved_report, world)
    page = client_for(world.sasac_reviewer).get(f"/authorities/{world.sasac.code}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="authority-designations"' in html and world.central.name_zh in html
    other = client_for(world.bj_reviewer).get(f"/authorities/{world.beijing.code}/").content
    assert world.central.name_zh not in other.decode()


def make_designations(world: World, n: int) -> None:
    start = Designation.objects.count()
    for i in range(start, start + n):
        enterprise: Enterprise = EnterpriseFactory(authority=world.beijing)
        Designation.objects.create(
            kind="benchmark_project",
            enterprise=enterprise,
            authority=world.beijing,
            case_id=f"c{i}",
            title=f"项目{i}",
            year=2027,
            named_by=world.admin,
            filing=Filing.objects.first(),  # the list never reads the filing
        )


def test_national_list(approved_report: Filing, world: World, client_for: Any) -> None:
    name_model(approved_report, world)
    designation_name(
        filing=approved_report,
        kind="benchmark_project",
        case_id="case2",
        actor=world.sasac_lead_reviewer,
    )
    # Any signed-in user, of any authority or enterprise.
    client: Client = client_for(world.bj_lead)
    response = client.get("/models/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('data-testid="designation-row"') == 2
    assert world.central.name_zh in html and "数字化转型平台" in html
    assert world.sasac.name_zh in html or world.sasac.name_en in html
    # Names and titles only: nothing of the filing's content, no link to it.
    assert "核心业务系统全部上云" not in html and f"/filings/{approved_report.pk}/" not in html
    filtered = client.get("/models/?kind=model_enterprise").content.decode()
    assert filtered.count('data-testid="designation-row"') == 1


def test_national_list_needs_a_login(client: Client) -> None:
    response = client.get("/models/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_national_list_runs_constant_queries(
    approved_report: Filing, world: World, client_for: Any
) -> None:
    client: Client = client_for(world.bj_lead)
    make_designations(world, 2)
    client.get("/models/")
    with CaptureQueriesContext(connection) as small:
        client.get("/models/")
    make_designations(world, 30)
    with CaptureQueriesContext(connection) as large:
        response = client.get("/models/")
    assert response.content.decode().count('data-testid="designation-row"') == 32
    assert len(small) == len(large)


def test_authority_page_runs_constant_queries(
    approved_report: Filing, world: World, client_for: Any
) -> None:
    client: Client = client_for(world.bj_reviewer)
    make_designations(world, 2)
    url = f"/authorities/{world.beijing.code}/"
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    make_designations(world, 20)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(small) == len(large)


def test_report_page_runs_constant_queries(
    approved_report: Filing, world: World, client_for: Any
) -> None:
    client: Client = client_for(world.sasac_lead_reviewer)
    url = f"/filings/{approved_report.pk}/"
    name_model(approved_report, world)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for case_id in ("case1", "case2"):
        designation_name(
            filing=approved_report,
            kind="benchmark_project",
            case_id=case_id,
            actor=world.sasac_lead_reviewer,
        )
    with CaptureQueriesContext(connection) as large:
        html = client.get(url).content.decode()
    assert html.count('data-testid="revoke-') == 3
    assert len(small) == len(large)
