"""Thin views: the live progress cell, opening a plan amendment, scoring, revoking a
designation (designations are made through apps.nominations), and the public list of model
enterprises and benchmarking projects."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.http import client_ip
from apps.core.pagination import keyset_paginate
from apps.enterprises.models import Industry
from apps.filings.http import run_action
from apps.filings.selectors import get_filing_for_user
from apps.plans.constants import ActionArea
from apps.stages import services
from apps.stages.constants import STAGE_KINDS, DesignationKind
from apps.stages.content import (
    indicator_rows,
    judged,
    judgement_display,
    parse_year,
    plan_content,
    section_year,
)
from apps.stages.selectors import (
    NATIONAL_ORDERING,
    get_designation_for_user,
    group_designations,
    national_designations,
    national_industries,
)

NATIONAL_PAGE_SIZE = 50


@login_required
@require_POST
def progress_fragment(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress cell of one indicator row, recomputed as the enterprise types its actual.
    Baseline and target are read from the approved plan, not from the POST. Nothing is
    saved. (htmx posts the whole form; HX-Trigger-Name names the changed input.)"""
    filing = get_filing_for_user(request.user, pk)
    if filing.kind not in STAGE_KINDS:
        raise Http404
    name = request.headers.get("HX-Trigger-Name", "")
    field = next((f for f in ("-actual", "-previous") if name.endswith(f)), "")
    prefix = name[: -len(field) + 1] if field else ""
    row_id = request.POST.get(f"{prefix}id", "") if prefix else ""
    year = parse_year(request.POST.get("year")) or section_year(None, filing)
    year = section_year({"year": str(year)}, filing)
    rows = indicator_rows(plan_content(filing), year, None)
    row = next((r for r in rows if r["id"] == row_id), None)
    typed = {
        "actual": request.POST.get(f"{prefix}actual", ""),
        "previous": request.POST.get(f"{prefix}previous", ""),
    }
    judgement = judged({**row, **typed}, filing) if row is not None else judged({}, filing)
    return render(request, "stages/_progress.html", {"judgement": judgement_display(judgement)})


@login_required
@require_POST
def open_amendment(request: HttpRequest, pk: int) -> HttpResponse:
    filing = get_filing_for_user(request.user, pk, perm="stages.open_amendment")
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the confirmation before opening an amendment."))
        return redirect(filing)
    return run_action(
        request,
        filing,
        lambda: services.summary_open_amendment(
            filing=filing, actor=request.user, ip_address=client_ip(request)
        ),
        _("An amendment of the plan is open; the filed plan stays in force until it is "
          "filed."),
    )  # fmt: skip


@login_required
@require_POST
def score(request: HttpRequest, pk: int) -> HttpResponse:
    filing = get_filing_for_user(request.user, pk, perm="stages.score")
    return run_action(
        request,
        filing,
        lambda: services.assessment_score(
            filing=filing,
            area_levels={a.value: request.POST.get(f"area-{a.value}", "") for a in ActionArea},
            overall=request.POST.get("overall", ""),
            comment=request.POST.get("comment", ""),
            actor=request.user,
            ip_address=client_ip(request),
        ),
        _("Assessment saved."),
    )


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    designation = get_designation_for_user(request.user, pk)
    if not request.user.has_perm("stages.designate", designation.filing):
        raise Http404
    return run_action(
        request,
        designation.filing,
        lambda: services.designation_revoke(
            designation=designation, actor=request.user, ip_address=client_ip(request)
        ),
        _("The designation was revoked."),
    )


def national_list(request: HttpRequest) -> HttpResponse:
    """Model enterprises and benchmarking projects across all authorities, for anyone (no
    sign-in): grouped by industry and, within it, by action area; each with its enterprise,
    title, authority, year and the case summary approved for publication. Nothing of the
    filings themselves. Paged (keyset), so a page costs the same queries at any size."""
    queryset = national_designations()
    kind = request.GET.get("kind", "")
    kind = kind if kind in DesignationKind.values else ""
    if kind:
        queryset = queryset.filter(kind=kind)
    industry = request.GET.get("industry", "")
    industry = industry if industry in Industry.values else ""
    industries = national_industries(queryset)
    if industry:
        queryset = queryset.filter(industry_code=industry)
    page = keyset_paginate(
        queryset,
        ordering=NATIONAL_ORDERING,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        page_size=NATIONAL_PAGE_SIZE,
    )
    query = urlencode({k: v for k, v in (("kind", kind), ("industry", industry)) if v})
    return render(
        request,
        "stages/national_list.html",
        {
            "page": page,
            "groups": group_designations(page.object_list),
            "kind": kind,
            "kinds": list(DesignationKind),
            "industry": industry,
            "industries": [(code, Industry(code).label) for code in industries],
            "query": query,
        },
    )
