"""The packets of a filing's versions, on the filing page."""

from typing import Any

from django.http import HttpRequest

from apps.enterprises.panels import Panel
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
    return Panel("packets/_panel.html", {"packets": packets}, order=30)


register_filing_panel(packets_panel)
