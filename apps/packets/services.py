"""Writes of packets: ask for one, render one, retry one; bundles of final packets (ask,
build, expire); the record of a verification."""

import hashlib
import logging
import os
import tempfile
import time
import uuid
import zipfile
from collections.abc import Mapping, Sequence
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from apps.audit.services import audit_log
from apps.core.files import safe_name_part
from apps.enterprises.models import Authority, short_legal_name
from apps.filings.models import FilingVersion
from apps.packets.models import (
    BUNDLE_OPEN_STATES,
    BundleState,
    Packet,
    PacketBundle,
    PacketKind,
    PacketState,
)
from apps.packets.rendering import render_packet_pdf
from apps.reviews.models import Decision, Outcome
from apps.timeline.models import Deliverable

logger = logging.getLogger(__name__)

PACKET_DIR = "packets"
BUNDLE_DIR = "bundles"
BUNDLE_SUMS_NAME = "SHA256SUMS"
# How long a built ZIP may be downloaded; the cleanup task deletes the file afterwards.
BUNDLE_TTL = timedelta(days=7)


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
        # Only the real-worker tests set this (config/settings/worker_test.py): a render slow
        # enough to kill the worker in the middle of it, with the row locked.
        delay = float(getattr(settings, "PACKETS_TEST_RENDER_DELAY", 0) or 0)
        if delay:
            time.sleep(delay)
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


@transaction.atomic
def packet_retry(*, packet_id: int, actor: Any, ip_address: str | None = None) -> bool:
    """Queue a packet that is not ready (failed, or stuck) for rendering again. Used by the
    admin action and the administrator's button on the filing page. Returns False, doing
    nothing, for a ready packet."""
    from apps.packets.tasks import render_packet

    packet = Packet.objects.select_for_update(of=("self",)).get(pk=packet_id)
    if packet.state == PacketState.READY:
        return False
    previous = packet.state
    packet.state = PacketState.PENDING
    packet.save(update_fields=["state"])
    audit_log(
        actor=actor,
        action="packet.retry",
        target=packet,
        data={"previous_state": previous, "error": packet.error[:500]},
        ip_address=ip_address,
    )
    # DjangoTask's delay_on_commit is unknown to celery-types.
    render_packet.delay_on_commit(packet.pk)  # type: ignore[attr-defined]
    return True


# --- Bundles ---------------------------------------------------------------------------------


def bundle_packets(authority: Authority, deliverable: Deliverable) -> Any:
    """What a bundle contains: of this deliverable's filings by the enterprises this authority
    supervises, the final packet (rendered) of the version in force, one per filing, never
    that of a superseded approved version. Each packet carries ``filing_number``, that of
    the decision which approved the version in force."""
    number = Decision.objects.filter(version=OuterRef("version"), outcome=Outcome.APPROVE).values(
        "filing_number"
    )[:1]
    return (
        Packet.objects.for_authority(authority)
        .filter(
            kind=PacketKind.FINAL,
            state=PacketState.READY,
            version__filing__deliverable=deliverable,
            version=F("version__filing__approved_version"),
        )
        .annotate(filing_number=Subquery(number))
        .select_related("version__filing__enterprise")
        .order_by("version__filing__enterprise__credit_code", "version__number")
    )


def bundle_request(
    *, authority: Authority, deliverable: Deliverable, actor: Any, ip_address: str | None = None
) -> tuple[PacketBundle, bool]:
    """A bundle of the deliverable's approved packets for the authority. While one is waiting
    or being built, it is returned instead of a second one (created False)."""
    from apps.packets.tasks import build_bundle

    with transaction.atomic():
        existing = PacketBundle.objects.open().filter(authority=authority, deliverable=deliverable)
        bundle = existing.first()
        if bundle is not None:
            return bundle, False
        try:
            with transaction.atomic():
                bundle = PacketBundle.objects.create(
                    authority=authority, deliverable=deliverable, requested_by=actor
                )
        except IntegrityError:
            # Someone asked at the same moment: theirs is the one (packet_bundle_one_open).
            return existing.get(), False
        audit_log(
            actor=actor,
            action="packet_bundle.request",
            target=bundle,
            data={"authority": authority.code, "deliverable": deliverable.pk},
            ip_address=ip_address,
        )
        build_bundle.delay_on_commit(bundle.pk)  # type: ignore[attr-defined]
    return bundle, True


def bundle_arcname(packet: Packet) -> str:
    """``{filing number}_{short name}_{credit code}.pdf``, e.g.
    ``VC2023-SASAC-0007_中国测试能源集团_91350100M000100Y43.pdf``. ``packet`` comes from
    bundle_packets (with its ``filing_number``)."""
    enterprise = packet.version.filing.enterprise
    parts = (
        getattr(packet, "filing_number", None) or f"v{packet.version.number}",
        short_legal_name(enterprise.name_zh) or enterprise.credit_code,
        enterprise.credit_code,
    )
    return "_".join(safe_name_part(p) for p in parts) + ".pdf"


def bundle_build(*, bundle_id: int) -> PacketBundle:
    """Write the bundle's ZIP: every packet streamed from disk into a temporary file, the
    progress saved after each, then the file handed to default_storage. Idempotent: a
    bundle already ready (or expired) is returned as it is, and of two workers given the
    same bundle, the second to finish throws its file away. A failure is recorded on the
    row, then re-raised for the task to retry."""
    with transaction.atomic():
        bundle = (
            PacketBundle.objects.select_for_update(of=("self",))
            .select_related("authority", "deliverable", "requested_by")
            .get(pk=bundle_id)
        )
        if bundle.state not in (*BUNDLE_OPEN_STATES, BundleState.FAILED):
            return bundle
        packets = list(bundle_packets(bundle.authority, bundle.deliverable))
        bundle.state = BundleState.RUNNING
        bundle.total = len(packets)
        bundle.done = 0
        bundle.error = ""
        bundle.save(update_fields=["state", "total", "done", "error"])

    tmp_dir = Path(settings.MEDIA_ROOT) / BUNDLE_DIR
    tmp_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix=".tmp-", suffix=".zip")
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha256()
        sums: list[str] = []
        with os.fdopen(fd, "w+b") as out:
            # PDFs are compressed already: stored, not deflated, costs no CPU for no gain.
            with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as zf:
                for n, packet in enumerate(packets, start=1):
                    name = bundle_arcname(packet)
                    zf.write(packet_path(packet), arcname=name)
                    sums.append(f"{packet.sha256}  {name}")
                    # Autocommit: the progress page sees each step.
                    PacketBundle.objects.filter(pk=bundle.pk).update(done=n)
                # The format `sha256sum -c SHA256SUMS` checks: "<hex>  <name>" per line.
                zf.writestr(BUNDLE_SUMS_NAME, "\n".join(sums) + "\n")
            out.flush()
            out.seek(0)
            for chunk in iter(lambda: out.read(1 << 20), b""):
                digest.update(chunk)
            size = out.tell()
            with transaction.atomic():
                bundle = (
                    PacketBundle.objects.select_for_update(of=("self",))
                    .select_related("authority", "deliverable", "requested_by")
                    .get(pk=bundle_id)
                )
                if bundle.state != BundleState.RUNNING:
                    return bundle  # another worker finished it first
                out.seek(0)
                bundle.file = default_storage.save(
                    f"{BUNDLE_DIR}/{uuid.uuid4().hex}.zip", File(out)
                )
                now = timezone.now()
                bundle.state = BundleState.READY
                bundle.done = bundle.total
                bundle.size = size
                bundle.sha256 = digest.hexdigest()
                bundle.finished_at = now
                bundle.expires_at = now + BUNDLE_TTL
                bundle.save()
                _notify_bundle_ready(bundle)
    except Exception as exc:
        PacketBundle.objects.filter(pk=bundle_id, state=BundleState.RUNNING).update(
            state=BundleState.FAILED, error=f"{type(exc).__name__}: {exc}"[:5000]
        )
        raise
    finally:
        tmp.unlink(missing_ok=True)
    logger.info("packet bundle %s ready: %s", bundle.pk, bundle.file)
    return bundle


def _notify_bundle_ready(bundle: PacketBundle) -> None:
    from apps.notifications.models import Verb
    from apps.notifications.phrases import bilingual_params
    from apps.notifications.services import notify

    # Both names: the title is worded when read, in the reader's language.
    notify(
        recipients=[bundle.requested_by],
        verb=Verb.BUNDLE_READY,
        filing=None,
        params={
            "bundle": bundle.pk,
            "authority_code": bundle.authority.code,
            **bilingual_params(
                deliverable=(bundle.deliverable.title_zh, bundle.deliverable.title_en),
                authority=(bundle.authority.name_zh, bundle.authority.name_en),
            ),
        },
        url=bundle.get_absolute_url(),
    )


def bundle_expire(*, now: Any = None) -> int:
    """Delete the files of bundles past their expiry and mark them expired. Returns how many.
    Run periodically (apps.packets.tasks.expire_bundles)."""
    count = 0
    for bundle_id in PacketBundle.objects.expired_files(now).values_list("pk", flat=True):
        with transaction.atomic():
            bundle = (
                PacketBundle.objects.select_for_update(skip_locked=True)
                .filter(pk=bundle_id, state=BundleState.READY)
                .first()
            )
            if bundle is None:
                continue
            name = bundle.file
            bundle.state = BundleState.EXPIRED
            bundle.file = ""
            bundle.save(update_fields=["state", "file"])
            audit_log(actor=None, action="packet_bundle.expire", target=bundle, data={})
            if name:
                # After commit: a rolled-back expiry leaves the file in place.
                transaction.on_commit(partial(default_storage.delete, name))
            count += 1
    return count


# --- Verification ----------------------------------------------------------------------------


@transaction.atomic
def verification_record(
    *,
    actor: Any,
    method: str,
    sha256: str,
    matches: int,
    standings: Sequence[Mapping[str, Any]] = (),
    ip_address: str | None = None,
) -> None:
    """The audit row of a verification attempt: who checked which fingerprint, how many
    matches they were shown, and what they were told of each matched version (in force,
    superseded, ..., selectors.VersionStanding.audit_data)."""
    audit_log(
        actor=actor,
        action="packet.verify",
        target=actor,
        data={
            "method": method,
            "sha256": sha256,
            "matches": matches,
            "standings": [dict(s) for s in standings],
        },
        ip_address=ip_address,
    )
