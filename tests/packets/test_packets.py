"""Packets follow the workflow, render once, and record failures."""

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from apps.filings.models import Filing
from apps.filings.services import filing_transition
from apps.packets import services
from apps.packets.models import Packet, PacketKind, PacketState
from apps.packets.services import packet_path, packet_render
from apps.packets.tasks import render_packet
from apps.reviews.services import decision_make
from config.celery_app import app
from tests.conftest import World
from tests.packets.conftest import submit

pytestmark = pytest.mark.django_db


def pdfs(media_root: Path) -> list[Path]:
    return sorted((media_root / "packets").glob("*.pdf"))


def test_submit_renders_the_submission_packet(
    plan_filing: Filing, world: World, media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        version = submit(plan_filing, world)
    packet = Packet.objects.get(version=version)
    assert packet.kind == PacketKind.SUBMISSION
    assert packet.state == PacketState.READY
    assert packet.attempts == 1 and packet.error == "" and packet.rendered_at is not None
    data = packet_path(packet).read_bytes()
    assert data.startswith(b"%PDF-")
    assert packet.size == len(data)
    assert packet.sha256 == hashlib.sha256(data).hexdigest()
    assert pdfs(media_root) == [packet_path(packet)]


def test_rendering_twice_leaves_one_row_and_one_file(
    plan_filing: Filing, world: World, media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        version = submit(plan_filing, world)
    packet = Packet.objects.get(version=version)
    rendered_at = packet.rendered_at
    render_packet.delay(packet.pk)
    render_packet.delay(packet.pk)
    assert Packet.objects.filter(version=version).count() == 1
    packet.refresh_from_db()
    assert packet.attempts == 1 and packet.rendered_at == rendered_at
    assert len(pdfs(media_root)) == 1


def test_one_packet_per_version_and_kind(plan_filing: Filing, world: World) -> None:
    version = submit(plan_filing, world)
    Packet.objects.create(version=version, kind=PacketKind.SUBMISSION)
    with pytest.raises(IntegrityError), transaction.atomic():
        Packet.objects.create(version=version, kind=PacketKind.SUBMISSION)
    Packet.objects.create(version=version, kind=PacketKind.FINAL)  # another kind is fine


def test_approval_renders_the_final_packet_with_filing_number(
    plan_filing: Filing, world: World, django_capture_on_commit_callbacks: Any, tmp_path: Path
) -> None:
    import subprocess

    with django_capture_on_commit_callbacks(execute=True):
        version = submit(plan_filing, world)
        filing_transition(filing=plan_filing, action="start_review", actor=world.sasac_reviewer)
        decision = decision_make(
            filing=plan_filing, outcome="approve", reasons="", actor=world.sasac_lead_reviewer
        )
    final = Packet.objects.get(version=version, kind=PacketKind.FINAL)
    assert final.state == PacketState.READY
    assert Packet.objects.filter(version=version).count() == 2
    text = subprocess.run(
        ["pdftotext", str(packet_path(final)), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert decision.filing_number and decision.filing_number in text


def test_a_failure_is_recorded_and_raised(
    plan_filing: Filing, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    version = submit(plan_filing, world)
    packet = Packet.objects.create(version=version, kind=PacketKind.SUBMISSION)

    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise RuntimeError("font missing")

    monkeypatch.setattr(services, "render_packet_pdf", broken)
    with pytest.raises(RuntimeError):
        packet_render(packet_id=packet.pk)
    packet.refresh_from_db()
    assert packet.state == PacketState.FAILED
    assert packet.error == "RuntimeError: font missing"
    assert packet.attempts == 1

    monkeypatch.undo()
    packet = packet_render(packet_id=packet.pk)
    assert packet.state == PacketState.READY and packet.error == "" and packet.attempts == 2


def test_task_is_late_acked_retried_and_routed_to_pdf() -> None:
    assert render_packet.acks_late is True
    assert render_packet.reject_on_worker_lost is True
    assert render_packet.max_retries == 3
    assert render_packet.autoretry_for == (Exception,)
    route = app.amqp.router.route({}, render_packet.name, args=(1,), kwargs={})
    assert route["queue"].name == "pdf"


def test_command_renders_to_a_file_without_rows(
    plan_filing: Filing, world: World, tmp_path: Path, media_root: Path
) -> None:
    version = submit(plan_filing, world)
    out = tmp_path / "out.pdf"
    call_command("render_packet", str(version.pk), "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF-")
    assert not Packet.objects.exists()
    assert not (media_root / "packets").exists()
