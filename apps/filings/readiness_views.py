"""The “ready for the lead” button of the filing page (see ``apps.filings.readiness``)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.http import client_ip
from apps.filings.http import run_action
from apps.filings.readiness import filing_mark_ready
from apps.filings.selectors import get_filing_for_user


@login_required
@require_POST
def ready_for_lead(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the open draft (or the ticked sections) ready for the lead. The enterprise's own
    people only: anyone else, reviewers included, gets the outsider's 404."""
    filing = get_filing_for_user(request.user, pk, perm="filings.view_drafts")
    return run_action(
        request,
        filing,
        lambda: filing_mark_ready(
            filing=filing,
            actor=request.user,
            sections=request.POST.getlist("sections"),
            note=request.POST.get("note", ""),
            ip_address=client_ip(request),
        ),
        _("Marked ready for the lead to review; the enterprise's leads have been told."),
    )
