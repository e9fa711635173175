"""Thin views: the live progress cell, opening a plan amendment, scoring, naming and revoking,
and the national list of model enterprises and benchmarking projects."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.http import client_ip
from apps.core.pagination import keyset_paginate
from apps.filings.http import run_action
from apps.filings.selectors import get_filing_for_user
from apps.plans.constants import ActionArea
from apps.stages import services
from apps.stages.constants import STAGE_KINDS, DesignationKind
from apps.stages.content import (
    expected_share,
    indicator_rows,
    parse_year,
    plan_content,
    progress,
    progress_percent,
    section_year,
    suggest_on_track,
)
from apps.stages.selectors import get_designation_for_user, national_designations


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
    prefix = name[: -len("actual")] if name.endswith("-actual") else ""
    row_id = request.POST.get(f"{prefix}id", "") if prefix else ""
    year = parse_year(request.POST.get("year")) or section_year(None, filing)
    year = section_year({"year": str(year)}, filing)
    rows = indicator_rows(plan_content(filing), year, None)
    row = next((r for r in rows if r["id"] == row_id), None)
    value = None
    if row is not None:
        value = progress({**row, "actual": request.POST.get(f"{prefix}actual", "")})
    return render(
        request,
        "stages/_progress.html",
        {
            "progress": value,
            "progress_percent": progress_percent(value),
            "suggested": suggest_on_track(value, expected_share(filing, year)),
        },
    )


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
def designate(request: HttpRequest, pk: int) -> HttpResponse:
    filing = get_filing_for_user(request.user, pk, perm="stages.designate")
    kind = request.POST.get("kind", "")
    if kind not in DesignationKind.values:
        raise Http404
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the confirmation before naming."))
        return redirect(filing)
    return run_action(
        request,
        filing,
        lambda: services.designation_name(
            filing=filing,
            kind=kind,
            case_id=request.POST.get("case_id", "").strip(),
            actor=request.user,
            ip_address=client_ip(request),
        ),
        _("Named: %(kind)s.") % {"kind": DesignationKind(kind).label},
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


@login_required
def national_list(request: HttpRequest) -> HttpResponse:
    """Model enterprises and benchmarking projects across all authorities: names, authority,
    year and case titles only, for any signed-in user."""
    queryset = national_designations()
    kind = request.GET.get("kind", "")
    if kind in DesignationKind.values:
        queryset = queryset.filter(kind=kind)
    page = keyset_paginate(
        queryset,
        ordering=["-named_at", "-id"],
        after=request.GET.get("after"),
        before=request.GET.get("before"),
    )
    return render(
        request,
        "stages/national_list.html",
        {"page": page, "kind": kind if kind in DesignationKind.values else "",
         "kinds": list(DesignationKind)},
    )  # fmt: skip
