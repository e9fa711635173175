"""The verification page: a packet file or a fingerprint matches a filed version the user may
see, and which; anything else (a match outside their scope included) reads "no match"."""

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader, PdfWriter

from apps.audit.models import AuditEvent
from apps.packets.forms import VERIFY_MAX_BYTES
from apps.packets.models import Packet, PacketKind
from apps.packets.services import packet_path
from apps.reviews.models import Decision
from apps.timeline.models import Deliverable
from tests.conftest import World, zh
from tests.filings.conftest import simple_kind  # noqa: F401
from tests.packets.conftest import approve, simple_filing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("simple_kind")]
URL = "/packets/verify/"
NO_MATCH = 'data-testid="verify-no-match"'


@pytest.fixture
def final(world: World, plan: Deliverable, django_capture_on_commit_callbacks: Any) -> Packet:
    with django_capture_on_commit_callbacks(execute=True):
        version = approve(simple_filing(world, world.central, plan, world.lead), world)
    return Packet.objects.get(version=version, kind=PacketKind.FINAL)


def post(client: Any, **data: Any) -> Any:
    return client.post(URL, data)


def upload(data: bytes, name: str = "packet.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_url_and_login() -> None:
    assert reverse("packets:verify") == URL


def test_anonymous_is_sent_to_login(client: Any) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_uploaded_packet_matches_with_details(world: World, final: Packet, client_for: Any) -> None:
    decision = Decision.objects.get(version=final.version)
    data = packet_path(final).read_bytes()
    for insider in (world.lead, world.editor, world.sasac_reviewer, world.sasac_lead_reviewer):
        response = post(client_for(insider), packet=upload(data))
        body = response.content.decode()
        assert response.status_code == 200
        assert 'data-testid="verify-match"' in body, insider.email
        # the file itself, and the version data embedded in it
        assert body.count('data-testid="verify-row"') == 2
        assert world.central.credit_code in body
        assert decision.filing_number in body
        assert f">v{final.version.number}<" in body
    event = AuditEvent.objects.filter(action="packet.verify").latest("id")
    assert event.data == {"method": "file", "sha256": final.sha256, "matches": 2}


def test_altered_pdf_matches_by_its_embedded_version_only(
    world: World, final: Packet, client_for: Any
) -> None:
    reader = PdfReader(io.BytesIO(packet_path(final).read_bytes()))
    writer = PdfWriter(clone_from=reader)
    writer.add_metadata({"/Title": "re-saved"})
    out = io.BytesIO()
    writer.write(out)
    body = post(client_for(world.lead), packet=upload(out.getvalue())).content.decode()
    assert body.count('data-testid="verify-row"') == 1
    assert (
        zh(
            "The PDF file itself is not one of the packets on record: it may have been altered or "
            "saved again. The data embedded in it matches the version above."
        )
        in body
    )


def test_pasted_hashes_match_packets_and_versions(
    world: World, final: Packet, client_for: Any
) -> None:
    client = client_for(world.sasac_reviewer)
    body = post(client, sha256=final.sha256.upper()).content.decode()
    assert body.count('data-testid="verify-row"') == 1
    assert zh("The PDF file itself") in body
    body = post(client, sha256=f"  {final.version.sha256}\n").content.decode()
    assert body.count('data-testid="verify-row"') == 1
    assert zh("The version's fingerprint") in body


def result_section(body: str) -> str:
    match = re.search(r'<section[^>]*data-testid="verify-result".*?</section>', body, re.S)
    assert match is not None
    return match.group()


def test_outsiders_learn_nothing(world: World, final: Packet, client_for: Any) -> None:
    unknown = "0" * 64
    reference = result_section(post(client_for(world.other_lead), sha256=unknown).content.decode())
    assert NO_MATCH in reference
    data = packet_path(final).read_bytes()
    for outsider in (world.other_lead, world.bj_reviewer, world.gd_reviewer, world.bj_lead):
        client = client_for(outsider)
        for response in (
            post(client, sha256=final.sha256),
            post(client, sha256=final.version.sha256),
            post(client, packet=upload(data)),
        ):
            body = response.content.decode()
            assert response.status_code == 200
            assert NO_MATCH in body, outsider.email
            # word for word what a hash that matches nothing at all gets
            assert result_section(body) == reference
            assert world.central.credit_code not in body
            assert world.central.name_zh not in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"sha256": "abc"}, "A SHA-256 fingerprint is 64 characters 0-9 and a-f."),
        ({"sha256": "g" * 64}, "A SHA-256 fingerprint is 64 characters 0-9 and a-f."),
        ({}, "Upload a packet or paste a fingerprint (one of the two)."),
        ({"packet": b"GIF89a not a pdf"}, "The file is not a PDF."),
    ],
)
def test_bad_input_is_refused_clearly(
    world: World, client_for: Any, data: dict[str, Any], message: str
) -> None:
    if "packet" in data:
        data = {"packet": upload(data["packet"], "x.pdf")}
    response = post(client_for(world.lead), **data)
    assert response.status_code == 400
    assert zh(message) in response.content.decode()
    assert not AuditEvent.objects.filter(action="packet.verify").exists()


def test_both_at_once_is_refused(world: World, final: Packet, client_for: Any) -> None:
    response = post(client_for(world.lead), sha256=final.sha256, packet=upload(b"%PDF-1.7 rest"))
    assert (
        response.status_code == 400
        and zh("Upload a packet or paste a fingerprint (one of the two).")
        in response.content.decode()
    )


def test_a_file_over_the_limit_is_refused_before_reading(
    world: World, client_for: Any, tmp_path: Path
) -> None:
    big = tmp_path / "big.pdf"
    with big.open("wb") as out:
        out.write(b"%PDF-1.7\n")
        out.truncate(VERIFY_MAX_BYTES + 1)
    with big.open("rb") as fh:
        response = client_for(world.lead).post(URL, {"packet": fh})
    assert response.status_code == 400 and "50 MB" in response.content.decode()


def test_not_a_real_pdf_with_the_magic_is_just_no_match(world: World, client_for: Any) -> None:
    body = post(client_for(world.lead), packet=upload(b"%PDF-1.7 garbage")).content.decode()
    assert NO_MATCH in body


def test_verification_is_throttled(world: World, client_for: Any) -> None:
    client = client_for(world.editor)
    for _ in range(30):
        assert post(client, sha256="1" * 64).status_code == 200
    response = post(client, sha256="1" * 64)
    assert (
        response.status_code == 429
        and zh("Too many verifications in a short time. Try again in a few minutes.")
        in response.content.decode()
    )


def test_queries_do_not_grow_with_matches(
    world: World, plan: Deliverable, final: Packet, client_for: Any
) -> None:
    client = client_for(world.sasac_reviewer)

    def queries(sha: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert post(client, sha256=sha).status_code == 200
        return len(ctx.captured_queries)

    post(client, sha256=final.sha256)
    one = queries(final.sha256)
    # make several packets share one fingerprint (the lookup, not the data, is under test)
    from apps.packets.models import PacketState

    other = Packet.objects.exclude(pk=final.pk).get(version=final.version)
    Packet.objects.filter(pk=other.pk).update(sha256=final.sha256, state=PacketState.READY)
    assert queries(final.sha256) == one
