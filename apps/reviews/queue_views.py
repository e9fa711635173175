"""The review queue page and its two actions: the lead reviewer's bulk assignment and a
reviewer taking an unassigned filing. Both actions accept only filings of the queue they were
posted to, and return to it with its filters and page."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.models import User
from apps.core.http import client_ip
from apps.core.pagination import keyset_paginate
from apps.filings.services import FilingError
from apps.reviews import services
from apps.reviews.bodies import ReviewingBody, authority_body_for_user, group_body_for_user
from apps.reviews.queue import (
    PAGE_SIZE,
    QueueFilter,
    active_assignments,
    queue_filings,
    queue_reviewers,
    queue_rows,
    queue_state_counts,
    submitted_filings,
)
from apps.reviews.selectors import review_settings_for


def _back_to_queue(request: HttpRequest, body: ReviewingBody) -> HttpResponseRedirect:
    """The queue as the form was posted from: its filters and page, re-encoded (so that
    only a query string of our own queue URL can come out of it)."""
    query = QueryDict(request.POST.get("query", "")).urlencode()
    url = body.url("queue")
    return HttpResponseRedirect(f"{url}?{query}" if query else url)


def _ids(values: list[str]) -> set[int]:
    """Ids from a form; anything else is a forged request."""
    if not all(v.isdigit() for v in values):
        raise Http404
    return {int(v) for v in values}


@login_required
@require_GET
def queue(request: HttpRequest, code: str) -> HttpResponse:
    """The authority's filings for its reviewers (administrators: any authority's, read
    only). Anyone else gets a 404."""
    return _queue(request, authority_body_for_user(request.user, code))


@login_required
@require_GET
def group_queue(request: HttpRequest, credit_code: str) -> HttpResponse:
    """What a group's subsidiaries file to it, for the group's reviewers; anyone else (the
    subsidiaries, the commission, another group) gets a 404."""
    return _queue(request, group_body_for_user(request.user, credit_code))


def _queue(request: HttpRequest, body: ReviewingBody) -> HttpResponse:
    authority = body.authority
    now = timezone.now()
    filterset = QueueFilter(
        request.GET,
        queryset=queue_filings(body),
        user=request.user,
        now=now,
        authority=authority,
    )
    queryset = filterset.qs
    page = keyset_paginate(
        queryset.select_related("enterprise", "deliverable__campaign").prefetch_related(
            active_assignments()
        ),
        ordering=filterset.ordering,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        page_size=PAGE_SIZE,
    )
    params = request.GET.copy()
    for key in ("after", "before"):
        params.pop(key, None)
    user: Any = request.user
    can_assign = body.is_lead_reviewer(user)
    counts = queue_state_counts(body)
    states = filterset.states
    if states is None:
        total = queryset.count()
    else:  # the state alone narrows the list: its length is in the counts already
        total = sum(n for state, _label, n in counts if state in states)
    return render(
        request,
        "reviews/queue.html",
        {
            "authority": authority,
            "body": body,
            "queue_url": body.url("queue"),
            "assign_url": body.url("queue_assign"),
            "take_url": body.url("queue_take"),
            "filter": filterset,
            "page": page,
            "rows": queue_rows(page.object_list, now=now),
            "total": total,
            "queue_total": sum(n for _state, _label, n in counts),
            "state_counts": counts,
            "query_string": params.urlencode(),
            "return_query": request.GET.urlencode(),
            "can_assign": can_assign,
            "can_take": body.is_reviewer(user)
            and review_settings_for(authority).reviewers_may_self_assign,
            "reviewer_choices": list(queue_reviewers(body)) if can_assign else [],
        },
    )


@login_required
@require_POST
def queue_assign(request: HttpRequest, code: str) -> HttpResponse:
    return _queue_assign(request, authority_body_for_user(request.user, code))


@login_required
@require_POST
def group_queue_assign(request: HttpRequest, credit_code: str) -> HttpResponse:
    return _queue_assign(request, group_body_for_user(request.user, credit_code))


def _queue_assign(request: HttpRequest, body: ReviewingBody) -> HttpResponse:
    """Assign the same reviewers to the filings ticked in the queue: the body's lead
    reviewer only. A filing id outside this queue refuses the whole request (404), before
    anything is written."""
    if not body.is_lead_reviewer(request.user):
        raise Http404
    filing_ids = _ids(request.POST.getlist("filings"))
    filings = list(
        submitted_filings(body)
        .filter(pk__in=filing_ids)
        .select_related("enterprise__authority", "deliverable__campaign")
    )
    if len(filings) != len(filing_ids):
        raise Http404
    reviewer_ids = _ids(request.POST.getlist("reviewers"))
    reviewers = list(User.objects.filter(pk__in=reviewer_ids))
    back = _back_to_queue(request, body)
    if not filings:
        messages.error(request, _("Choose at least one filing."))
        return back
    if not reviewers:
        messages.error(request, _("Choose at least one reviewer."))
        return back
    try:
        services.assignments_bulk(
            filings=filings, reviewers=reviewers, actor=request.user, ip_address=client_ip(request)
        )
    except FilingError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            ngettext(
                "Reviewers assigned to %(count)d filing.",
                "Reviewers assigned to %(count)d filings.",
                len(filings),
            )
            % {"count": len(filings)},
        )
    return back


@login_required
@require_POST
def queue_take(request: HttpRequest, code: str) -> HttpResponse:
    return _queue_take(request, authority_body_for_user(request.user, code))


@login_required
@require_POST
def group_queue_take(request: HttpRequest, credit_code: str) -> HttpResponse:
    return _queue_take(request, group_body_for_user(request.user, credit_code))


def _queue_take(request: HttpRequest, body: ReviewingBody) -> HttpResponse:
    """A reviewer of the body takes an unassigned filing of its queue, where its authority
    allows it (the service decides and says why not)."""
    if not body.is_reviewer(request.user):
        raise Http404
    raw_id = request.POST.get("filing", "")
    if not raw_id.isdigit():
        raise Http404
    filing = get_object_or_404(
        submitted_filings(body).select_related("enterprise__authority", "deliverable__campaign"),
        pk=int(raw_id),
    )
    try:
        services.assignment_self(filing=filing, actor=request.user, ip_address=client_ip(request))
    except FilingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You are now reviewing this filing."))
    return _back_to_queue(request, body)
