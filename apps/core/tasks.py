from celery import shared_task


@shared_task(name="apps.core.tasks.ping", acks_late=True, reject_on_worker_lost=True)
def ping(value: str) -> str:
    """A task with no side effects: proves a worker consumes the default queue."""
    return f"pong:{value}"
