"""A real worker on the real Redis broker: a packet task delivered several times, and a
worker killed in the middle of a render, still leave exactly one ready packet and one file."""

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from django.conf import settings
from django.db import OperationalError, transaction

from apps.filings.models import Filing
from apps.packets.models import Packet, PacketKind, PacketState
from apps.packets.services import packet_path
from apps.packets.tasks import render_packet
from config.celery_app import app
from tests.conftest import World
from tests.packets.conftest import submit
from tests.workers import celery_worker

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def _forget_cached_backend() -> None:
    app._backend_cache = None
    vars(app._local).pop("backend", None)


@pytest.fixture
def real_broker() -> Iterator[redis.Redis]:
    """Tasks really go to Redis (this test's own database number, emptied first)."""
    client = redis.Redis.from_url(settings.REAL_BROKER_URL)
    client.flushdb()
    previous = (app.conf.broker_url, app.conf.result_backend)
    app.conf.broker_url = settings.REAL_BROKER_URL
    app.conf.result_backend = settings.REAL_BROKER_URL
    app.conf.task_always_eager = False
    _forget_cached_backend()
    try:
        yield client
    finally:
        app.conf.broker_url, app.conf.result_backend = previous
        app.conf.task_always_eager = True
        _forget_cached_backend()
        client.flushdb()


def wait_for(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.2)


def broker_idle(client: redis.Redis) -> bool:
    """Nothing waiting in the pdf queue and nothing taken but unacknowledged."""
    return client.llen("pdf") == 0 and client.hlen("unacked") == 0


def pdfs(media_root: Path) -> list[Path]:
    return sorted((media_root / "packets").glob("*.pdf"))


def worker_env(media_root: Path, **extra: str) -> dict[str, str]:
    return {"MEDIA_ROOT": str(media_root), **extra}


def row_locked(packet_id: int) -> bool:
    """True while a worker holds the packet's row (it renders inside that lock)."""
    try:
        with transaction.atomic():
            list(Packet.objects.select_for_update(nowait=True).filter(pk=packet_id))
    except OperationalError:
        return True
    return False


def test_a_task_delivered_three_times_leaves_one_packet(
    plan_filing: Filing, world: World, media_root: Path, real_broker: redis.Redis
) -> None:
    version = submit(plan_filing, world)  # the hook queues the render on commit
    packet = Packet.objects.get(version=version, kind=PacketKind.SUBMISSION)
    render_packet.delay(packet.pk)  # delivered again, as a redelivery or a retry would be
    render_packet.delay(packet.pk)
    assert real_broker.llen("pdf") == 3
    with celery_worker(queues="pdf", env=worker_env(media_root)):
        wait_for(lambda: broker_idle(real_broker), 120, "the worker to take all three")
    packet.refresh_from_db()
    assert Packet.objects.filter(version=version).count() == 1
    assert packet.state == PacketState.READY and packet.attempts == 1
    assert pdfs(media_root) == [packet_path(packet)]


def test_a_worker_killed_mid_render_is_redelivered_once(
    plan_filing: Filing, world: World, media_root: Path, real_broker: redis.Redis
) -> None:
    version = submit(plan_filing, world)
    packet = Packet.objects.get(version=version, kind=PacketKind.SUBMISSION)
    slow = worker_env(media_root, PACKETS_TEST_RENDER_DELAY="60")
    with celery_worker(queues="pdf", env=slow) as worker:
        wait_for(lambda: row_locked(packet.pk), 60, "the worker to start rendering")
        worker.kill()  # SIGKILL: no chance to acknowledge, reject or clean up
        worker.wait()
    # The kill rolled the render back and left the message unacknowledged.
    packet.refresh_from_db()
    assert packet.state == PacketState.PENDING and packet.attempts == 0
    assert real_broker.hlen("unacked") == 1
    assert pdfs(media_root) == []

    started = time.monotonic()
    with celery_worker(queues="pdf", env=worker_env(media_root)):
        wait_for(
            lambda: Packet.objects.get(pk=packet.pk).state == PacketState.READY,
            120,
            "the redelivered task to render the packet",
        )
        wait_for(lambda: broker_idle(real_broker), 60, "the broker to be idle")
    redelivered_after = time.monotonic() - started
    packet.refresh_from_db()
    assert Packet.objects.filter(version=version).count() == 1
    assert packet.attempts == 1
    assert pdfs(media_root) == [packet_path(packet)]
    assert packet_path(packet).read_bytes().startswith(b"%PDF-")
    assert not list((media_root / "packets").glob(".tmp-*"))
    # visibility_timeout (5 s) and kombu's restore sweep (every 1 s) of worker_test settings;
    # with the defaults this takes an hour, or 100 s after the timeout.
    assert redelivered_after < 60, redelivered_after
