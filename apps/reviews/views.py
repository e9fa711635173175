"""Review actions on a filing page: assign, comment, recommend, decide. Each is a POST that
calls a service and returns to the filing; refusals come back as a clear message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.models import User
from apps.core.http import client_ip
from apps.enterprises.selectors import get_authority_for_user
from apps.filings.describe import anchor_value
from apps.filings.http import run_action
from apps.filings.selectors import get_filing_for_user, visible_versions
from apps.filings.services import FilingError
from apps.reviews import services
from apps.reviews.dashboard import authority_dashboard
from apps.reviews.models import Outcome
from apps.reviews.panels import comment_draft_key
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


# Which part of the comment form a refusal is about: the text, or what it is about.
BODY_ERRORS = {"body"}


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a comment and return to the filing. A refused comment is not lost: its text,
    target and the reason wait in the session, and the form shows them where it stands
    (post, redirect, get, as for any other action)."""
    filing = get_filing_for_user(request.user, pk, perm="reviews.comment")
    number = request.POST.get("version", "")
    versions = {v.number: v for v in visible_versions(request.user, filing)}
    version = versions.get(int(number)) if number.isdigit() else None
    if version is None or not version.is_frozen:
        raise Http404
    anchor = _anchor(request)
    body = request.POST.get("body", "")
    internal = request.POST.get("internal") == "yes"
    try:
        services.comment_add(
            filing=filing,
            version=version,
            author=request.user,
            body=body,
            internal=internal,
            **anchor,
            ip_address=client_ip(request),
        )
    except FilingError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        where = set(getattr(exc, "error_dict", {}))
        request.session[comment_draft_key(filing.pk)] = {
            "body": body,
            "anchor": request.POST.get("anchor") or anchor_value(**anchor),
            "internal": internal,
            "error": " ".join(exc.messages),
            "field": "body" if where and where <= BODY_ERRORS else "anchor",
        }
        return redirect(f"{filing.get_absolute_url()}#comment-errors")
    else:
        messages.success(request, _("Comment added."))
    return redirect(filing)


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
