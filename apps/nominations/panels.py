"""Sections this app adds to other pages: on a filed assessment report's page, its
nominations and the way to nominate (reviewers) or apply (the enterprise's filing officer);
on the authority's page, the nominations in each state and the way to the list and the
notices. Each runs a bounded number of queries."""

from typing import Any

from django.db.models import Q
from django.http import HttpRequest

from apps.enterprises.panels import Panel, register_authority_panel
from apps.filings.panels import register_filing_panel
from apps.nominations.models import Nomination
from apps.nominations.selectors import status_counts
from apps.nominations.services import report_cases
from apps.nominations.workflow import OPEN_STATUSES, Source, Status
from apps.stages.constants import ASSESSMENT_REPORT, DesignationKind


def nominations_filing_panel(request: HttpRequest, filing: Any) -> Panel | None:
    if filing.kind != ASSESSMENT_REPORT:
        return None
    user: Any = request.user
    may_nominate = user.has_perm("nominations.nominate", filing)
    may_apply = user.has_perm("nominations.apply", filing)
    if not may_nominate and not may_apply:
        return None
    nominations = Nomination.objects.filter(filing=filing).order_by("-id")
    if not may_nominate:  # the enterprise sees its own applications only
        nominations = nominations.filter(source=Source.APPLICATION)
    # What is under way or designated cannot be nominated again: offer only the rest.
    taken = set(
        Nomination.objects.filter(filing=filing)
        .filter(
            Q(status__in=OPEN_STATUSES)
            | Q(status=Status.DESIGNATED, designation__revoked_at__isnull=True)
        )
        .values_list("kind", "case_id")
    )
    open_cases = [
        c
        for c in report_cases(filing)
        if (DesignationKind.BENCHMARK_PROJECT.value, c["id"]) not in taken
    ]
    kinds = [
        kind
        for kind in DesignationKind
        if (kind == DesignationKind.MODEL_ENTERPRISE and (kind.value, "") not in taken)
        or (kind == DesignationKind.BENCHMARK_PROJECT and open_cases)
    ]
    return Panel(
        "nominations/_filing_panel.html",
        {
            "filing": filing,
            "nominations": list(nominations[:50]),
            "may_nominate": may_nominate,
            "may_apply": may_apply,
            "kinds": kinds,
        },
        order=26,
    )


def nominations_authority_panel(request: HttpRequest, authority: Any) -> Panel | None:
    user: Any = request.user
    if not user.has_perm("nominations.list", authority):
        return None
    counts = status_counts(authority)
    return Panel(
        "nominations/_authority_panel.html",
        {
            "authority": authority,
            "statuses": [(s.value, s.label, counts[s.value]) for s in Status if counts[s.value]],
            "may_publish": user.has_perm("nominations.publish_notice", authority)
            and counts[Status.PROPOSED] > 0,
        },
        order=41,
    )


register_filing_panel(nominations_filing_panel)
register_authority_panel(nominations_authority_panel)
