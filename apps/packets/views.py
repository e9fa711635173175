from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404

from apps.filings.selectors import get_filing_for_user, visible_versions
from apps.packets.models import Packet, PacketState
from apps.packets.services import packet_path


@login_required
def packet_download(request: HttpRequest, pk: int, packet_pk: int) -> FileResponse:
    """A packet of a version this user may see (404 otherwise, and while not rendered)."""
    filing = get_filing_for_user(request.user, pk)
    packet = get_object_or_404(
        Packet.objects.select_related("version"),
        pk=packet_pk,
        version__in=visible_versions(request.user, filing),
        state=PacketState.READY,
    )
    path = packet_path(packet)
    if not path.exists():
        raise Http404
    name = f"{filing.enterprise.credit_code}-v{packet.version.number}-{packet.kind}.pdf"
    return FileResponse(path.open("rb"), as_attachment=True, filename=name,
                        content_type="application/pdf")  # fmt: skip
