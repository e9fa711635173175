"""The lead reviewer's dashboard: a fixed handful of queries, whatever the volume."""

import statistics
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from apps.enterprises.models import Authority
from apps.filings.models import Filing
from apps.filings.workflow import State
from apps.reviews.models import Assignment, Decision

OPEN_STATES = (State.SUBMITTED, State.UNDER_REVIEW)
RECENT_DECISIONS = 1000  # the median is taken over the most recent decisions


@dataclass
class Dashboard:
    counts: list[tuple[str, str, int]]  # (state, label, n)
    median_days: float | None
    decisions_counted: int
    oldest: list[Filing]
    workload: list[Any]  # {"reviewer__full_name", "reviewer__email", "open"}
    unassigned: int


def authority_dashboard(authority: Authority) -> Dashboard:
    filings = Filing.objects.filter(
        enterprise__authority=authority,
        reviewing_group__isnull=True,
        first_submitted_at__isnull=False,
    )
    by_state = dict(filings.values_list("state").annotate(n=Count("id")))
    durations = [
        (decided - submitted).total_seconds() / 86400
        for submitted, decided in Decision.objects.filter(filing__enterprise__authority=authority)
        .order_by("-created_at")
        .values_list("version__submitted_at", "created_at")[:RECENT_DECISIONS]
        if submitted and decided
    ]
    open_filings = filings.filter(state__in=OPEN_STATES)
    workload = list(
        Assignment.objects.active()
        .filter(filing__in=open_filings)
        .values("reviewer__full_name", "reviewer__email")
        .annotate(open=Count("id"))
        .order_by("-open", "reviewer__full_name")
    )
    unassigned = open_filings.filter(~Q(assignments__is_active=True)).count()
    return Dashboard(
        counts=[(s.value, str(s.label), by_state.get(s.value, 0)) for s in State],
        median_days=round(statistics.median(durations), 1) if durations else None,
        decisions_counted=len(durations),
        oldest=list(
            open_filings.select_related("enterprise", "deliverable").order_by("submitted_at", "id")[
                :10
            ]
        ),
        workload=workload,
        unassigned=unassigned,
    )
