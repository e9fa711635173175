"""The packets of a filing's versions, on the filing page; the way to an authority's packets
page (ZIP files, failed packets), on the authority page for its lead reviewers."""

from typing import Any

from django.http import HttpRequest

from apps.enterprises.panels import Panel, register_authority_panel
from apps.enterprises.scopes import scope_for
from apps.filings.panels import register_filing_panel
from apps.filings.selectors import visible_versions
from apps.packets.models import Packet


def packets_panel(request: HttpRequest, filing: Any) -> Panel | None:
    packets = list(
        Packet.objects.filter(version__in=visible_versions(request.user, filing))
        .select_related("version")
        .order_by("-version__number", "kind")
    )
    if not packets:
        return None
    return Panel(
        "packets/_panel.html",
        {"packets": packets, "can_retry": scope_for(request.user).is_admin},
        order=30,
    )


def authority_packets_panel(request: HttpRequest, authority: Any) -> Panel | None:
    """No query: the permission reads the user's cached scope."""
    if not request.user.has_perm("packets.bundle", authority):
        return None
    return Panel("packets/_authority_panel.html", {"authority": authority}, order=45)


register_filing_panel(packets_panel)
register_authority_panel(authority_packets_panel)
