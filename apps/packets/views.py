"""Packet pages: download, retry (administrators), verification, and an authority's packets
with its ZIP bundles. Every object comes through a scoped helper; outsiders get 404."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.http import client_ip
from apps.enterprises.selectors import get_authority_for_user
from apps.filings.selectors import get_filing_for_user, visible_versions
from apps.packets import selectors, services
from apps.packets.forms import BundleRequestForm, VerifyForm
from apps.packets.models import BundleState, Packet, PacketState
from apps.packets.services import packet_path

# Verification hashes a file of up to 50 MB and reads a PDF: bounded per person.
VERIFY_LIMIT = 30
VERIFY_WINDOW_SECONDS = 10 * 60


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


@login_required
@require_POST
def packet_retry(request: HttpRequest, pk: int, packet_pk: int) -> HttpResponse:
    """An administrator renders a failed or stuck packet again (as the admin action does)."""
    filing = get_filing_for_user(request.user, pk)
    packet = get_object_or_404(
        Packet, pk=packet_pk, version__in=visible_versions(request.user, filing)
    )
    if not request.user.has_perm("packets.retry", packet):
        raise Http404
    if services.packet_retry(
        packet_id=packet.pk, actor=request.user, ip_address=client_ip(request)
    ):
        messages.success(request, _("The packet is queued for rendering again."))
    else:
        messages.info(request, _("This packet is ready: there is nothing to retry."))
    return redirect(filing)


def _verify_allowed(user: Any) -> bool:
    key = f"packets:verify:{user.pk}"
    cache.add(key, 0, VERIFY_WINDOW_SECONDS)
    try:
        return cache.incr(key) <= VERIFY_LIMIT
    except ValueError:  # expired between add and incr
        cache.set(key, 1, VERIFY_WINDOW_SECONDS)
        return True


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Does this packet (or fingerprint) match a filed version I may see, and which?"""
    form = VerifyForm()
    matches = None
    standings: list[selectors.VersionStanding] = []
    status = 200
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if not _verify_allowed(request.user):
            form.add_error(
                None, _("Too many verifications in a short time. Try again in a few minutes.")
            )
            status = 429
        elif form.is_valid():
            method, sha256, embedded = form.fingerprints()
            if method == "file":
                matches = selectors.verification_matches(
                    request.user, file_sha256=sha256, version_sha256=embedded, embedded=True
                )
            else:
                matches = selectors.verification_matches(
                    request.user, file_sha256=sha256, version_sha256=sha256
                )
            standings = selectors.verification_standings(matches)
            services.verification_record(
                actor=request.user,
                method=method,
                sha256=sha256,
                matches=len(matches),
                standings=[s.audit_data() for s in standings],
                ip_address=client_ip(request),
            )
            form = VerifyForm()
        else:
            status = 400
    context = {
        "form": form,
        "matches": matches,
        "standings": standings,
        # Green only when every matched version is the one in force.
        "all_in_force": all(s.status == selectors.Standing.IN_FORCE for s in standings),
    }
    return render(request, "packets/verify.html", context, status=status)


def _authority_for_bundles(request: HttpRequest, code: str) -> Any:
    authority = get_authority_for_user(request.user, code, perm="packets.bundle")
    return authority


@login_required
def authority_packets(request: HttpRequest, code: str) -> HttpResponse:
    authority = _authority_for_bundles(request, code)
    return render(
        request,
        "packets/authority_packets.html",
        {
            "authority": authority,
            "deliverables": selectors.authority_deliverables(authority),
            "bundles": selectors.recent_bundles(authority),
            "failed": selectors.failed_packets(authority),
        },
    )


@login_required
@require_POST
def bundle_request(request: HttpRequest, code: str) -> HttpResponse:
    authority = _authority_for_bundles(request, code)
    form = BundleRequestForm(request.POST)
    if not form.is_valid():
        raise Http404
    deliverable = selectors.get_authority_deliverable(form.cleaned_data["deliverable"], authority)
    if not services.bundle_packets(authority, deliverable).exists():
        messages.error(request, _("No packet of this deliverable is filed yet: no ZIP to make."))
        return redirect("packets:authority", code=authority.code)
    bundle, created = services.bundle_request(
        authority=authority,
        deliverable=deliverable,
        actor=request.user,
        ip_address=client_ip(request),
    )
    if created:
        messages.success(request, _("The ZIP is being prepared; you will be notified."))
    else:
        messages.info(request, _("A ZIP of this deliverable is already being prepared."))
    return redirect(bundle)


@login_required
def bundle_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The bundle's progress; htmx polls the progress card until it is finished."""
    authority = _authority_for_bundles(request, code)
    bundle = selectors.get_bundle_for_user(request.user, authority, pk)
    context = {"authority": authority, "bundle": bundle, "expired": bundle.is_expired()}
    if request.headers.get("HX-Request"):
        return render(request, "packets/_bundle_progress.html", context)
    return render(request, "packets/bundle_detail.html", context)


@login_required
def bundle_download(request: HttpRequest, code: str, pk: int) -> HttpResponseBase:
    authority = _authority_for_bundles(request, code)
    bundle = selectors.get_bundle_for_user(request.user, authority, pk)
    if bundle.is_expired(timezone.now()):
        return render(
            request,
            "packets/bundle_expired.html",
            {"authority": authority, "bundle": bundle},
            status=410,
        )
    if bundle.state != BundleState.READY or not default_storage.exists(bundle.file):
        raise Http404
    name = f"{authority.code}-{bundle.deliverable_id}-{bundle.created_at:%Y%m%d-%H%M}.zip"
    return FileResponse(
        default_storage.open(bundle.file, "rb"),
        as_attachment=True,
        filename=name,
        content_type="application/zip",
    )
