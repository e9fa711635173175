"""The email really leaves through the broker: a worker listening only on the ``mail`` queue
sends it after the notifying transaction commits."""

import time
from collections.abc import Iterator

import pytest
from django.conf import settings

from apps.notifications.models import Notification, Verb
from apps.notifications.services import notify
from config.celery_app import app
from tests.factories import UserFactory


def _forget_cached_backend() -> None:
    # Celery caches the result backend per thread; an earlier in-process task may have cached
    # the disabled one.
    app._backend_cache = None
    vars(app._local).pop("backend", None)


@pytest.fixture
def real_broker() -> Iterator[None]:
    previous = (app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager)
    app.conf.broker_url = settings.REAL_BROKER_URL
    app.conf.result_backend = settings.REAL_BROKER_URL
    app.conf.task_always_eager = False
    _forget_cached_backend()
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.result_backend, _eager = previous
        app.conf.task_always_eager = True
        _forget_cached_backend()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_on_the_mail_queue_sends_the_email(real_broker: None) -> None:
    from tests.workers import celery_worker

    recipient = UserFactory(email="worker.recipient@example.cn", preferred_language="en")
    with celery_worker(queues="mail"):
        (notification,) = notify(
            recipients=[recipient],
            verb=Verb.APPROVED,
            filing=None,
            params={"deliverable_zh": "实施方案", "deliverable_en": "Implementation plan"},
            url="/",
        )
        # The worker's EMAIL_BACKEND is locmem: the message stays in its memory, so the proof
        # is the time it recorded.
        deadline = time.monotonic() + 30
        notification.refresh_from_db()
        while notification.email_sent_at is None and time.monotonic() < deadline:
            time.sleep(0.2)
            notification.refresh_from_db()
    assert notification.email_sent_at is not None, "the worker did not send the email in 30 s"
    assert notification.email_error == ""
    assert Notification.objects.get(pk=notification.pk).read_at is None
