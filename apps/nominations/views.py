"""Thin views of the nomination process: nominate or apply from a filed assessment report,
score, propose or decline, publish a public notice, record and resolve objections,
designate; the authority's list of nominations; the public notices (readable without
signing in)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.http import client_ip
from apps.core.pagination import keyset_paginate
from apps.enterprises.selectors import get_authority_for_user
from apps.filings.http import run_action
from apps.filings.selectors import get_filing_for_user
from apps.filings.services import FilingError
from apps.nominations import selectors, services
from apps.nominations.forms import (
    NominationForm,
    NoticeForm,
    ObjectionForm,
    ProposeForm,
    RejectForm,
    ResolveForm,
    ScoreForm,
)
from apps.nominations.models import Nomination, PublicNotice
from apps.nominations.workflow import MIN_SCORES, Status
from apps.stages.constants import DesignationKind

PAGE_SIZE = 50
# Newest first, by id: ids are handed out in insertion order.
ORDERING = ["-id"]
NOTICES_ON_LIST = 20


def _form_errors_from(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _post_form(request: HttpRequest, form: Any, target: Any) -> HttpResponse | None:
    """An invalid small form on the nomination page: its errors as a message, back to the
    page. None if the form is valid."""
    if form.is_valid():
        return None
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect(target)


# --- Nominating ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def nominate(request: HttpRequest, pk: int, source: str) -> HttpResponse:
    """The nomination form: ``source`` "authority" for a reviewer, "application" for the
    enterprise's filing officer."""
    application = source == "application"
    perm = "nominations.apply" if application else "nominations.nominate"
    filing = get_filing_for_user(request.user, pk, perm=perm)
    cases = services.report_cases(filing)
    kind = request.GET.get("kind", "")
    initial: dict[str, Any] = {
        "industry": filing.enterprise.industry,
        "kind": kind if kind in DesignationKind.values else DesignationKind.MODEL_ENTERPRISE,
    }
    form = NominationForm(
        request.POST or None, initial=initial, cases=cases, application=application
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        create = services.nomination_apply if application else services.nomination_nominate
        try:
            nomination = create(
                filing=filing,
                kind=data["kind"],
                case_id=data["case_id"] if data["kind"] == DesignationKind.BENCHMARK_PROJECT
                else "",
                industry=data["industry"],
                field=data["field"],
                case_summary=data["case_summary"],
                actor=request.user,
                ip_address=client_ip(request),
            )  # fmt: skip
        except ValidationError as exc:
            _form_errors_from(form, exc)
        except FilingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Your application is sent to the authority.")
                if application
                else _("Nominated. The authority's reviewers can now score it."),
            )
            return redirect(nomination)
    return render(
        request,
        "nominations/nominate_form.html",
        {"filing": filing, "form": form, "application": application, "cases": cases},
    )


# --- One nomination --------------------------------------------------------------------------


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    nomination = selectors.get_nomination_for_user(user, pk)
    judge = user.has_perm("nominations.judge", nomination)
    context: dict[str, Any] = {"nomination": nomination, "judge": judge}
    if judge:
        scores = selectors.nomination_scores(nomination)
        mine = next((s for s in scores.rows if s.reviewer_id == user.pk), None)
        notice = nomination.notice
        context.update(
            {
                "scores": scores,
                "min_scores": MIN_SCORES,
                "enough_scores": len(scores.rows) >= MIN_SCORES,
                "can_score": user.has_perm("nominations.score", nomination),
                "score_form": ScoreForm(
                    initial={"score": mine.score, "comment": mine.comment} if mine else None
                ),
                "my_score": mine,
                "can_propose": user.has_perm("nominations.propose", nomination),
                "propose_form": ProposeForm(),
                "can_reject": user.has_perm("nominations.reject", nomination),
                "can_publish_notice": nomination.status == Status.PROPOSED
                and user.has_perm("nominations.publish_notice", nomination.authority),
                "reject_form": RejectForm(),
                "objections": list(
                    nomination.objections.select_related("recorded_by", "resolved_by")
                ),
                "can_object": user.has_perm("nominations.object", nomination),
                "objection_form": ObjectionForm(),
                "can_resolve": user.has_perm("nominations.resolve", nomination),
                "resolve_form": ResolveForm(),
                "can_designate": user.has_perm("nominations.designate", nomination)
                and notice is not None
                and notice.has_ended(),
                "notice_ended": notice is not None and notice.has_ended(),
                "history": selectors.nomination_history(nomination),
            }
        )
    return render(request, "nominations/nomination_detail.html", context)


@login_required
@require_POST
def score(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = selectors.get_nomination_for_user(request.user, pk, perm="nominations.score")
    form = ScoreForm(request.POST)
    if (refused := _post_form(request, form, nomination)) is not None:
        return refused
    return run_action(
        request,
        nomination,
        lambda: services.nomination_score(
            nomination=nomination,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
            actor=request.user,
            ip_address=client_ip(request),
        ),
        _("Score saved."),
    )


@login_required
@require_POST
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = selectors.get_nomination_for_user(request.user, pk, perm="nominations.propose")
    form = ProposeForm(request.POST)
    form.is_valid()  # a single checkbox: always valid
    return run_action(
        request,
        nomination,
        lambda: services.nomination_propose(
            nomination=nomination,
            publish_summary=bool(form.cleaned_data.get("publish_summary")),
            actor=request.user,
            ip_address=client_ip(request),
        ),
        _("Proposed. List it in a public notice next."),
    )


@login_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = selectors.get_nomination_for_user(request.user, pk, perm="nominations.reject")
    form = RejectForm(request.POST)
    if (refused := _post_form(request, form, nomination)) is not None:
        return refused
    return run_action(
        request,
        nomination,
        lambda: services.nomination_reject(
            nomination=nomination,
            reason=form.cleaned_data["reason"],
            actor=request.user,
            ip_address=client_ip(request),
        ),
        _("The nomination is not proposed."),
    )


@login_required
@require_POST
def object_record(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = selectors.get_nomination_for_user(request.user, pk, perm="nominations.object")
    form = ObjectionForm(request.POST)
    if (refused := _post_form(request, form, nomination)) is not None:
        return refused
    return run_action(
        request,
        nomination,
        lambda: services.objection_record(
            nomination=nomination,
            text=form.cleaned_data["text"],
            received_on=form.cleaned_data["received_on"],
            actor=request.user,
            ip_address=client_ip(request),
        ),
        _("Objection recorded. The lead reviewer resolves it before designating."),
    )


@login_required
@require_POST
def objection_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    objection = selectors.get_objection_for_user(request.user, pk, perm="nominations.resolve")
    nomination = objection.nomination
    form = ResolveForm(request.POST)
    if (refused := _post_form(request, form, nomination)) is not None:
        return refused
    return run_action(
        request,
        nomination,
        lambda: services.objection_resolve(
            objection=objection,
            resolution=form.cleaned_data["resolution"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
            ip_address=client_ip(request),
        ),
        _("Objection resolved."),
    )


@login_required
@require_POST
def designate(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = selectors.get_nomination_for_user(request.user, pk, perm="nominations.designate")
    return run_action(
        request,
        nomination,
        lambda: services.nomination_designate(
            nomination=nomination, actor=request.user, ip_address=client_ip(request)
        ),
        _("Designated. It is on the list of model enterprises and benchmarking projects."),
    )


# --- The authority's nominations and notices ------------------------------------------------


@login_required
def authority_list(request: HttpRequest, code: str) -> HttpResponse:
    user: Any = request.user
    authority = get_authority_for_user(user, code, perm="nominations.list")
    queryset = Nomination.objects.filter(authority=authority).select_related("enterprise")
    status = request.GET.get("status", "")
    if status in Status.values:
        queryset = queryset.filter(status=status)
    page = keyset_paginate(
        queryset,
        ordering=ORDERING,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        page_size=PAGE_SIZE,
    )
    notices = list(PublicNotice.objects.filter(authority=authority)[:NOTICES_ON_LIST])
    counts = selectors.status_counts(authority)
    return render(
        request,
        "nominations/authority_list.html",
        {
            "authority": authority,
            "page": page,
            "status": status if status in Status.values else "",
            "statuses": [(s.value, s.label, counts[s.value]) for s in Status],
            "notices": notices,
            "can_publish": user.has_perm("nominations.publish_notice", authority)
            and counts[Status.PROPOSED] > 0,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def notice_new(request: HttpRequest, code: str) -> HttpResponse:
    authority = get_authority_for_user(request.user, code, perm="nominations.publish_notice")
    proposals = (
        Nomination.objects.filter(authority=authority, status=Status.PROPOSED)
        .select_related("enterprise")
        .order_by("pk")
    )
    form = NoticeForm(request.POST or None, proposals=proposals)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = services.notice_publish(
                authority=authority,
                title=data["title"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                nominations=list(data["nominations"]),
                actor=request.user,
                ip_address=client_ip(request),
            )
        except ValidationError as exc:
            _form_errors_from(form, exc)
        except FilingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The public notice is published."))
            return redirect(notice)
    return render(request, "nominations/notice_form.html", {"authority": authority, "form": form})


# --- Public notices --------------------------------------------------------------------------


def notice_list(request: HttpRequest) -> HttpResponse:
    """Every authority's public notices from their first day on, for anyone."""
    page = keyset_paginate(
        PublicNotice.objects.started().select_related("authority"),
        ordering=["-starts_on", "-id"],
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        page_size=PAGE_SIZE,
    )
    return render(request, "nominations/notice_list.html", {"page": page})


def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice as the public reads it (enterprise names, titles, industry, action area,
    the summaries approved for publication, the dates); the authority's reviewers also see
    how each proposal stands, and its lead reviewer designates from here once it has
    ended."""
    user: Any = request.user
    notice = selectors.get_notice_for_user(user, pk)
    manage = user.has_perm("nominations.manage_notice", notice)
    rows = selectors.notice_rows(notice)
    context: dict[str, Any] = {"notice": notice, "rows": rows, "manage": manage}
    if manage:
        context.update(
            {
                "can_designate": user.has_perm("nominations.designate_notice", notice)
                and notice.has_ended()
                and any(r.status == Status.IN_NOTICE for r in rows),
                "ended": notice.has_ended(),
            }
        )
    return render(request, "nominations/notice_detail.html", context)


@login_required
@require_POST
def notice_designate(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.get_notice_for_user(request.user, pk, perm="nominations.designate_notice")
    try:
        designated, held = services.notice_designate(
            notice=notice, actor=request.user, ip_address=client_ip(request)
        )
    except FilingError as exc:
        messages.error(request, exc.message)
        return redirect(notice)
    if designated:
        messages.success(
            request,
            ngettext(
                "%(n)d proposal designated: it is on the list.",
                "%(n)d proposals designated: they are on the list.",
                len(designated),
            )
            % {"n": len(designated)},
        )
    if held:
        messages.warning(
            request,
            ngettext(
                "%(n)d proposal held back: resolve the objections to it first.",
                "%(n)d proposals held back: resolve the objections to them first.",
                len(held),
            )
            % {"n": len(held)},
        )
    return redirect(notice)
