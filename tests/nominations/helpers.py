"""Rows at scale for the query-count tests, written directly (the pages under test only read
them; the steps themselves are tested through the services)."""

import datetime as dt
from itertools import count
from typing import Any

from apps.enterprises.models import Authority, Enterprise
from apps.filings.models import Filing
from apps.nominations.models import Nomination, PublicNotice
from apps.stages.models import Designation
from apps.timeline.models import local_today
from tests.conftest import World
from tests.factories import EnterpriseFactory

_case = count(1)


def enterprises(authority: Authority, n: int = 1, **fields: Any) -> list[Enterprise]:
    made: list[Enterprise] = [EnterpriseFactory(authority=authority, **fields) for _ in range(n)]
    return made


def make_noticed(
    world: World, enterprises: list[Enterprise], notice: PublicNotice | None = None
) -> PublicNotice:
    """Benchmarking-project proposals of SASAC, one per enterprise, listed in a running
    notice (a new one unless given)."""
    today = local_today()
    if notice is None:
        notice = PublicNotice.objects.create(
            authority=world.sasac,
            title="公示",
            starts_on=today,
            ends_on=today + dt.timedelta(days=5),
            published_by=world.sasac_lead_reviewer,
        )
    filing = Filing.objects.first()  # the pages never read a nomination's filing
    assert filing is not None
    for enterprise in enterprises:
        n = next(_case)
        Nomination.objects.create(
            kind="benchmark_project",
            enterprise=enterprise,
            authority=world.sasac,
            filing=filing,
            case_id=f"c{n}",
            title=f"项目{n}",
            industry="C",
            field="innovation",
            case_summary=f"摘要{n}",
            publish_summary=n % 2 == 0,
            source="authority",
            status="in_notice",
            notice=notice,
            created_by=world.sasac_reviewer,
        )
    return notice


def make_designated(
    world: World, enterprises: list[Enterprise], *, industry: str, field: str, summary: str = ""
) -> list[Designation]:
    """Designations that came through a nomination, with its industry, field and (approved
    for publication when given) summary."""
    filing = Filing.objects.first()
    assert filing is not None
    notice = PublicNotice.objects.create(
        authority=enterprises[0].authority,
        title="公示",
        starts_on=local_today() - dt.timedelta(days=10),
        ends_on=local_today() - dt.timedelta(days=1),
        published_by=world.admin,
    )
    made = []
    for enterprise in enterprises:
        n = next(_case)
        designation = Designation.objects.create(
            kind="benchmark_project",
            enterprise=enterprise,
            authority=enterprise.authority,
            filing=filing,
            case_id=f"c{n}",
            title=f"项目{n}",
            year=2027,
            named_by=world.admin,
        )
        Nomination.objects.create(
            kind="benchmark_project",
            enterprise=enterprise,
            authority=enterprise.authority,
            filing=filing,
            case_id=f"c{n}",
            title=f"项目{n}",
            industry=industry,
            field=field,
            case_summary=summary,
            publish_summary=bool(summary),
            source="authority",
            status="designated",
            notice=notice,
            designation=designation,
            created_by=world.admin,
        )
        made.append(designation)
    return made
