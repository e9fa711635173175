import pytest
from django.conf import settings

from apps.core.tasks import ping
from config.celery_app import app


def test_queues_are_declared() -> None:
    names = {q.name for q in app.conf.task_queues}
    assert names == {"default", "pdf", "mail"}


def test_ping_task_is_late_acked_and_survives_worker_loss() -> None:
    assert ping.acks_late is True
    assert ping.reject_on_worker_lost is True


def test_tasks_enqueue_after_commit() -> None:
    # DjangoTask gives every task delay_on_commit / apply_async_on_commit
    assert hasattr(ping, "delay_on_commit")


@pytest.mark.celery_worker
def test_real_worker_consumes_from_redis() -> None:
    from tests.workers import celery_worker

    app.conf.broker_url = settings.REAL_BROKER_URL
    app.conf.result_backend = settings.REAL_BROKER_URL
    app.conf.task_always_eager = False
    # Celery caches the result backend per thread; an earlier in-process task may have cached
    # the disabled one.
    app._backend_cache = None
    vars(app._local).pop("backend", None)
    try:
        with celery_worker(queues="default"):
            result = ping.apply_async(args=["abc"], queue="default", ignore_result=False)
            # An eager task run earlier in this process can leave Celery believing it is
            # inside a task; this test is not, so the join is allowed explicitly.
            assert result.get(timeout=30, disable_sync_subtasks=False) == "pong:abc"
    finally:
        app.conf.task_always_eager = True
