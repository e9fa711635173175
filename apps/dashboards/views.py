"""The authority dashboard and the national overview, with their exports. Thin: the scoped
helper fetches the authority (404 outside it), the selectors count, the charts module
describes, the template shows."""

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from apps.core.exports import csv_response, xlsx_response
from apps.core.i18n import in_language
from apps.dashboards import charts
from apps.dashboards.forms import DashboardFilterForm, Filters
from apps.dashboards.selectors import (
    ALL_STATUSES,
    REPORTING_KINDS,
    AuthorityGroup,
    NationalRow,
    active_deliverables,
    authority_groups,
    current_results,
    distribution,
    headline_deliverable,
    indicator_rows,
    national_rows,
    national_total,
    progress_rows,
    province_rollup,
    rate_deliverables,
    scoped_enterprises,
    trajectory,
)
from apps.enterprises.models import Authority, Enterprise
from apps.enterprises.selectors import get_authority_for_user, get_enterprise_for_user
from apps.timeline.models import Deliverable
from apps.timeline.obligations import ObligationStatus

NATIONAL_AUTHORITY = "SASAC"
# The picker lists at most this many enterprises; a search narrows the list.
PICKER_LIMIT = 200
EXPORT_FORMATS = ("csv", "xlsx")

AUTHORITY_TABLES = ("progress", "indicators", "categories", "industries", "cities")
# The per-authority counts, as the national overview and a province's city roll-up export
# them.
ROLLUP_HEADER = ["authority", "authority_name", "parent_authority", "campaign", "deliverable",
                 "enterprises", "submitted", "approved", "not_yet_submitted", "overdue",
                 "indicators_reported", "indicators_on_track", "on_track_rate_percent"]  # fmt: skip


def _authority(request: HttpRequest, code: str) -> Authority:
    return get_authority_for_user(request.user, code, perm="dashboards.view_authority_dashboard")


def _national(request: HttpRequest) -> None:
    """SASAC's reviewers and lead reviewers, and administrators; a 404 for anyone else."""
    get_authority_for_user(
        request.user, NATIONAL_AUTHORITY, perm="dashboards.view_national_overview"
    )


def _reporting(deliverables: Sequence[Deliverable], filters: Filters) -> list[Deliverable]:
    """The deliverables whose indicator results are counted: the selected one if it reports
    any, else every reporting deliverable of the active campaigns."""
    if filters.deliverable is not None:
        chosen = filters.deliverable
        return [chosen] if chosen.kind in REPORTING_KINDS else []
    return [d for d in deliverables if d.kind in REPORTING_KINDS]


def _label(deliverable: Deliverable) -> str:
    return f"{deliverable.title} · {deliverable.campaign.code}"


def _cities(
    authority: Authority, deliverables: Sequence[Deliverable], filters: Filters
) -> tuple[AuthorityGroup | None, Deliverable | None]:
    """A province's roll-up of its city commissions (counts only: its reviewers do not
    open a city's filings), for the chosen deliverable or the first plan; None without
    city commissions."""
    deliverable = headline_deliverable(deliverables, filters.deliverable)
    group = province_rollup(
        authority,
        deliverable,
        rate_deliverables(deliverables, deliverable),
        category=filters.category,
        industry=filters.industry,
    )
    return group, deliverable


def _rollup_rows(rows: Iterable[NationalRow], deliverable: Deliverable | None) -> list[list[Any]]:
    campaign = deliverable.campaign.code if deliverable else ""
    title = deliverable.title_zh if deliverable else ""
    parents = {r.authority.pk: r.authority.code for r in rows if r.authority.parent_id is None}
    return [
        [r.authority.code, r.authority.name_zh, parents.get(r.authority.parent_id or 0, ""),
         campaign, title, r.enterprises, r.submitted, r.approved, r.not_submitted, r.overdue,
         r.results.reported, r.results.on_track, r.results.rate]
        for r in rows
    ]  # fmt: skip


# --- Authority dashboard --------------------------------------------------------------------


@login_required
@require_GET
def authority_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    authority = _authority(request, code)
    deliverables = active_deliverables(authority)
    form = DashboardFilterForm(request.GET or None, deliverables=deliverables)
    filters = form.filters()
    shown = [filters.deliverable] if filters.deliverable else deliverables
    enterprises = scoped_enterprises(
        authority, category=filters.category, industry=filters.industry
    )
    progress = progress_rows(authority, shown, enterprises)
    reporting = _reporting(deliverables, filters)
    results = current_results(
        deliverables=reporting,
        authority=authority,
        category=filters.category,
        industry=filters.industry,
    )
    indicators = indicator_rows(results, reporting) if reporting else []
    groups = distribution(enterprises, results)
    cities, cities_deliverable = _cities(authority, deliverables, filters)

    # The picker: enterprises of this authority, narrowed by a search.
    q = request.GET.get("q", "").strip()[:100]
    options = scoped_enterprises(authority)
    if q:
        options = options.filter(
            Q(name_zh__icontains=q) | Q(name_en__icontains=q) | Q(credit_code__icontains=q)
        )
    picker = [
        (credit_code, in_language(name_zh, name_en))
        for credit_code, name_zh, name_en in options.order_by("credit_code").values_list(
            "credit_code", "name_zh", "name_en"
        )[: PICKER_LIMIT + 1]
    ]
    chosen: Enterprise | None = None
    path = None
    credit_code = request.GET.get("enterprise", "").strip()
    if credit_code:
        chosen = get_enterprise_for_user(request.user, credit_code)
        if chosen.authority_id != authority.pk:
            raise Http404
        path = trajectory(chosen, deliverables, request.GET.get("indicator", ""))
        if not any(c == chosen.credit_code for c, _name in picker):
            picker.insert(0, (chosen.credit_code, chosen.name))

    params = request.GET.copy()
    for key in ("q", "enterprise", "indicator"):
        params.pop(key, None)
    return render(
        request,
        "dashboards/authority.html",
        {
            "authority": authority,
            "form": form,
            "filters": filters,
            "query_string": params.urlencode(),
            "statuses": list(ObligationStatus),
            "progress": progress,
            # The timeline's list of enterprises behind a count knows no category/industry.
            "drill_down": not (filters.category or filters.industry),
            "progress_chart": charts.progress_chart(progress),
            "reporting": reporting,
            "indicators": indicators,
            "indicator_chart": charts.indicator_chart(indicators, reporting),
            "group_sections": [
                (
                    _("Functional category"),
                    groups.categories,
                    charts.group_chart(groups.categories),
                    "categories-data",
                    "categories",
                ),
                (
                    _("Industry section"),
                    groups.industries,
                    charts.group_chart(groups.industries),
                    "industries-data",
                    "industries",
                ),
            ],
            "q": q,
            "picker": picker[:PICKER_LIMIT],
            "picker_truncated": len(picker) > PICKER_LIMIT,
            "chosen": chosen,
            "trajectory": path,
            "trajectory_chart": charts.trajectory_chart(path) if path else None,
            "cities": cities,
            "cities_deliverable": cities_deliverable,
        },
    )


def _export(
    fmt: str, name: str, header: list[str], rows: Iterable[Sequence[Any]], sheet: str
) -> HttpResponse | StreamingHttpResponse:
    if fmt == "csv":
        return csv_response(f"{name}.csv", header, rows)
    # Rates are numbers with one decimal (rate() rounds them so); counts stay plain.
    rates = {i: "0.0" for i, column in enumerate(header) if column.endswith("_percent")}
    return xlsx_response(f"{name}.xlsx", header, rows, sheet=sheet, number_formats=rates)


@login_required
@require_GET
def authority_export(
    request: HttpRequest, code: str, table: str, fmt: str
) -> HttpResponse | StreamingHttpResponse:
    """One table of the dashboard, with the same filters, as CSV or XLSX."""
    if fmt not in EXPORT_FORMATS or table not in AUTHORITY_TABLES:
        raise Http404
    authority = _authority(request, code)
    deliverables = active_deliverables(authority)
    filters = DashboardFilterForm(request.GET or None, deliverables=deliverables).filters()
    enterprises = scoped_enterprises(
        authority, category=filters.category, industry=filters.industry
    )
    name = f"dashboard-{authority.code}-{table}"
    if table == "progress":
        shown = [filters.deliverable] if filters.deliverable else deliverables
        header = ["campaign", "deliverable", "due_on", *ALL_STATUSES, "enterprises"]
        rows: list[list[Any]] = [
            [r.deliverable.campaign.code, r.deliverable.title_zh, r.due_on,
             *(r.counts[s] for s in ALL_STATUSES), r.total]
            for r in progress_rows(authority, shown, enterprises)
        ]  # fmt: skip
        return _export(fmt, name, header, rows, authority.code)
    if table == "cities":
        group, deliverable = _cities(authority, deliverables, filters)
        if group is None:
            raise Http404  # no city commission under this one: the page shows no such table
        return _export(fmt, name, ROLLUP_HEADER, _rollup_rows(group.rows, deliverable),
                       authority.code)  # fmt: skip
    reporting = _reporting(deliverables, filters)
    results = current_results(
        deliverables=reporting,
        authority=authority,
        category=filters.category,
        industry=filters.industry,
    )
    if table == "indicators":
        header = ["indicator", "name", "campaign", "deliverable", "reported", "on_track",
                  "on_track_rate_percent"]  # fmt: skip
        rows = [
            [row.code, row.label, d.campaign.code, d.title_zh, cell.reported, cell.on_track,
             cell.rate]
            for row in (indicator_rows(results, reporting) if reporting else [])
            for d, cell in zip(reporting, row.cells, strict=True)
        ]  # fmt: skip
        return _export(fmt, name, header, rows, authority.code)
    groups = distribution(enterprises, results)
    dimension = "category" if table == "categories" else "industry"
    header = [dimension, "name", "enterprises", "reported", "on_track", "on_track_rate_percent"]
    rows = [
        [g.value, g.label, g.enterprises, g.results.reported, g.results.on_track, g.results.rate]
        for g in (groups.categories if table == "categories" else groups.industries)
    ]
    return _export(fmt, name, header, rows, authority.code)


# --- National overview ----------------------------------------------------------------------


def _national_context(request: HttpRequest) -> dict[str, Any]:
    deliverables = active_deliverables()
    form = DashboardFilterForm(
        request.GET or None,
        deliverables=deliverables,
        with_enterprise_filters=False,
        allow_all=False,
    )
    # Without a choice: the first implementation plan of the active campaigns.
    deliverable = headline_deliverable(deliverables, form.filters().deliverable)
    if deliverable is not None:
        form.fields["deliverable"].initial = deliverable.pk
    reporting = rate_deliverables(deliverables, deliverable)
    rows = national_rows(deliverable, reporting)
    # City commissions under their provinces; the total counts every enterprise once.
    groups = authority_groups(rows)
    return {
        "form": form,
        "deliverable": deliverable,
        "reporting": reporting,
        "rows": rows,
        "groups": groups,
        "total": national_total(rows),
    }


@login_required
@require_GET
def national_overview(request: HttpRequest) -> HttpResponse:
    _national(request)
    context = _national_context(request)
    # One bar per province, its cities included.
    overall = [group.overall for group in context["groups"]]
    return render(
        request,
        "dashboards/national.html",
        {
            **context,
            "chart": charts.national_chart(overall),
            "query_string": request.GET.urlencode(),
        },
    )


@login_required
@require_GET
def national_export(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    if fmt not in EXPORT_FORMATS:
        raise Http404
    _national(request)
    context = _national_context(request)
    # One row per authority, each city commission after its province (parent_authority
    # says whose): the rows add up to the national total, with no subtotals to count twice.
    rows = [row for group in context["groups"] for row in group.rows]
    return _export(
        fmt, "national-overview", ROLLUP_HEADER, _rollup_rows(rows, context["deliverable"]),
        "national",
    )  # fmt: skip
