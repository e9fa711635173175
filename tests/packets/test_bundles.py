"""ZIPs of an authority's approved packets: asked for by its lead reviewers only, built by
the task with progress, notified, downloaded until they expire, then cleaned up."""

import hashlib
import io
import shutil
import subprocess
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from apps.audit.models import AuditEvent
from apps.enterprises.models import Enterprise, short_legal_name
from apps.notifications.models import Notification, Verb
from apps.packets.models import BundleState, Packet, PacketBundle, PacketKind, PacketState
from apps.packets.services import (
    bundle_build,
    bundle_expire,
    bundle_request,
    packet_path,
    safe_name_part,
)
from apps.timeline.models import Deliverable
from tests.conftest import World, zh
from tests.filings.conftest import simple_kind  # noqa: F401
from tests.packets.conftest import amend, approve, simple_filing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("simple_kind")]


@pytest.fixture
def approved(world: World, plan: Deliverable, django_capture_on_commit_callbacks: Any) -> list:
    """Two SASAC enterprises approved (final packets ready): the central one first
    (T2026-SASAC-0001), then 测试第二能源股份有限公司 (T2026-SASAC-0002)."""
    Enterprise.objects.filter(pk=world.central_other.pk).update(name_zh="测试第二能源股份有限公司")
    with django_capture_on_commit_callbacks(execute=True):
        a = approve(simple_filing(world, world.central, plan, world.lead), world)
        b = approve(
            simple_filing(world, world.central_other, plan, world.other_lead),
            world,
            lead=world.other_lead,
        )
    return [a, b]


def test_bundle_contains_the_authoritys_final_packets(
    world: World, plan: Deliverable, approved: list, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        bundle, created = bundle_request(
            authority=world.sasac, deliverable=plan, actor=world.sasac_lead_reviewer
        )
    assert created
    bundle.refresh_from_db()
    assert bundle.state == BundleState.READY
    assert (bundle.total, bundle.done) == (2, 2)
    assert bundle.expires_at is not None
    assert bundle.expires_at - bundle.finished_at == timedelta(days=7)
    data = default_storage.open(bundle.file).read()
    assert bundle.sha256 == hashlib.sha256(data).hexdigest() and bundle.size == len(data)
    zf = zipfile.ZipFile(io.BytesIO(data))
    a, b = (Packet.objects.get(kind=PacketKind.FINAL, version=v) for v in approved)
    expected = {
        f"T2026-SASAC-0001_中国测试能源集团_{world.central.credit_code}.pdf": a,
        f"T2026-SASAC-0002_测试第二能源_{world.central_other.credit_code}.pdf": b,
    }
    assert set(zf.namelist()) == {*expected, "SHA256SUMS"}
    for name, packet in expected.items():
        assert zf.read(name) == packet_path(packet).read_bytes()
        assert f"{packet.sha256}  {name}" in zf.read("SHA256SUMS").decode()
    # the requester is told, in the app (and by email, queued by notify)
    note = Notification.objects.get(recipient=world.sasac_lead_reviewer, verb=Verb.BUNDLE_READY)
    assert note.url == bundle.get_absolute_url()
    note.refresh_from_db()
    assert note.email_sent_at is not None
    # The email is worded in the recipient's language (Chinese by default).
    with translation.override("zh-hans"):
        title = note.display_title
    (email,) = [m for m in mail.outbox if title in m.body]
    assert email.to == [world.sasac_lead_reviewer.email]
    assert AuditEvent.objects.filter(action="packet_bundle.request").count() == 1
    # no temporary file is left behind
    assert not list((Path(default_storage.location) / "bundles").glob(".tmp-*"))


def test_an_open_bundle_is_reused_and_rebuilding_a_ready_one_does_nothing(
    world: World, plan: Deliverable, approved: list
) -> None:
    # No on-commit callbacks run: the first bundle stays pending.
    first, created = bundle_request(
        authority=world.sasac, deliverable=plan, actor=world.sasac_lead_reviewer
    )
    second, created_again = bundle_request(
        authority=world.sasac, deliverable=plan, actor=world.sasac_lead_reviewer
    )
    assert created and not created_again and second.pk == first.pk
    assert PacketBundle.objects.count() == 1
    built = bundle_build(bundle_id=first.pk)
    assert built.state == BundleState.READY
    name = built.file
    again = bundle_build(bundle_id=first.pk)  # a redelivered task
    assert again.file == name
    assert len(list((Path(default_storage.location) / "bundles").glob("*.zip"))) == 1
    # once it is ready, a new request makes a new bundle (new approvals may have come)
    third, created = bundle_request(
        authority=world.sasac, deliverable=plan, actor=world.sasac_lead_reviewer
    )
    assert created and third.pk != first.pk


def test_a_failed_build_is_recorded_and_can_run_again(
    world: World, plan: Deliverable, approved: list
) -> None:
    bundle, _ = bundle_request(
        authority=world.sasac, deliverable=plan, actor=world.sasac_lead_reviewer
    )
    packet = Packet.objects.filter(kind=PacketKind.FINAL).first()
    assert packet is not None
    moved = packet_path(packet).with_suffix(".away")
    packet_path(packet).rename(moved)
    with pytest.raises(FileNotFoundError):
        bundle_build(bundle_id=bundle.pk)
    bundle.refresh_from_db()
    assert bundle.state == BundleState.FAILED and "FileNotFoundError" in bundle.error
    moved.rename(packet_path(packet))
    assert bundle_build(bundle_id=bundle.pk).state == BundleState.READY


def test_expired_bundles_lose_their_file_and_say_so(
    world: World,
    plan: Deliverable,
    approved: list,
    client_for: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    bundle, _ = bundle_request(
        authority=world.sasac, deliverable=plan, actor=world.sasac_lead_reviewer
    )
    bundle = bundle_build(bundle_id=bundle.pk)
    url = reverse("packets:bundle_download", args=["SASAC", bundle.pk])
    client = client_for(world.sasac_lead_reviewer)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert b"".join(response.streaming_content).startswith(b"PK")

    # a day past the week: the link answers 410 with a friendly page, before any cleanup
    PacketBundle.objects.filter(pk=bundle.pk).update(expires_at=timezone.now() - timedelta(days=1))
    response = client.get(url)
    assert response.status_code == 410
    assert 'data-testid="bundle-expired"' in response.content.decode()
    assert default_storage.exists(bundle.file)

    # the cleanup task deletes the file (after commit) and marks the bundle expired
    with django_capture_on_commit_callbacks(execute=True):
        assert bundle_expire() == 1
    bundle.refresh_from_db()
    assert bundle.state == BundleState.EXPIRED and bundle.file == ""
    assert not list((Path(default_storage.location) / "bundles").glob("*.zip"))
    assert client.get(url).status_code == 410
    assert bundle_expire() == 0  # nothing left to do


def test_request_page_progress_and_download_through_views(
    world: World,
    plan: Deliverable,
    approved: list,
    client_for: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(world.sasac_lead_reviewer)
    page = client.get(reverse("packets:authority", args=["SASAC"]))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="request-zip"' in body
    assert 'data-testid="approved-count">2<' in body

    # GET is not a request
    assert client.get(reverse("packets:bundle_request", args=["SASAC"])).status_code == 405
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("packets:bundle_request", args=["SASAC"]), {"deliverable": plan.pk}
        )
    bundle = PacketBundle.objects.get()
    assert response.status_code == 302 and response["Location"] == bundle.get_absolute_url()

    # while waiting, the progress card polls itself every 2 seconds
    partial = client.get(bundle.get_absolute_url(), headers={"HX-Request": "true"})
    text = partial.content.decode()
    assert 'hx-trigger="every 2s"' in text and 'data-state="pending"' in text
    assert "<html" not in text

    bundle_build(bundle_id=bundle.pk)
    text = client.get(bundle.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in text and 'data-state="ready"' in text
    assert 'data-percent="100"' in text and 'data-testid="bundle-download"' in text
    full = client.get(bundle.get_absolute_url()).content.decode()
    assert "js/packets.js" in full
    listing = client.get(reverse("packets:authority", args=["SASAC"])).content.decode()
    assert 'data-testid="bundle-row"' in listing


def test_bad_deliverable_changes_nothing(
    world: World, plan: Deliverable, approved: list, client_for: Any
) -> None:
    client = client_for(world.sasac_lead_reviewer)
    url = reverse("packets:bundle_request", args=["SASAC"])
    assert client.post(url, {"deliverable": "x"}).status_code == 404
    assert client.post(url, {"deliverable": 999999}).status_code == 404
    # a deliverable with nothing approved: a clear message, no bundle
    other = Deliverable.objects.exclude(pk=plan.pk).first()
    assert other is not None
    response = client.post(url, {"deliverable": other.pk}, follow=True)
    assert (
        zh("No packet of this deliverable is filed yet: no ZIP to make.")
        in response.content.decode()
    )
    assert not PacketBundle.objects.exists()


def test_outsiders_get_404_everywhere(
    world: World, plan: Deliverable, approved: list, client_for: Any
) -> None:
    from apps.enterprises.models import Role
    from apps.enterprises.services import membership_grant
    from tests.factories import UserFactory

    bundle, _ = bundle_request(
        authority=world.sasac, deliverable=plan, actor=world.sasac_lead_reviewer
    )
    bundle = bundle_build(bundle_id=bundle.pk)
    bj_lead_reviewer = UserFactory(email="bj.lead.reviewer@example.cn")
    membership_grant(user=bj_lead_reviewer, role=Role.LEAD_REVIEWER, authority=world.beijing)
    urls = [
        ("get", reverse("packets:authority", args=["SASAC"])),
        ("post", reverse("packets:bundle_request", args=["SASAC"])),
        ("get", reverse("packets:bundle_detail", args=["SASAC", bundle.pk])),
        ("get", reverse("packets:bundle_download", args=["SASAC", bundle.pk])),
        # a bundle under another authority's URL
        ("get", reverse("packets:bundle_detail", args=["11", bundle.pk])),
        ("get", reverse("packets:bundle_download", args=["11", bundle.pk])),
    ]
    for outsider in (
        bj_lead_reviewer,  # lead reviewer of another authority
        world.sasac_reviewer,  # a plain reviewer of this authority
        world.lead,  # enterprise users
        world.editor,
        world.admin,  # administrators retry packets; they do not collect archives
    ):
        client = client_for(outsider)
        for method, url in urls:
            response = getattr(client, method)(url, {"deliverable": plan.pk})
            assert response.status_code == 404, (outsider.email, url, response.status_code)
    # the Beijing lead reviewer's own page works, and shows none of SASAC's packets
    body = client_for(bj_lead_reviewer).get(reverse("packets:authority", args=["11"]))
    assert body.status_code == 200
    assert 'data-testid="approved-count">0<' in body.content.decode()
    assert PacketBundle.objects.count() == 1


def test_failed_packets_are_listed_for_the_authority(
    world: World, plan: Deliverable, approved: list, client_for: Any
) -> None:
    packet = Packet.objects.filter(version__filing__enterprise=world.central).first()
    assert packet is not None
    Packet.objects.filter(pk=packet.pk).update(state=PacketState.FAILED, error="Boom")
    body = client_for(world.sasac_lead_reviewer).get(reverse("packets:authority", args=["SASAC"]))
    text = body.content.decode()
    assert text.count('data-testid="failed-packet"') == 1
    assert world.central.name in text or world.central.name_zh in text
    assert "Boom" not in text  # the technical error is for administrators


def test_page_queries_do_not_grow_with_data(
    world: World, plan: Deliverable, approved: list, client_for: Any
) -> None:
    client = client_for(world.sasac_lead_reviewer)
    url = reverse("packets:authority", args=["SASAC"])

    def add_bundle() -> None:
        bundle, _created = bundle_request(
            authority=world.sasac, deliverable=plan, actor=world.sasac_lead_reviewer
        )
        bundle_build(bundle_id=bundle.pk)

    def count() -> list[str]:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return [q["sql"] for q in ctx.captured_queries]

    add_bundle()
    first = Packet.objects.filter(kind=PacketKind.FINAL).first()
    assert first is not None
    Packet.objects.filter(pk=first.pk).update(state=PacketState.FAILED)
    client.get(url)
    small = count()
    for _ in range(3):
        add_bundle()
    Packet.objects.update(state=PacketState.FAILED)
    large = count()
    assert len(large) == len(small), "\n".join(large)


def test_bundle_tasks_are_late_acked_and_routed() -> None:
    from apps.packets.tasks import build_bundle, expire_bundles
    from config.celery_app import app

    assert build_bundle.acks_late is True and build_bundle.reject_on_worker_lost is True
    assert build_bundle.max_retries == 3
    for task in (build_bundle, expire_bundles):
        route = app.amqp.router.route({}, task.name, args=(1,), kwargs={})
        assert route["queue"].name == "pdf"


def test_the_authority_page_links_lead_reviewers_only(world: World, client_for: Any) -> None:
    url = world.sasac.get_absolute_url()
    link = 'data-testid="authority-packets-link"'
    assert link in client_for(world.sasac_lead_reviewer).get(url).content.decode()
    assert link not in client_for(world.sasac_reviewer).get(url).content.decode()


def test_an_amended_plan_is_bundled_as_its_version_in_force_only(
    world: World,
    plan: Deliverable,
    approved: list,
    client_for: Any,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The central plan, v1 approved (T2026-SASAC-0001), is amended: v2 approved
    (T2026-SASAC-0001-1, the plan's number with its change number). The ZIP holds v2's
    final packet, not v1's: one file per enterprise.
    A name that would climb out of the folder is made safe."""
    Enterprise.objects.filter(pk=world.central_other.pk).update(
        name_zh="../测试/第二能源\x07股份有限公司"
    )
    filing = amend(approved[0].filing, world, "修订版")
    with django_capture_on_commit_callbacks(execute=True):
        v2 = approve(filing, world)
    assert v2.number == 2
    with django_capture_on_commit_callbacks(execute=True):
        bundle, _created = bundle_request(
            authority=world.sasac, deliverable=plan, actor=world.sasac_lead_reviewer
        )
    bundle.refresh_from_db()
    assert bundle.state == BundleState.READY and (bundle.total, bundle.done) == (2, 2)
    zf = zipfile.ZipFile(io.BytesIO(default_storage.open(bundle.file).read()))
    central = f"T2026-SASAC-0001-1_中国测试能源集团_{world.central.credit_code}.pdf"
    other = f"T2026-SASAC-0002_测试-第二能源_{world.central_other.credit_code}.pdf"
    assert sorted(zf.namelist()) == sorted([central, other, "SHA256SUMS"])
    # the version in force, never the superseded approval
    v2_final = Packet.objects.get(version=v2, kind=PacketKind.FINAL)
    v1_final = Packet.objects.get(version=approved[0], kind=PacketKind.FINAL)
    assert zf.read(central) == packet_path(v2_final).read_bytes()
    assert zf.read(central) != packet_path(v1_final).read_bytes()
    # SHA256SUMS: one "<hex>  <name>" line per file, the files' real hashes
    sums = zf.read("SHA256SUMS").decode()
    assert sums.endswith("\n")
    assert sorted(sums.splitlines()) == sorted(
        f"{hashlib.sha256(zf.read(name)).hexdigest()}  {name}" for name in (central, other)
    )
    # and `sha256sum -c` agrees
    if shutil.which("sha256sum"):
        zf.extractall(tmp_path / "zip")
        check = subprocess.run(
            ["sha256sum", "-c", "SHA256SUMS"],
            cwd=tmp_path / "zip",
            capture_output=True,
            check=False,
        )
        assert check.returncode == 0, check.stdout + check.stderr
    # the authority's page counts what the ZIP holds
    body = client_for(world.sasac_lead_reviewer).get(reverse("packets:authority", args=["SASAC"]))
    assert 'data-testid="approved-count">2<' in body.content.decode()


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("中国测试能源集团有限公司", "中国测试能源集团"),
        ("测试第二能源股份有限公司", "测试第二能源"),
        ("北京测试有限责任公司", "北京测试"),
        ("有限公司", "有限公司"),
        ("中国" * 20, "中国" * 15),
    ],
)
def test_enterprise_short_name(name: str, short: str) -> None:
    assert short_legal_name(name) == short


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("../etc/passwd", "etc-passwd"),
        ("北京\x00测试/集团\\有限:公司", "北京测试-集团-有限-公司"),
        ("a_b c\t\nd", "a-b-c-d"),
        ("\u202e名称", "名称"),
        ("T2026-SASAC-0001", "T2026-SASAC-0001"),
    ],
)
def test_file_name_parts_are_safe(text: str, safe: str) -> None:
    assert safe_name_part(text) == safe
