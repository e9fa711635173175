from celery import shared_task

from apps.packets.services import packet_render


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
