from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.http import client_ip
from apps.enterprises.models import Enterprise
from apps.groups.panels import can_set_policy
from apps.groups.services import PolicyRefused, group_policy_set


@login_required
@require_POST
def policy_set(request: HttpRequest, credit_code: str) -> HttpResponse:
    """Which subsidiaries file to the group: its filing officer or its lead reviewer only;
    anyone else (another group, a subsidiary, the commission) gets a 404."""
    group = get_object_or_404(
        Enterprise.objects.for_user(request.user), credit_code=credit_code, parent__isnull=True
    )
    if not can_set_policy(request.user, group):
        raise Http404
    raw_tier = request.POST.get("max_tier", "")
    listed_ids = [int(v) for v in request.POST.getlist("listed") if v.isdigit()]
    listed = list(Enterprise.objects.filter(pk__in=listed_ids))
    if (not raw_tier.isdigit() and raw_tier != "") or len(listed) != len(set(listed_ids)):
        raise Http404  # a forged form
    try:
        group_policy_set(
            group=group,
            max_tier=int(raw_tier) if raw_tier else None,
            listed=listed,
            commission_sees_subsidiaries=request.POST.get("commission_sees") == "yes",
            actor=request.user,
            ip_address=client_ip(request),
        )
    except PolicyRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Saved: the subsidiaries that file to the group."))
    return redirect(group)
