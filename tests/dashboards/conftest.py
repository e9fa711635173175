"""Data for the dashboards: a campaign dated around today, filings in every state made as
rows (a stage summary kind may not be registered), and indicator results."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.enterprises.models import Authority, Enterprise
from apps.filings.models import Filing, FilingVersion, canonical_json, sha256_hex
from apps.filings.workflow import State
from apps.stages.models import IndicatorResult
from apps.timeline.campaigns import campaign_ensure, demo_campaign
from apps.timeline.models import (
    AuthorityDeadline,
    Campaign,
    Deliverable,
    Extension,
    Stage,
    local_today,
)
from apps.timeline.selectors import forget_active_deliverables
from tests.conftest import World
from tests.factories import EnterpriseFactory


@dataclass
class Dash:
    campaign: Campaign
    plan: Deliverable  # due 140 days ago
    s1: Deliverable  # stage summary due 10 days ago
    s2: Deliverable  # stage summary due in 4 days
    s3: Deliverable  # due in 100 days
    assessment: Deliverable


@pytest.fixture
def dash(world: World) -> Dash:
    return make_dash()


def make_dash() -> Dash:
    """The demo campaign relative to today (the only active one): its plan and first stage
    summary are past due, the others ahead."""
    Campaign.objects.filter(code="VC2023").update(is_active=False)
    campaign = campaign_ensure(
        demo_campaign(local_today()),
        campaign_model=Campaign,
        stage_model=Stage,
        deliverable_model=Deliverable,
    )
    forget_active_deliverables()
    plan, s1, s2, s3, assessment = list(campaign.deliverables.order_by("due_on"))
    return Dash(campaign, plan, s1, s2, s3, assessment)


def make_filing(
    enterprise: Enterprise,
    deliverable: Deliverable,
    state: str,
    *,
    user: User,
    content: dict[str, Any] | None = None,
    versions: int = 1,
) -> Filing:
    """A filing in ``state`` as the workflow leaves it: a draft has only an open version; any
    other state has ``versions`` frozen versions (the last is the latest submitted);
    "approved" has it in force."""
    content = content if content is not None else {"note": {"text": "内容"}}
    filing = Filing.objects.create(
        enterprise=enterprise, deliverable=deliverable, kind=deliverable.kind, state=state
    )
    if state == State.DRAFT:
        filing.draft = FilingVersion.objects.create(
            filing=filing, number=1, content=content, created_by=user
        )
        filing.save(update_fields=["draft"])
        return filing
    now = timezone.now()
    latest = None
    for number in range(1, versions + 1):
        snapshot = canonical_json({"n": number, "content": content})
        latest = FilingVersion.objects.create(
            filing=filing, number=number, content=content, created_by=user,
            submitted_by=user, submitted_at=now, snapshot=snapshot, sha256=sha256_hex(snapshot),
        )  # fmt: skip
    filing.latest_submitted = latest
    filing.first_submitted_at = filing.submitted_at = now
    if state == State.APPROVED:
        filing.approved_version = latest
    if state == State.RETURNED:
        filing.draft = FilingVersion.objects.create(
            filing=filing, number=versions + 1, content=content, created_by=user
        )
    filing.save()
    return filing


def add_result(
    filing: Filing,
    code: str,
    on_track: bool | None,
    *,
    version: FilingVersion | None = None,
    year: int = 2026,
    actual: str | None = "1",
    core: bool = True,
    target: str | None = None,
) -> IndicatorResult:
    version = version or filing.latest_submitted
    assert version is not None
    return IndicatorResult.objects.create(
        version=version,
        filing=filing,
        enterprise=filing.enterprise,
        authority_id=filing.enterprise.authority_id,
        deliverable=filing.deliverable,
        year=year,
        code=code,
        core=core,
        name_zh="自定义指标" if not core else "",
        actual=Decimal(actual) if actual is not None else None,
        target=Decimal(target) if target is not None else None,
        on_track=on_track,
    )


def enterprises(authority: Authority, n: int, **kw: Any) -> list[Enterprise]:
    return [EnterpriseFactory(authority=authority, **kw) for _ in range(n)]


def today() -> dt.date:
    return local_today()


def extend(enterprise: Enterprise, deliverable: Deliverable, days: int, *, by: User) -> Extension:
    """An extension to ``days`` from today (negative: already run out)."""
    return Extension.objects.create(
        deliverable=deliverable, enterprise=enterprise, reason="理由",
        due_on=today() + dt.timedelta(days=days), granted_by=by,
    )  # fmt: skip


def local_deadline(
    authority: Authority, deliverable: Deliverable, days: int, *, by: User
) -> AuthorityDeadline:
    return AuthorityDeadline.objects.create(
        deliverable=deliverable, authority=authority,
        due_on=today() + dt.timedelta(days=days), set_by=by,
    )  # fmt: skip
