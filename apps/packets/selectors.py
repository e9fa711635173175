"""Reads for packets: an authority's packets page, a bundle for a lead reviewer, and the
matches of a verification."""

from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db import models
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from apps.enterprises.models import Authority
from apps.filings.models import Filing, FilingVersion
from apps.filings.selectors import visible_versions
from apps.filings.workflow import State
from apps.packets.models import Packet, PacketBundle, PacketKind, PacketState
from apps.reviews.models import Decision, Outcome
from apps.timeline.models import Deliverable

RECENT_BUNDLES = 10
FAILED_PACKETS_SHOWN = 50


def authority_deliverables(authority: Authority) -> list[Deliverable]:
    """Deliverables of active campaigns, and of any campaign with an approved packet here,
    each with ``approved_packets``: how many final packets of versions in force are ready
    for this authority, i.e. how many files its ZIP holds (services.bundle_packets); the
    packet of a superseded approved version is not counted."""
    return list(
        Deliverable.objects.annotate(
            approved_packets=Count(
                "filings__approved_version__packets",
                filter=Q(
                    filings__enterprise__authority=authority,
                    filings__reviewing_group__isnull=True,
                    filings__approved_version__packets__kind=PacketKind.FINAL,
                    filings__approved_version__packets__state=PacketState.READY,
                ),
            )
        )
        .filter(Q(campaign__is_active=True) | Q(approved_packets__gt=0))
        # Another authority's own deliverable (its half-yearly summaries) is not filed here.
        .for_authority(authority.pk)
        .select_related("campaign")
        .order_by("-campaign__is_active", "campaign__code", "due_on", "id")
    )


def get_authority_deliverable(pk: int, authority: Authority | None = None) -> Deliverable:
    """A deliverable of the campaigns every authority shares, or ``authority``'s own; a 404
    for another authority's own. The authority is the caller's to check."""
    queryset = Deliverable.objects.select_related("campaign")
    if authority is not None:
        queryset = queryset.for_authority(authority.pk)
    return get_object_or_404(queryset, pk=pk)


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


class Standing(models.TextChoices):
    """Where a matched version stands in its filing, as the verification page says it."""

    IN_FORCE = "in_force", _("In force")
    SUPERSEDED = "superseded", _("Superseded")
    RETURNED = "returned", _("Returned for revision")
    NOT_FILED = "not_filed", _("Not filed")


# How each standing looks: only the version in force is green.
STANDING_ALERT = {
    Standing.IN_FORCE: "success",
    Standing.SUPERSEDED: "warning",
    Standing.RETURNED: "danger",
    Standing.NOT_FILED: "secondary",
}
STANDING_BADGE = {
    Standing.IN_FORCE: "status-approved",
    Standing.SUPERSEDED: "status-overdue",
    Standing.RETURNED: "status-returned",
    Standing.NOT_FILED: "status-submitted",
}


@dataclass(frozen=True)
class VersionStanding:
    """A matched version against the one in force (``filing.approved_version``):

    - it is the version in force: IN_FORCE;
    - it was returned (its decision is a return): RETURNED, wherever it lies;
    - it is older than the version in force: SUPERSEDED by it;
    - otherwise (a filing never approved, or newer than the version in force, submitted or
      withdrawn without a decision): NOT_FILED.

    ``in_force`` is the version in force only where the user may see it (else None, and the
    page does not name it); ``has_in_force`` says whether there is one at all. ``later`` is,
    for the version in force, a newer submission awaiting its decision."""

    version: FilingVersion
    status: str
    has_in_force: bool
    in_force: FilingVersion | None
    in_force_number: str | None
    later: FilingVersion | None

    @property
    def status_label(self) -> str:
        return str(Standing(self.status).label)

    @property
    def alert_class(self) -> str:
        return STANDING_ALERT[Standing(self.status)]

    @property
    def badge_class(self) -> str:
        return STANDING_BADGE[Standing(self.status)]

    def audit_data(self) -> dict[str, Any]:
        """What the page showed about this version, for the verification's audit row."""
        return {
            "filing": self.version.filing_id,
            "version": self.version.number,
            "status": self.status,
            "in_force": self.in_force.number if self.in_force else None,
            "in_force_number": self.in_force_number if self.in_force else None,
            "later": self.later.number if self.later else None,
        }


@dataclass(frozen=True)
class Match:
    """One thing a fingerprint matched, as the user may be told."""

    how: str  # "packet" (the PDF file itself), "embedded" (its version.json), "version"
    version: FilingVersion
    packet_kind: str | None
    filing_number: str | None
    standing: VersionStanding | None = None

    @property
    def filing(self) -> Filing:
        return self.version.filing

    @property
    def packet_kind_label(self) -> str:
        return str(PacketKind(self.packet_kind).label) if self.packet_kind else ""


def _visible_frozen_versions(user: Any) -> Any:
    return FilingVersion.objects.frozen().filter(filing__in=Filing.objects.for_user(user))


# A later submission is awaiting its decision in these states (not after a return or a
# withdrawal, when the enterprise is back at a draft).
AWAITING_DECISION = (State.SUBMITTED, State.UNDER_REVIEW)


def _standings(
    user: Any, versions: list[FilingVersion]
) -> tuple[dict[int, VersionStanding], dict[int, str]]:
    """The standing of each version, and the filing numbers of those approved (both by
    version pk). Two queries whatever the number of versions: the versions to name (in
    force, later submission) through the filings' own visibility rule, and the decisions."""
    filings = {v.filing_id: v.filing for v in versions}
    named_ids: set[int] = {
        pk
        for f in filings.values()
        for pk in (f.approved_version_id, f.latest_submitted_id)
        if pk is not None
    }
    visible: dict[int, FilingVersion] = {}
    if named_ids:
        # One query for all filings: each filing's visible_versions(), OR-ed together.
        scoped = reduce(or_, (visible_versions(user, f) for f in filings.values()))
        visible = {v.pk: v for v in scoped.filter(pk__in=named_ids)}
    # A version has at most one decision: it ends the review of that version.
    decisions = {
        version_id: (outcome, number)
        for version_id, outcome, number in Decision.objects.filter(
            version_id__in={v.pk for v in versions} | named_ids
        ).values_list("version_id", "outcome", "filing_number")
    }
    numbers = {pk: number for pk, (_outcome, number) in decisions.items() if number}
    result: dict[int, VersionStanding] = {}
    for v in versions:
        filing = v.filing
        in_force_id = filing.approved_version_id
        in_force = visible.get(in_force_id) if in_force_id else None
        later = None
        if in_force_id == v.pk:
            status = Standing.IN_FORCE
            if filing.latest_submitted_id != v.pk and filing.state in AWAITING_DECISION:
                later = visible.get(filing.latest_submitted_id or 0)
        elif decisions.get(v.pk, ("", None))[0] == Outcome.RETURN:
            status = Standing.RETURNED
        elif filing.approved_version is not None and v.number < filing.approved_version.number:
            status = Standing.SUPERSEDED
        else:
            status = Standing.NOT_FILED
        result[v.pk] = VersionStanding(
            version=v,
            status=status,
            has_in_force=in_force_id is not None,
            in_force=in_force,
            in_force_number=numbers.get(in_force_id) if in_force_id else None,
            later=later,
        )
    return result, numbers


def verification_matches(
    user: Any,
    *,
    file_sha256: str | None = None,
    version_sha256: str | None = None,
    embedded: bool = False,
) -> list[Match]:
    """What ``file_sha256`` (a packet's PDF) and ``version_sha256`` (a version's fingerprint)
    match among the filed versions ``user`` may see, each with its standing (in force,
    superseded, ...). Matches outside their scope are left out, so that "no match" tells an
    outsider nothing. ``embedded``: the version hash was read from an uploaded PDF's
    version.json. Four queries at most."""
    related = (
        "filing__enterprise__authority",
        "filing__deliverable__campaign",
        "filing__approved_version",
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
    distinct = list({m.version.pk: m.version for m in matches}.values())
    standings, numbers = _standings(user, distinct)
    return [
        Match(m.how, m.version, m.packet_kind, numbers.get(m.version.pk), standings[m.version.pk])
        for m in matches
    ]


def verification_standings(matches: list[Match]) -> list[VersionStanding]:
    """The standings of the matched versions, each once, in the order of the matches."""
    seen: dict[int, VersionStanding] = {}
    for m in matches:
        if m.standing is not None:
            seen.setdefault(m.version.pk, m.standing)
    return list(seen.values())
