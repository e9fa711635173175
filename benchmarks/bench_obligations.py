"""Obligations for 5,000 enterprises × 6 deliverables: time and query count."""

import time

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from apps.enterprises.creditcode import make_credit_code
from apps.enterprises.models import Authority, Enterprise
from apps.timeline.campaigns import CAMPAIGN_2023, campaign_ensure
from apps.timeline.models import Campaign, Deliverable, Stage
from apps.timeline.obligations import filing_enterprises, obligations_for, status_counts

PREFIX = "96"  # credit codes of this benchmark's own enterprises
N = 5000


def run() -> list[str]:
    campaign = campaign_ensure(
        CAMPAIGN_2023, campaign_model=Campaign, stage_model=Stage, deliverable_model=Deliverable
    )
    deliverables = list(campaign.deliverables.select_related("campaign", "stage"))
    authority = Authority.objects.get(code="44")
    lines: list[str] = []
    with transaction.atomic():
        Enterprise.objects.filter(credit_code__startswith=PREFIX).delete()
        Enterprise.objects.bulk_create(
            Enterprise(
                credit_code=make_credit_code(f"{PREFIX}440000{i:09d}"),
                name_zh=f"基准企业{i:05d}",
                authority=authority,
                category="commercial_1",
                industry="C",
            )
            for i in range(N)
        )
        queryset = filing_enterprises(Enterprise.objects.filter(credit_code__startswith=PREFIX))
        for _attempt in range(2):  # the first run warms caches; report the second
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                obligations = obligations_for(queryset, deliverables=deliverables)
                counts = status_counts(obligations)
                elapsed = time.perf_counter() - started
        transaction.set_rollback(True)  # leave nothing behind
    lines.append(
        f"obligations_for: {N} enterprises x {len(deliverables)} deliverables = "
        f"{len(obligations)} obligations in {elapsed:.2f} s "
        f"({len(obligations) / elapsed:,.0f}/s), {len(ctx.captured_queries)} queries "
        f"(plus {len(counts)} deliverable counts computed in memory)"
    )
    return lines
