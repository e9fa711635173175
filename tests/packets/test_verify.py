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
from django.utils import translation
from django.utils.html import escape
from pypdf import PdfReader, PdfWriter

from apps.audit.models import AuditEvent
from apps.filings.models import FilingVersion
from apps.packets.forms import VERIFY_MAX_BYTES
from apps.packets.models import Packet, PacketKind
from apps.packets.services import packet_path
from apps.reviews.models import Decision
from apps.timeline.models import Deliverable
from tests.conftest import World, zh
from tests.filings.conftest import simple_kind  # noqa: F401
from tests.packets.conftest import amend, approve, return_for_revision, simple_filing, submit

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
    assert event.data == {
        "method": "file",
        "sha256": final.sha256,
        "matches": 2,
        "standings": [
            {
                "filing": final.version.filing_id,
                "version": 1,
                "status": "in_force",
                "in_force": 1,
                "in_force_number": "T2026-SASAC-0001",
                "later": None,
            }
        ],
    }


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


# --- What is current: in force, superseded, returned, not filed ------------------------------


def zh_html(msgid: str, **params: object) -> str:
    """A message whose msgid holds markup (a link), as the page prints it: the translation
    as it is, the values escaped."""
    with translation.override("zh-hans"):
        text = translation.gettext(msgid)
    return text % {k: escape(v) for k, v in params.items()}


SUPERSEDED = (
    'This is version %(number)s; it was superseded by <a href="%(url)s">version %(successor)s</a> '
    "(filing number %(filing_number)s), which is the version in force."
)
IN_FORCE = "This is version %(number)s, the version in force (filing number %(filing_number)s)."
IN_FORCE_IS = 'The version in force is <a href="%(url)s">version %(in_force)s</a> (filing number %(filing_number)s).'  # noqa: E501
LATER = 'A later version, <a href="%(url)s">version %(later)s</a>, has been submitted and is not yet filed.'  # noqa: E501


@pytest.fixture
def amended(
    world: World, plan: Deliverable, django_capture_on_commit_callbacks: Any
) -> dict[int, FilingVersion]:
    """The central enterprise's plan: v1 approved (T2026-SASAC-0001), then amended: v2
    returned, v3 approved (T2026-SASAC-0001-1: the plan's number with its first change
    number). v3 is in force, v1 superseded. Every packet
    rendered."""
    filing = simple_filing(world, world.central, plan, world.lead)
    with django_capture_on_commit_callbacks(execute=True):
        v1 = approve(filing, world)
    filing = amend(filing, world, "第二版")
    with django_capture_on_commit_callbacks(execute=True):
        v2 = return_for_revision(filing, world, "第三版")
    with django_capture_on_commit_callbacks(execute=True):
        v3 = approve(filing, world)
    assert (v1.number, v2.number, v3.number) == (1, 2, 3)
    return {1: v1, 2: v2, 3: v3}


def packet_of(version: FilingVersion, kind: str) -> Packet:
    return Packet.objects.get(version=version, kind=kind, state="ready")


def standings(body: str) -> list[tuple[str, str]]:
    """(status, version number) of each standing block on the page."""
    return re.findall(
        r'data-testid="verify-standing" data-status="([a-z_]+)" data-version="(\d+)"', body
    )


def test_a_superseded_packet_names_its_successor(
    world: World, amended: dict[int, FilingVersion], client_for: Any
) -> None:
    v1_final = packet_of(amended[1], PacketKind.FINAL)
    url = f"/filings/{amended[1].filing_id}/versions/3/"
    expected = zh_html(
        SUPERSEDED, number=1, url=url, successor=3, filing_number="T2026-SASAC-0001-1"
    )
    data = packet_path(v1_final).read_bytes()
    for insider in (world.lead, world.editor, world.sasac_reviewer, world.sasac_lead_reviewer):
        client = client_for(insider)
        for response in (post(client, packet=upload(data)), post(client, sha256=v1_final.sha256)):
            assert response.status_code == 200
            section = result_section(response.content.decode())
            # the file and its embedded data (upload) or the file (hash): one version, v1
            assert standings(section) == [("superseded", "1")], insider.email
            assert expected in section
            assert f'href="{url}"' in section
            # v1's own number is still shown for what it was
            assert "T2026-SASAC-0001" in section
            # not a plain green match: the summary is a warning, the block too
            assert "alert-success" not in section
            assert 'class="alert alert-warning" data-testid="verify-match"' in section
            assert 'class="alert alert-warning" data-testid="verify-standing"' in section
            assert 'data-testid="verify-row-status" data-status="superseded"' in section
    event = AuditEvent.objects.filter(action="packet.verify").latest("id")
    assert event.data["standings"] == [
        {
            "filing": amended[1].filing_id,
            "version": 1,
            "status": "superseded",
            "in_force": 3,
            "in_force_number": "T2026-SASAC-0001-1",
            "later": None,
        }
    ]


def test_the_version_in_force_is_green(
    world: World, amended: dict[int, FilingVersion], client_for: Any
) -> None:
    v3_final = packet_of(amended[3], PacketKind.FINAL)
    data = packet_path(v3_final).read_bytes()
    section = result_section(post(client_for(world.lead), packet=upload(data)).content.decode())
    assert standings(section) == [("in_force", "3")]
    assert zh(IN_FORCE, number=3, filing_number="T2026-SASAC-0001-1") in section
    assert 'class="alert alert-success" data-testid="verify-match"' in section
    assert "alert-warning" not in section


def test_a_returned_version_says_so_and_names_the_version_in_force(
    world: World, amended: dict[int, FilingVersion], client_for: Any
) -> None:
    v2_submission = packet_of(amended[2], PacketKind.SUBMISSION)
    body = post(client_for(world.sasac_reviewer), sha256=v2_submission.sha256).content.decode()
    section = result_section(body)
    assert standings(section) == [("returned", "2")]
    assert (
        zh("This is version %(number)s; it was returned for revision and is not filed.", number=2)
        in section
    )
    url = f"/filings/{amended[2].filing_id}/versions/3/"
    assert zh_html(IN_FORCE_IS, url=url, in_force=3, filing_number="T2026-SASAC-0001-1") in section
    assert "alert-success" not in section


def test_a_later_submission_is_not_yet_filed(
    world: World,
    amended: dict[int, FilingVersion],
    client_for: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    filing = amend(amended[3].filing, world, "第四版")
    with django_capture_on_commit_callbacks(execute=True):
        v4 = submit(filing, world)
    assert v4.number == 4
    client = client_for(world.sasac_reviewer)
    filing_url = f"/filings/{v4.filing_id}/versions/"
    # the version in force says a later one awaits its decision
    section = result_section(post(client, sha256=amended[3].sha256).content.decode())
    assert standings(section) == [("in_force", "3")]
    assert zh_html(LATER, url=f"{filing_url}4/", later=4) in section
    # the later one is not filed; v3 is in force
    v4_packet = packet_of(v4, PacketKind.SUBMISSION)
    section = result_section(post(client, sha256=v4_packet.sha256).content.decode())
    assert standings(section) == [("not_filed", "4")]
    assert (
        zh("This is version %(number)s; it was submitted and is not (yet) filed.", number=4)
        in section
    )
    assert (
        zh_html(IN_FORCE_IS, url=f"{filing_url}3/", in_force=3, filing_number="T2026-SASAC-0001-1")
        in section
    )
    assert "alert-success" not in section


def test_a_filing_never_approved_has_no_version_in_force(
    world: World, plan: Deliverable, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    filing = simple_filing(world, world.central, plan, world.lead)
    with django_capture_on_commit_callbacks(execute=True):
        v1 = submit(filing, world)
    section = result_section(post(client_for(world.lead), sha256=v1.sha256).content.decode())
    assert standings(section) == [("not_filed", "1")]
    assert zh("No version of this filing is in force yet.") in section
    assert 'class="alert alert-secondary" data-testid="verify-standing"' in section


def test_outsiders_learn_nothing_of_a_superseded_packet(
    world: World, amended: dict[int, FilingVersion], client_for: Any
) -> None:
    reference = result_section(post(client_for(world.other_lead), sha256="0" * 64).content.decode())
    v1_final = packet_of(amended[1], PacketKind.FINAL)
    data = packet_path(v1_final).read_bytes()
    for outsider in (world.other_lead, world.bj_reviewer, world.gd_reviewer, world.bj_lead):
        client = client_for(outsider)
        for response in (
            post(client, packet=upload(data)),
            post(client, sha256=v1_final.sha256),
            post(client, sha256=amended[1].sha256),
        ):
            body = response.content.decode()
            assert response.status_code == 200
            assert result_section(body) == reference, outsider.email
            assert "T2026-SASAC-0001-1" not in body
            assert f"/filings/{amended[1].filing_id}/" not in body
