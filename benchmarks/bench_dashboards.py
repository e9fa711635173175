"""The authority dashboard and the national overview under load, as ratios to the trivial
view, on seed_bench's 5,000 enterprises and 20,000 filings plus a stage summary with
indicator results for every enterprise whose plan is approved (about 1,000 filings and
9,000 results, added here once if the bench database has no results yet)."""

import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.demo.bench import BATCH, BENCH_REVIEWER, PREFIX, seed_bench
from apps.filings.models import Filing, FilingVersion, canonical_json, sha256_hex
from apps.filings.workflow import State
from apps.plans.constants import INDICATORS
from apps.stages.models import IndicatorResult
from apps.timeline.models import Campaign, Deliverable, StageKind
from apps.timeline.selectors import forget_active_deliverables
from benchmarks.bench_pages import TRIVIAL, verified_client
from benchmarks.db import settle

SUMMARY_TITLE = "基准测试阶段性总结"
SUMMARY_STATES = [State.SUBMITTED, State.UNDER_REVIEW, State.APPROVED, State.APPROVED]


def _summary_deliverable() -> Deliverable:
    """A stage summary in the running bench campaign (BENCH1), made once."""
    campaign = Campaign.objects.get(code="BENCH1")
    stage = campaign.stages.get(kind=StageKind.IMPLEMENTATION)
    deliverable, created = Deliverable.objects.get_or_create(
        campaign=campaign,
        title_zh=SUMMARY_TITLE,
        defaults={
            "stage": stage,
            "kind": "stage_summary",
            "title_en": "Benchmark stage summary",
            "due_on": stage.starts_on.replace(month=7, day=31),
        },
    )
    if created:
        forget_active_deliverables()
    return deliverable


def _results_for(plan_content: dict[str, Any], rng: random.Random) -> list[dict[str, Any]]:
    """The summary's indicator rows: the plan's, with an actual near the first year's
    target, and a verdict."""
    rows = []
    for row in (plan_content.get(INDICATORS) or {}).get("rows") or []:
        targets = row.get("targets") or {}
        year = min(targets, key=int) if targets else "2026"
        target = Decimal(targets.get(year) or row.get("baseline") or "1")
        actual = (target * Decimal(rng.randint(85, 112)) / 100).quantize(Decimal("0.01"))
        on_track = actual <= target if row.get("direction") == "lower" else actual >= target
        rows.append({**row, "year": int(year), "target": target, "actual": actual,
                     "on_track": on_track})  # fmt: skip
    return rows


def ensure_indicator_results() -> int:
    """Stage summaries with results for the bench enterprises whose plan is approved;
    idempotent: only enterprises without one are added. Returns how many were added."""
    if IndicatorResult.objects.filter(enterprise__credit_code__startswith=PREFIX).exists():
        return 0
    deliverable = _summary_deliverable()
    plan = Deliverable.objects.get(campaign=deliverable.campaign, kind="plan")
    done = set(
        Filing.objects.filter(deliverable=deliverable).values_list("enterprise_id", flat=True)
    )
    plans = [
        p
        for p in Filing.objects.filter(
            deliverable=plan,
            approved_version__isnull=False,
            enterprise__credit_code__startswith=PREFIX,
        ).select_related("approved_version", "enterprise")
        if p.enterprise_id not in done
    ]
    user = User.objects.get(email=BENCH_REVIEWER)
    rng = random.Random(79)  # bench figures, not secrets
    now = timezone.now()
    added = 0
    for start in range(0, len(plans), BATCH):
        chunk = plans[start : start + BATCH]
        with transaction.atomic():
            filings = Filing.objects.bulk_create(
                [
                    Filing(enterprise=p.enterprise, deliverable=deliverable, kind="stage_summary",
                           state=SUMMARY_STATES[i % len(SUMMARY_STATES)], first_submitted_at=now,
                           submitted_at=now)
                    for i, p in enumerate(chunk)
                ]
            )  # fmt: skip
            rows_by_filing = {}
            versions = []
            for filing, p in zip(filings, chunk, strict=True):
                assert p.approved_version is not None
                rows = _results_for(p.approved_version.content, rng)
                rows_by_filing[filing.pk] = rows
                content = {
                    INDICATORS: {
                        "year": rows[0]["year"] if rows else 2026,
                        "rows": [{**r, "target": str(r["target"]), "actual": str(r["actual"])}
                                 for r in rows],
                    }
                }  # fmt: skip
                snapshot = canonical_json({"kind": "stage_summary", "content": content})
                versions.append(
                    FilingVersion(filing=filing, number=1, content=content, created_by=user,
                                  submitted_by=user, submitted_at=now, snapshot=snapshot,
                                  sha256=sha256_hex(snapshot))
                )  # fmt: skip
            FilingVersion.objects.bulk_create(versions)
            results = []
            for filing, version in zip(filings, versions, strict=True):
                filing.latest_submitted = version
                filing.approved_version = version if filing.state == State.APPROVED else None
                for r in rows_by_filing[filing.pk]:
                    results.append(
                        IndicatorResult(
                            version=version, filing=filing, enterprise=filing.enterprise,
                            authority_id=filing.enterprise.authority_id, deliverable=deliverable,
                            year=r["year"], code=r["code"], core=bool(r.get("core")),
                            name_zh=r.get("name_zh") or "", name_en=r.get("name_en") or "",
                            unit=r.get("unit") or "", direction=r.get("direction") or "",
                            baseline=Decimal(r["baseline"]) if r.get("baseline") else None,
                            target=r["target"], actual=r["actual"],
                            benchmark=Decimal(r["benchmark"]) if r.get("benchmark") else None,
                            on_track=r["on_track"],
                        )
                    )  # fmt: skip
            Filing.objects.bulk_update(filings, ["latest_submitted", "approved_version"])
            IndicatorResult.objects.bulk_create(results, batch_size=BATCH)
            added += len(filings)
    return added


def run() -> list[str]:
    from benchmarks.http import measure

    seeded = seed_bench(enterprises=5000, filings=20000)
    added = ensure_indicator_results()
    settle()
    showcase = Filing.objects.select_related("enterprise__authority").get(pk=seeded["showcase"])
    authority = showcase.enterprise.authority
    # The bench reviewer leads the reviews of the showcase enterprise's authority (SASAC in
    # the bench data), so it sees that authority's dashboard and the national overview.
    reviewer = verified_client(User.objects.get(email=BENCH_REVIEWER))
    dashboard = reverse("dashboards:authority", args=[authority.code])
    national = reverse("dashboards:national")
    reviewer.get(dashboard, HTTP_HOST="127.0.0.1")  # the navigation is cached per user
    pages = [
        TRIVIAL,
        ("authority dashboard", dashboard),
        ("dashboard+trajectory", f"{dashboard}?enterprise={showcase.enterprise.credit_code}"),
        ("dashboard export", reverse("dashboards:authority_export",
                                     args=[authority.code, "progress", "csv"])),
        ("national overview", national),
        ("national export", reverse("dashboards:national_export", args=["xlsx"])),
    ]  # fmt: skip
    enterprises = showcase.enterprise.authority.enterprises.count()
    lines = [
        f"data: {Filing.objects.count()} filings, "
        f"{IndicatorResult.objects.count()} indicator results ({added} summaries added now); "
        f"{authority.code} has {enterprises} enterprises"
    ]
    return lines + measure(pages, reviewer)
