"""Packets follow the workflow: a submission packet when a version is submitted, a final
one when it is approved. Registered with the filings app, which calls it after commit."""

from apps.filings.services import register_transition_hook
from apps.packets.models import PacketKind, PacketState
from apps.packets.services import packet_request

PACKET_FOR_ACTION = {"submit": PacketKind.SUBMISSION, "approve": PacketKind.FINAL}


@register_transition_hook
def request_packet(filing_id: int, action: str, version_id: int | None) -> None:
    kind = PACKET_FOR_ACTION.get(action)
    if kind is None or version_id is None:
        return
    from apps.packets.tasks import render_packet

    packet, _created = packet_request(version_id=version_id, kind=kind)
    if packet.state != PacketState.READY:
        # DjangoTask's delay_on_commit is unknown to celery-types.
        render_packet.delay_on_commit(packet.pk)  # type: ignore[attr-defined]
