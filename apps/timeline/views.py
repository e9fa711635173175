import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.exports import csv_response, xlsx_response
from apps.core.http import client_ip
from apps.enterprises.models import Authority, Enterprise
from apps.enterprises.selectors import get_authority_for_user, get_enterprise_for_user
from apps.timeline import services
from apps.timeline.forms import AuthorityDeadlineForm, CampaignForm, DeliverableForm, ExtensionForm
from apps.timeline.models import AuthorityDeadline, Campaign, Extension
from apps.timeline.obligations import (
    Obligation,
    ObligationStatus,
    filing_enterprises,
    obligation_for,
    obligations_for,
    status_counts,
)
from apps.timeline.selectors import (
    get_campaign_for_admin,
    get_deliverable_for_authority,
    get_deliverable_for_enterprise,
)
from apps.timeline.workdays import day_info, due_date_warning

PAGE_SIZE = 50


def _form_errors_from(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _warn(request: HttpRequest, warning: str | None) -> None:
    if warning:
        messages.warning(request, warning)


# --- Campaign administration ------------------------------------------------------------


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("timeline.manage_campaigns"):
        raise Http404
    campaigns = Campaign.objects.prefetch_related("stages").order_by("-is_active", "-code")
    return render(request, "timeline/campaign_list.html", {"campaigns": campaigns})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not request.user.has_perm("timeline.manage_campaigns"):
        raise Http404
    campaign = get_campaign_for_admin(request.user, pk) if pk else None
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.campaign_save(
                campaign=campaign,
                fields=form.campaign_fields(),
                stage_dates=form.stage_dates(),
                actor=request.user,
                ip_address=client_ip(request),
            )
        except ValidationError as exc:
            _form_errors_from(form, exc)
        else:
            messages.success(request, _("Campaign saved."))
            return redirect(saved)
    return render(request, "timeline/campaign_form.html", {"form": form, "campaign": campaign})


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_campaign_for_admin(request.user, pk)
    return render(
        request,
        "timeline/campaign_detail.html",
        {
            "campaign": campaign,
            "stages": campaign.stages.all(),
            "deliverables": campaign.deliverables.select_related("stage", "authority"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def deliverable_edit(request: HttpRequest, campaign_pk: int, pk: int | None = None) -> HttpResponse:
    campaign = get_campaign_for_admin(request.user, campaign_pk)
    deliverable = get_object_or_404(campaign.deliverables, pk=pk) if pk else None
    form = DeliverableForm(request.POST or None, instance=deliverable, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            _saved, warning = services.deliverable_save(
                deliverable=deliverable,
                campaign=campaign,
                fields=form.deliverable_fields(),
                actor=request.user,
                ip_address=client_ip(request),
            )
        except ValidationError as exc:
            _form_errors_from(form, exc)
        else:
            messages.success(request, _("Deliverable saved."))
            _warn(request, warning)
            return redirect(campaign)
    return render(
        request,
        "timeline/deliverable_form.html",
        {"form": form, "campaign": campaign, "deliverable": deliverable},
    )


@login_required
@require_http_methods(["GET", "POST"])
def deliverable_delete(request: HttpRequest, campaign_pk: int, pk: int) -> HttpResponse:
    campaign = get_campaign_for_admin(request.user, campaign_pk)
    deliverable = get_object_or_404(campaign.deliverables, pk=pk)
    if request.method == "POST":
        try:
            services.deliverable_delete(
                deliverable=deliverable, actor=request.user, ip_address=client_ip(request)
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Deliverable deleted."))
        return redirect(campaign)
    return render(
        request,
        "timeline/deliverable_confirm_delete.html",
        {
            "campaign": campaign,
            "deliverable": deliverable,
            "has_filings": deliverable.filings.exists(),
        },
    )


@login_required
@require_GET
def check_date(request: HttpRequest) -> HttpResponse:
    """htmx: says whether a date someone is typing is a working day."""
    raw = next((str(v) for k, v in request.GET.items() if k.endswith("due_on") or k == "date"), "")
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        return HttpResponse("")
    return render(
        request,
        "timeline/_date_check.html",
        {"warning": due_date_warning(day), "info": day_info(day)},
    )


# --- Authority: obligations, deadlines, extensions --------------------------------------


def _authority_obligations(request: HttpRequest, code: str) -> tuple[Authority, list[Obligation]]:
    authority = get_authority_for_user(request.user, code, perm="timeline.view_obligations")
    enterprises = filing_enterprises(Enterprise.objects.filter(authority=authority))
    return authority, obligations_for(enterprises)


@login_required
def authority_obligations(request: HttpRequest, code: str) -> HttpResponse:
    authority, obligations = _authority_obligations(request, code)
    counts = status_counts(obligations)
    deliverables = []
    seen: set[int] = set()
    for ob in obligations:
        if ob.deliverable.pk not in seen:
            seen.add(ob.deliverable.pk)
            deliverables.append(ob.deliverable)
    local = {
        d.deliverable_id: d
        for d in AuthorityDeadline.objects.filter(authority=authority, deliverable_id__in=seen)
    }
    rows = [
        (d, [(s, counts.get(d.pk, {}).get(s.value, 0)) for s in ObligationStatus], local.get(d.pk))
        for d in deliverables
    ]
    overdue = [ob for ob in obligations if ob.is_overdue]
    return render(
        request,
        "timeline/authority_obligations.html",
        {
            "authority": authority,
            "rows": rows,
            "statuses": list(ObligationStatus),
            "overdue": overdue[:100],
            "overdue_count": len(overdue),
            "can_set_deadline": request.user.has_perm("timeline.set_authority_deadline", authority),
        },
    )


EXPORT_HEADER = [
    "credit_code",
    "enterprise",
    "deliverable",
    "due_on",
    "due_source",
    "status",
    "days_left",
]


@login_required
def authority_obligation_list(
    request: HttpRequest, code: str, fmt: str = "html"
) -> HttpResponse | StreamingHttpResponse:
    """Drill-down: the enterprises behind one count (deliverable and status), or all overdue."""
    if fmt not in ("html", "csv", "xlsx"):
        raise Http404
    authority, obligations = _authority_obligations(request, code)
    deliverable_id = request.GET.get("deliverable")
    status = request.GET.get("status")
    if deliverable_id and deliverable_id.isdigit():
        obligations = [ob for ob in obligations if ob.deliverable.pk == int(deliverable_id)]
    if status in ObligationStatus.values:
        obligations = [ob for ob in obligations if ob.status == status]
    obligations.sort(key=lambda ob: (ob.due_on, ob.enterprise.credit_code))
    if fmt in ("csv", "xlsx"):
        rows = (
            [
                ob.enterprise.credit_code,
                ob.enterprise.name_zh,
                ob.deliverable.title_zh,
                ob.due_on,
                ob.due_source,
                ob.status,
                ob.days_left,
            ]
            for ob in obligations
        )
        name = f"obligations-{authority.code}"
        if fmt == "csv":
            return csv_response(f"{name}.csv", EXPORT_HEADER, rows)
        return xlsx_response(f"{name}.xlsx", EXPORT_HEADER, rows, sheet=authority.code)
    page = Paginator(obligations, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "timeline/authority_obligation_list.html",
        {
            "authority": authority,
            "page": page,
            "status": status,
            "status_label": ObligationStatus(status).label
            if status in ObligationStatus.values
            else "",
            "deliverable_id": deliverable_id,
            "query_string": params.urlencode(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def authority_deadline_edit(request: HttpRequest, code: str, deliverable_pk: int) -> HttpResponse:
    authority = get_authority_for_user(request.user, code, perm="timeline.set_authority_deadline")
    deliverable = get_deliverable_for_authority(authority, deliverable_pk)
    current = AuthorityDeadline.objects.filter(authority=authority, deliverable=deliverable).first()
    initial = {"due_on": current.due_on, "note": current.note} if current else {}
    form = AuthorityDeadlineForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _deadline, warning = services.authority_deadline_set(
                deliverable=deliverable,
                authority=authority,
                due_on=form.cleaned_data["due_on"],
                note=form.cleaned_data["note"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except ValidationError as exc:
            _form_errors_from(form, exc)
        else:
            messages.success(request, _("Local deadline saved."))
            _warn(request, warning)
            return redirect("timeline:authority_obligations", code=authority.code)
    # The dates this one must fit between: the province's (for a city commission) and its
    # cities' (for a province), shown beside the field.
    related = AuthorityDeadline.objects.filter(deliverable=deliverable).select_related("authority")
    province_deadline = (
        related.filter(authority_id=authority.parent_id).first() if authority.parent_id else None
    )
    city_deadlines = list(
        related.filter(authority__parent=authority).order_by(
            "authority__sort_order", "authority__code"
        )
    )
    return render(
        request,
        "timeline/authority_deadline_form.html",
        {
            "authority": authority,
            "deliverable": deliverable,
            "form": form,
            "current": current,
            "province_deadline": province_deadline,
            "city_deadlines": city_deadlines,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def extension_edit(request: HttpRequest, credit_code: str, deliverable_pk: int) -> HttpResponse:
    enterprise = get_enterprise_for_user(request.user, credit_code, perm="timeline.grant_extension")
    deliverable = get_deliverable_for_enterprise(enterprise, deliverable_pk)
    obligation = obligation_for(enterprise, deliverable)
    current = obligation.extension
    initial = {"due_on": current.due_on, "reason": current.reason} if current else {}
    form = ExtensionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _ext, warning = services.extension_grant(
                deliverable=deliverable,
                enterprise=enterprise,
                due_on=form.cleaned_data["due_on"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except ValidationError as exc:
            _form_errors_from(form, exc)
        else:
            messages.success(request, _("Extension granted."))
            _warn(request, warning)
            return redirect(enterprise)
    return render(
        request,
        "timeline/extension_form.html",
        {
            "enterprise": enterprise,
            "deliverable": deliverable,
            "form": form,
            "obligation": obligation,
            "current": current,
        },
    )


@login_required
@require_POST
def extension_revoke(request: HttpRequest, credit_code: str, deliverable_pk: int) -> HttpResponse:
    enterprise = get_enterprise_for_user(request.user, credit_code, perm="timeline.grant_extension")
    extension = get_object_or_404(Extension, enterprise=enterprise, deliverable_id=deliverable_pk)
    services.extension_revoke(
        extension=extension, actor=request.user, ip_address=client_ip(request)
    )
    messages.success(request, _("Extension withdrawn."))
    return redirect(enterprise)
