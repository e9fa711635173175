import pytest
from django.urls import reverse

from apps.packets.models import Packet
from tests.conftest import World
from tests.filings.conftest import drive, filing, simple_kind  # noqa: F401

pytestmark = pytest.mark.django_db


def test_packet_download_is_scoped(
    world: World,
    filing,  # noqa: F811
    client_for,
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        filing = drive(filing, world, "submit")
    packet = Packet.objects.get(version=filing.latest_submitted, kind="submission")
    assert packet.state == "ready"
    url = reverse("packets:download", args=[filing.pk, packet.pk])
    for insider in (world.lead, world.editor, world.sasac_reviewer):
        response = client_for(insider).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    body = client_for(world.lead).get(reverse("filings:detail", args=[filing.pk])).content.decode()
    assert 'data-testid="packet-download"' in body
    for outsider in (world.other_lead, world.bj_reviewer, world.gd_reviewer):
        assert client_for(outsider).get(url).status_code == 404
    # a packet not rendered yet is not served
    Packet.objects.filter(pk=packet.pk).update(state="pending")
    assert client_for(world.lead).get(url).status_code == 404
