"""Reads for packets: an authority's packets page, a bundle for a lead reviewer, and the
matches of a verification."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from apps.enterprises.models import Authority
from apps.filings.models import Filing, FilingVersion
from apps.packets.models import Packet, PacketBundle, PacketKind, PacketState
from apps.reviews.models import Decision, Outcome
from apps.timeline.models import Deliverable

RECENT_BUNDLES = 10
FAILED_PACKETS_SHOWN = 50


def authority_deliverables(authority: Authority) -> list[Deliverable]:
    """Deliverables of active campaigns, and of any campaign with an approved packet here,
    each with ``approved_packets``: how many final packets are ready for this authority."""
    return list(
        Deliverable.objects.annotate(
            approved_packets=Count(
                "filings__versions__packets",
                filter=Q(
                    filings__enterprise__authority=authority,
                    filings__versions__packets__kind=PacketKind.FINAL,
                    filings__versions__packets__state=PacketState.READY,
                ),
            )
        )
        .filter(Q(campaign__is_active=True) | Q(approved_packets__gt=0))
        .select_related("campaign")
        .order_by("-campaign__is_active", "campaign__code", "due_on", "id")
    )


def get_authority_deliverable(pk: int) -> Deliverable:
    # Deliverables belong to campaigns, which every authority shares: no scope to check
    # beyond the authority's own, which the caller has checked.
    return get_object_or_404(Deliverable.objects.select_related("campaign"), pk=pk)


def recent_bundles(authority: Authority) -> list[PacketBundle]:
    return list(
        PacketBundle.objects.filter(authority=authority)
        .select_related("authority", "deliverable", "requested_by")
        .order_by("-created_at", "-id")[:RECENT_BUNDLES]
    )


def failed_packets(authority: Authority) -> list[Packet]:
    """Packets that could not be rendered (administrators retry them): shown so that
    reviewers know why a packet is missing."""
    return list(
        Packet.objects.for_authority(authority)
        .filter(state=PacketState.FAILED)
        .select_related("version__filing__enterprise", "version__filing__deliverable")
        .order_by("-created_at", "-id")[:FAILED_PACKETS_SHOWN]
    )


def get_bundle_for_user(user: Any, authority: Authority, pk: int) -> PacketBundle:
    """A bundle of this authority, for one of its lead reviewers; 404 for anyone else."""
    bundle = get_object_or_404(
        PacketBundle.objects.select_related("authority", "deliverable", "requested_by"),
        pk=pk,
        authority=authority,
    )
    if not user.has_perm("packets.bundle", bundle):
        from django.http import Http404

        raise Http404
    return bundle


# --- Verification ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """One thing a fingerprint matched, as the user may be told."""

    how: str  # "packet" (the PDF file itself), "embedded" (its version.json), "version"
    version: FilingVersion
    packet_kind: str | None
    filing_number: str | None

    @property
    def filing(self) -> Filing:
        return self.version.filing

    @property
    def packet_kind_label(self) -> str:
        return str(PacketKind(self.packet_kind).label) if self.packet_kind else ""


def _visible_frozen_versions(user: Any) -> Any:
    return FilingVersion.objects.frozen().filter(filing__in=Filing.objects.for_user(user))


def verification_matches(
    user: Any,
    *,
    file_sha256: str | None = None,
    version_sha256: str | None = None,
    embedded: bool = False,
) -> list[Match]:
    """What ``file_sha256`` (a packet's PDF) and ``version_sha256`` (a version's fingerprint)
    match among the filed versions ``user`` may see. Matches outside their scope are left
    out, so that "no match" tells an outsider nothing. ``embedded``: the version hash was
    read from an uploaded PDF's version.json. Three queries at most."""
    related = (
        "filing__enterprise__authority",
        "filing__deliverable__campaign",
    )
    matches: list[Match] = []
    if file_sha256:
        packets = (
            Packet.objects.filter(sha256=file_sha256, state=PacketState.READY)
            .filter(version__in=_visible_frozen_versions(user))
            .select_related(*(f"version__{r}" for r in related))
            .order_by("version_id", "kind")
        )
        matches += [Match("packet", p.version, p.kind, None) for p in packets]
    if version_sha256:
        versions = (
            _visible_frozen_versions(user)
            .filter(sha256=version_sha256)
            .select_related(*related)
            .order_by("id")
        )
        how = "embedded" if embedded else "version"
        matches += [Match(how, v, None, None) for v in versions]
    if not matches:
        return []
    numbers = dict(
        Decision.objects.filter(
            version_id__in={m.version.pk for m in matches}, outcome=Outcome.APPROVE
        ).values_list("version_id", "filing_number")
    )
    return [Match(m.how, m.version, m.packet_kind, numbers.get(m.version.pk)) for m in matches]
