"""Review actions on a filing page: assign, comment, recommend, decide. Each is a POST that
calls a service and returns to the filing; refusals come back as a clear message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.models import User
from apps.core.http import client_ip
from apps.enterprises.selectors import get_authority_for_user
from apps.filings.http import run_action
from apps.filings.selectors import get_filing_for_user, visible_versions
from apps.filings.services import FilingError
from apps.reviews import services
from apps.reviews.dashboard import authority_dashboard
from apps.reviews.models import Outcome
from apps.reviews.selectors import review_settings_for


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    filing = get_filing_for_user(request.user, pk, perm="reviews.decide")
    outcome = request.POST.get("outcome", "")
    if outcome not in Outcome.values:
        raise Http404
    reasons = request.POST.get("reasons", "").strip()
    return run_action(
        request,
        filing,
        lambda: services.decision_make(
            filing=filing,
            outcome=outcome,
            reasons=reasons,
            actor=request.user,
            ip_address=client_ip(request),
        ),
        _("Decision recorded."),
    )


@login_required
@require_POST
def recommend(request: HttpRequest, pk: int) -> HttpResponse:
    filing = get_filing_for_user(request.user, pk, perm="reviews.recommend")
    outcome = request.POST.get("outcome", "")
    if outcome not in Outcome.values:
        raise Http404
    return run_action(
        request,
        filing,
        lambda: services.recommendation_make(
            filing=filing,
            outcome=outcome,
            reasoning=request.POST.get("reasoning", "").strip(),
            actor=request.user,
            ip_address=client_ip(request),
        ),
        _("Recommendation recorded."),
    )


def _anchor(request: HttpRequest) -> dict[str, str]:
    """The comment's anchor, from "section|field|row" (the panel's select) or separate
    fields; the service checks that it exists in the version."""
    if "anchor" in request.POST:
        parts = [*request.POST.get("anchor", "").split("|"), "", "", ""][:3]
        return {"section": parts[0], "field": parts[1], "row_id": parts[2]}
    return {
        "section": request.POST.get("section", ""),
        "field": request.POST.get("field", ""),
        "row_id": request.POST.get("row_id", ""),
    }


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    filing = get_filing_for_user(request.user, pk, perm="reviews.comment")
    number = request.POST.get("version", "")
    versions = {v.number: v for v in visible_versions(request.user, filing)}
    version = versions.get(int(number)) if number.isdigit() else None
    if version is None or not version.is_frozen:
        raise Http404
    return run_action(
        request,
        filing,
        lambda: services.comment_add(
            filing=filing,
            version=version,
            author=request.user,
            body=request.POST.get("body", "").strip(),
            internal=request.POST.get("internal") == "yes",
            **_anchor(request),
            ip_address=client_ip(request),
        ),
        _("Comment added."),
    )


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    filing = get_filing_for_user(request.user, pk)
    if request.POST.get("self") == "yes":
        return run_action(
            request,
            filing,
            lambda: services.assignment_self(
                filing=filing, actor=request.user, ip_address=client_ip(request)
            ),
            _("You are now reviewing this filing."),
        )
    if not request.user.has_perm("reviews.assign", filing):
        raise Http404
    ids = [int(v) for v in request.POST.getlist("reviewers") if v.isdigit()]
    reviewers = list(User.objects.filter(pk__in=ids))
    if not reviewers:
        messages.error(request, _("Choose at least one reviewer."))
        return redirect(filing)
    return run_action(
        request,
        filing,
        lambda: services.assignment_create(
            filing=filing, reviewers=reviewers, actor=request.user, ip_address=client_ip(request)
        ),
        _("Reviewers assigned."),
    )


@login_required
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    authority = get_authority_for_user(request.user, code, perm="enterprises.lead_authority")
    return render(
        request,
        "reviews/dashboard.html",
        {
            "authority": authority,
            "dashboard": authority_dashboard(authority),
            "settings": review_settings_for(authority),
        },
    )


@login_required
@require_POST
def settings_update(request: HttpRequest, code: str) -> HttpResponse:
    authority = get_authority_for_user(request.user, code, perm="enterprises.lead_authority")
    try:
        services.review_settings_update(
            authority=authority,
            reviewers_may_self_assign=request.POST.get("reviewers_may_self_assign") == "yes",
            actor=request.user,
            ip_address=client_ip(request),
        )
    except FilingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Review settings saved."))
    return redirect("reviews:dashboard", code=authority.code)
