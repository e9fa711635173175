from celery import shared_task

from apps.packets.services import bundle_build, bundle_expire, packet_render


@shared_task(
    name="apps.packets.tasks.render_packet",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=3,
)
def render_packet(packet_id: int) -> None:
    """Render one packet (routed to the pdf queue). Idempotent: a redelivered or repeated
    task finds the packet ready and does nothing."""
    packet_render(packet_id=packet_id)


@shared_task(
    name="apps.packets.tasks.build_bundle",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=3,
)
def build_bundle(bundle_id: int) -> None:
    """Build one ZIP of final packets (pdf queue: it reads every packet from disk).
    Idempotent: a ready bundle is left alone."""
    bundle_build(bundle_id=bundle_id)


@shared_task(name="apps.packets.tasks.expire_bundles")
def expire_bundles() -> int:
    """Periodic (celery beat, e.g. hourly): delete the files of expired bundles."""
    return bundle_expire()
