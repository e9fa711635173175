"""The packets panel on the filing page: a failed packet says so, and an administrator
renders it again from there with the same service as the admin action."""

from typing import Any

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.packets.admin import PacketAdmin
from apps.packets.models import Packet, PacketState
from tests.conftest import World, zh
from tests.filings.conftest import drive, filing, simple_kind  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed(
    world: World,
    filing,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> Packet:
    with django_capture_on_commit_callbacks(execute=True):
        filing = drive(filing, world, "submit")
    packet = Packet.objects.get(version=filing.latest_submitted)
    Packet.objects.filter(pk=packet.pk).update(
        state=PacketState.FAILED, error="OSError: font cache unwritable"
    )
    packet.refresh_from_db()
    return packet


def panel(client: Any, packet: Packet) -> str:
    response = client.get(reverse("filings:detail", args=[packet.version.filing_id]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_failed_packet_shows_failed_with_a_hint(
    world: World, failed: Packet, client_for: Any
) -> None:
    for user in (world.lead, world.sasac_reviewer):
        body = panel(client_for(user), failed)
        assert 'data-testid="packet-failed"' in body
        assert (
            zh(
                "The PDF could not be made. The filing itself is safe; "
                "an administrator can render it again."
            )
            in body
        )
        assert 'data-testid="packet-retry"' not in body
        assert "font cache unwritable" not in body


def test_an_administrator_retries_from_the_panel(
    world: World, failed: Packet, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(world.admin)
    body = panel(client, failed)
    assert 'data-testid="packet-retry"' in body and "font cache unwritable" in body
    url = reverse("packets:retry", args=[failed.version.filing_id, failed.pk])
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.state == PacketState.READY and failed.error == "" and failed.attempts == 2
    assert AuditEvent.objects.filter(action="packet.retry", actor=world.admin).count() == 1
    # a ready packet has nothing to retry
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert AuditEvent.objects.filter(action="packet.retry").count() == 1


def test_others_cannot_retry(world: World, failed: Packet, client_for: Any) -> None:
    url = reverse("packets:retry", args=[failed.version.filing_id, failed.pk])
    for user in (world.lead, world.sasac_lead_reviewer, world.other_lead, world.bj_reviewer):
        assert client_for(user).post(url).status_code == 404
    failed.refresh_from_db()
    assert failed.state == PacketState.FAILED
    assert not AuditEvent.objects.filter(action="packet.retry").exists()


def test_the_admin_action_uses_the_same_service(
    world: World, failed: Packet, django_capture_on_commit_callbacks: Any
) -> None:
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = RequestFactory().post("/admin/packets/packet/")
    request.user = world.admin
    request.session = {}  # type: ignore[attr-defined]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    with django_capture_on_commit_callbacks(execute=True):
        PacketAdmin(Packet, site).retry(request, Packet.objects.all())
    failed.refresh_from_db()
    assert failed.state == PacketState.READY
    assert AuditEvent.objects.filter(action="packet.retry", actor=world.admin).count() == 1
