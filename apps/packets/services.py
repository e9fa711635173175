"""Writes of packets: ask for one, render one."""

import hashlib
import os
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.filings.models import FilingVersion
from apps.packets.models import Packet, PacketState
from apps.packets.rendering import render_packet_pdf

PACKET_DIR = "packets"


def packet_path(packet: Packet) -> Path:
    return Path(settings.MEDIA_ROOT) / packet.file


@transaction.atomic
def packet_request(*, version_id: int, kind: str) -> tuple[Packet, bool]:
    """The packet of this kind for this version, created pending if there is none yet."""
    version = FilingVersion.objects.get(pk=version_id)
    return Packet.objects.get_or_create(version=version, kind=kind)


def _write_atomically(path: Path, data: bytes) -> None:
    """Readers see the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pdf")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def packet_render(*, packet_id: int) -> Packet:
    """Render the packet's PDF (a ready packet is returned as it is). The row stays locked
    while rendering, so two workers given the same packet render it once. A failure is
    recorded on the row, then re-raised for the task to retry."""
    failure: Exception | None = None
    with transaction.atomic():
        packet = (
            Packet.objects.select_for_update(of=("self",))
            .select_related("version")
            .get(pk=packet_id)
        )
        if packet.state == PacketState.READY:
            return packet
        packet.attempts += 1
        packet.state = PacketState.RENDERING
        if not packet.file:
            packet.file = f"{PACKET_DIR}/{uuid.uuid4().hex}.pdf"
        try:
            pdf = render_packet_pdf(packet.version, kind=packet.kind)
            _write_atomically(packet_path(packet), pdf)
        except Exception as exc:
            packet.state = PacketState.FAILED
            packet.error = f"{type(exc).__name__}: {exc}"[:5000]
            failure = exc
        else:
            packet.state = PacketState.READY
            packet.size = len(pdf)
            packet.sha256 = hashlib.sha256(pdf).hexdigest()
            packet.error = ""
            packet.rendered_at = timezone.now()
        packet.save()
    if failure is not None:
        raise failure
    return packet
