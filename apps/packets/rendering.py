"""A version's packet as PDF/A-3b: cover, contents, every section through its kind's display
template, attachments, (final) review history, and the canonical JSON embedded as
version.json so that the file carries what its fingerprint is computed from."""

import re
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML, Attachment

from apps.filings.attachment_types import COVER_LETTER_CODE
from apps.filings.kinds import ATTACHMENTS_KEY, ROLLUP_KEY, get_kind
from apps.filings.models import AttachmentType, FilingVersion
from apps.packets.fetcher import StaticOnlyFetcher
from apps.packets.models import PacketKind
from apps.reviews.models import Decision, Outcome

TEMPLATE = "packets/packet.html"
# One face of one CJK family: every extra face (bold, another weight) is another font file
# WeasyPrint must load and subset, which costs seconds with the CJK collections.
DEFAULT_FONT_FAMILY = "Noto Sans CJK SC"
# A family name goes into the packet's CSS: letters, digits, spaces and hyphens only.
FONT_FAMILY_RE = re.compile(r"^[A-Za-z0-9 \-]{1,60}$")


def font_family_css(family: str | None) -> str:
    family = family or DEFAULT_FONT_FAMILY
    if not FONT_FAMILY_RE.match(family):
        raise ValueError(f"Not a font family name: {family!r}")
    return f'"{family}", sans-serif'


def attachment_groups(filing: Any, listed: list[dict[str, Any]]) -> list[tuple[str, list[Any]]]:
    """The version's attachments by the deliverable's types, in their order; files of no
    (or an unknown) type last, under "Other"."""
    groups: list[tuple[str, list[Any]]] = []
    known: set[str] = set()
    for t in AttachmentType.objects.filter(deliverable_id=filing.deliverable_id):
        known.add(t.code)
        files = [a for a in listed if a.get("attachment_type") == t.code]
        if files:
            groups.append((t.name_zh, files))
    others = [a for a in listed if a.get("attachment_type") not in known]
    if others:
        groups.append(("其他 · Other", others))
    return groups


def packet_context(version: FilingVersion, *, kind: str) -> dict[str, Any]:
    filing = version.filing
    filing_kind = get_kind(filing.kind)
    content = version.content
    decisions: list[Decision] = []
    filing_number = None
    if kind == PacketKind.FINAL:
        decisions = list(
            Decision.objects.filter(filing=filing, version__number__lte=version.number)
            .select_related("decided_by", "version")
            .order_by("created_at", "id")
        )
        filing_number = next(
            (
                d.filing_number
                for d in decisions
                if d.version_id == version.pk and d.outcome == Outcome.APPROVE
            ),
            None,
        )
    return {
        **filing_kind.display_context(content, filing),
        "packet_kind": kind,
        "is_final": kind == PacketKind.FINAL,
        "version": version,
        "filing": filing,
        "filing_kind": filing_kind,
        "enterprise": filing.enterprise,
        "authority": filing.enterprise.authority,
        "deliverable": filing.deliverable,
        "campaign": filing.deliverable.campaign,
        "sections": [(s, content.get(s.key) or {}) for s in filing_kind.sections],
        "attachments": content.get(ATTACHMENTS_KEY, []),
        "rollup": content.get(ROLLUP_KEY),
        "attachment_groups": attachment_groups(filing, content.get(ATTACHMENTS_KEY, [])),
        "cover_letters": [
            a
            for a in content.get(ATTACHMENTS_KEY, [])
            if a.get("attachment_type") == COVER_LETTER_CODE
        ],
        "decisions": decisions,
        "filing_number": filing_number,
    }


def packet_html(version: FilingVersion, *, kind: str, font_family: str | None = None) -> str:
    """The packet's HTML. ``font_family`` overrides the CJK family (the benchmark compares
    fonts with it); packets are always rendered with the default."""
    context = {**packet_context(version, kind=kind), "font_css": font_family_css(font_family)}
    # The packet is an official document in the project's language, whoever renders it.
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(TEMPLATE, context)


def pdf_from_html(html: str, *, snapshot: str, description: str) -> bytes:
    """PDF/A-3b bytes of a packet's HTML with ``snapshot`` embedded as version.json. Only the
    project's static files can be fetched."""
    fetcher = StaticOnlyFetcher()
    document = HTML(string=html, base_url=str(settings.STATICFILES_DIRS[0]), url_fetcher=fetcher)
    attachment = Attachment(
        string=snapshot.encode("utf-8"),
        name="version.json",
        description=description,
        relationship="Source",
        url_fetcher=fetcher,
    )
    pdf: bytes = document.write_pdf(pdf_variant="pdf/a-3b", attachments=[attachment])
    return pdf


def snapshot_description(version: FilingVersion) -> str:
    return f"Canonical JSON of version {version.number}, sha256 {version.sha256}"


def render_packet_pdf(version: FilingVersion, *, kind: str) -> bytes:
    """The PDF bytes of the packet (writes nothing)."""
    if not version.is_frozen:
        raise ValueError("Only a submitted (frozen) version has a packet.")
    version = FilingVersion.objects.select_related(
        "filing__enterprise__authority", "filing__deliverable__campaign", "submitted_by"
    ).get(pk=version.pk)
    return pdf_from_html(
        packet_html(version, kind=kind),
        snapshot=version.snapshot,
        description=snapshot_description(version),
    )
