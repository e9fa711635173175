"""Bulk data for benchmarks: thousands of enterprises and tens of thousands of filings,
written in batches (bulk_create), idempotent (only what is missing is added).

Never loaded by production settings, like the demo data.
"""

import datetime as dt
import math
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.demo.submission import attach_decision_record, demo_submission
from apps.enterprises.authorities import authorities_ensure
from apps.enterprises.creditcode import make_credit_code
from apps.enterprises.models import Authority, Enterprise, FunctionalCategory, Role
from apps.enterprises.services import membership_grant
from apps.filings.models import Filing, FilingVersion, canonical_json, sha256_hex
from apps.filings.services import (
    build_snapshot,
    filing_start,
    filing_transition,
)
from apps.filings.workflow import State
from apps.plans.demo import demo_plan_content, plan_fill
from apps.reviews.services import decision_make
from apps.timeline.campaigns import NOTICE_79, campaign_ensure
from apps.timeline.models import Campaign, Deliverable, Stage
from apps.timeline.selectors import forget_active_deliverables

PREFIX = "97"
AUTHORITY_MIX = ["SASAC", "11", "44", "4403", "31", "32", "33", "37", "42", "51"]
CATEGORIES = [c.value for c in FunctionalCategory]
INDUSTRIES = "ABCDEFGIJKLMN"
STATES = [State.APPROVED, State.SUBMITTED, State.UNDER_REVIEW, State.RETURNED, State.DRAFT]
BENCH_LEAD = "bench.lead@example.cn"
BENCH_REVIEWER = "bench.reviewer@example.cn"
BATCH = 1000


def bench_code(i: int) -> str:
    return make_credit_code(f"{PREFIX}{110000 + i % 800000:06d}{i:09d}")


def _campaign(j: int) -> Deliverable:
    year = 2026 + j
    campaign = campaign_ensure(
        {
            "code": f"BENCH{j + 1}",
            "name_zh": f"基准测试批次{j + 1}",
            "name_en": f"Benchmark campaign {j + 1}",
            "notice": NOTICE_79,
            "stages": {
                "deployment": (dt.date(year, 1, 1), dt.date(year, 3, 31)),
                "implementation": (dt.date(year, 4, 1), dt.date(year + 1, 12, 31)),
                "assessment": (dt.date(year + 2, 1, 1), dt.date(year + 2, 3, 31)),
            },
            "deliverables": [
                ("deployment", "plan", "价值创造行动实施方案", "Implementation plan", dt.date(year, 3, 31)),
            ],
        },
        campaign_model=Campaign, stage_model=Stage, deliverable_model=Deliverable,
    )  # fmt: skip
    # One campaign runs at a time, as in real life; the earlier ones hold history.
    Campaign.objects.filter(pk=campaign.pk).update(is_active=j == 0)
    return campaign.deliverables.select_related("campaign").get(kind="plan")


def _enterprises(n: int) -> list[Enterprise]:
    authorities = {a.code: a for a in Authority.objects.all()}
    existing = set(
        Enterprise.objects.filter(credit_code__startswith=PREFIX).values_list(
            "credit_code", flat=True
        )
    )
    missing = [
        Enterprise(
            credit_code=bench_code(i),
            name_zh=f"基准企业{i:05d}集团有限公司",
            name_en=f"Benchmark Group {i:05d} Co., Ltd.",
            authority=authorities[AUTHORITY_MIX[i % len(AUTHORITY_MIX)]],
            category=CATEGORIES[i % len(CATEGORIES)],
            industry=INDUSTRIES[i % len(INDUSTRIES)],
        )
        for i in range(n)
        if bench_code(i) not in existing
    ]
    Enterprise.objects.bulk_create(missing, batch_size=BATCH)
    codes = [bench_code(i) for i in range(n)]
    by_code = {
        e.credit_code: e
        for e in Enterprise.objects.filter(credit_code__in=codes).select_related("authority")
    }
    return [by_code[c] for c in codes]


def _bulk_filings(enterprises: list[Enterprise], deliverable: Deliverable, user: User) -> int:
    """One plan filing per enterprise for ``deliverable``, in a spread of states."""
    done = set(
        Filing.objects.filter(deliverable=deliverable).values_list("enterprise_id", flat=True)
    )
    todo = [e for e in enterprises if e.pk not in done]
    if not todo:
        return 0
    template = Filing(enterprise=todo[0], deliverable=deliverable, kind="plan")
    content = demo_plan_content(template, seed=deliverable.pk)
    now = timezone.now()
    for start in range(0, len(todo), BATCH):
        chunk = todo[start : start + BATCH]
        with transaction.atomic():
            filings = Filing.objects.bulk_create(
                [
                    Filing(enterprise=e, deliverable=deliverable, kind="plan",
                           state=STATES[e.pk % len(STATES)])
                    for e in chunk
                ]
            )  # fmt: skip
            versions = []
            for filing in filings:
                frozen = FilingVersion(filing=filing, number=1, content=content, created_by=user,
                                       submitted_by=user, submitted_at=now)  # fmt: skip
                if filing.state != State.DRAFT:
                    frozen.snapshot = canonical_json(build_snapshot(filing, frozen))
                    frozen.sha256 = sha256_hex(frozen.snapshot)
                    versions.append(frozen)
                if filing.state in (State.DRAFT, State.RETURNED):
                    number = 2 if filing.state == State.RETURNED else 1
                    versions.append(FilingVersion(filing=filing, number=number, content=content,
                                                  created_by=user))  # fmt: skip
            FilingVersion.objects.bulk_create(versions)
            by_filing: dict[int, list[FilingVersion]] = {}
            for version in versions:
                by_filing.setdefault(version.filing_id, []).append(version)
            for filing in filings:
                mine = by_filing[filing.pk]
                frozen_v = next((v for v in mine if v.submitted_at), None)
                open_v = next((v for v in mine if not v.submitted_at), None)
                filing.draft = open_v
                filing.latest_submitted = frozen_v
                filing.approved_version = frozen_v if filing.state == State.APPROVED else None
                filing.first_submitted_at = filing.submitted_at = now if frozen_v else None
            Filing.objects.bulk_update(
                filings,
                [
                    "draft",
                    "latest_submitted",
                    "approved_version",
                    "first_submitted_at",
                    "submitted_at",
                ],
            )
    return len(todo)


def _showcase(
    enterprise: Enterprise, deliverable: Deliverable, lead: User, reviewer: User
) -> Filing:
    """The bench lead's own filing, made through the services: three versions, returned
    twice, so the plan page and the comparison have real work to do."""
    existing = Filing.objects.filter(enterprise=enterprise, deliverable=deliverable).first()
    if existing is not None:
        return existing
    filing = filing_start(enterprise=enterprise, deliverable=deliverable, actor=lead)
    for round_ in range(3):
        content = demo_plan_content(filing, seed=round_, note=f"第{round_ + 1}轮修改")
        plan_fill(filing=filing, content=content, actor=lead)
        attach_decision_record(filing, lead)
        filing = filing_transition(
            filing=filing, action="submit", actor=lead, submission=demo_submission(filing)
        )
        filing = filing_transition(filing=filing, action="start_review", actor=reviewer)
        # Decisions go through the review, as in the product: recorded and numbered.
        outcome = "approve" if round_ == 2 else "return"
        decision_make(filing=filing, outcome=outcome, reasons="请完善", actor=reviewer)
        filing.refresh_from_db()
    return filing


def seed_bench(*, enterprises: int = 5000, filings: int = 20000) -> dict[str, Any]:
    if not getattr(settings, "DEMO_DATA_ALLOWED", False):
        raise ImproperlyConfigured("Benchmark data is never loaded under production settings.")
    authorities_ensure(Authority)
    Campaign.objects.filter(code="VC2023").update(is_active=False)  # over by now
    members = _enterprises(enterprises)
    lead, _ = User.objects.get_or_create(email=BENCH_LEAD, defaults={"full_name": "基准企业负责人"})
    reviewer, _ = User.objects.get_or_create(
        email=BENCH_REVIEWER, defaults={"full_name": "基准审核负责人"}
    )
    membership_grant(user=lead, role=Role.LEAD, enterprise=members[0])
    membership_grant(user=reviewer, role=Role.LEAD_REVIEWER, authority=members[0].authority)
    campaigns = max(1, math.ceil(filings / max(enterprises, 1)))
    created = 0
    showcase = None
    for j in range(campaigns):
        deliverable = _campaign(j)
        if j == 0:
            showcase = _showcase(members[0], deliverable, lead, reviewer)
        quota = min(enterprises, filings - j * enterprises)
        created += _bulk_filings(members[:quota], deliverable, lead)
    forget_active_deliverables()
    return {
        "enterprises": len(members),
        "filings": Filing.objects.filter(enterprise__credit_code__startswith=PREFIX).count(),
        "created": created,
        "showcase": showcase.pk if showcase else None,
        "lead": lead.email,
    }
