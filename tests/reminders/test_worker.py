"""With Redis and real Celery workers (other processes): the beat task's sweep sends the
expected set of reminders; running it twice, and two at once, sends nothing twice; a send
that fails is sent exactly once on a later run. Mails are counted in the file the workers'
mail backend appends to."""

import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
import redis
from django.conf import settings

from apps.reminders.models import DeliveryState, ReminderDelivery
from apps.reminders.tasks import run_reminder_sweep
from apps.timeline.models import Deliverable
from config.celery_app import app
from tests.conftest import World

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def _forget_cached_backend() -> None:
    app._backend_cache = None
    vars(app._local).pop("backend", None)


@pytest.fixture
def real_broker() -> Iterator[None]:
    # Our own Redis database (CELERY_BROKER_URL): drop whatever an earlier run left queued.
    redis.Redis.from_url(settings.REAL_BROKER_URL).flushdb()
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


class Mailbox:
    def __init__(self, root: Path) -> None:
        self.log = root / "mails.jsonl"
        self.refuse = root / "refuse.txt"
        self.env = {
            "DJANGO_SETTINGS_MODULE": "tests.reminders.worker_settings",
            "REMINDERS_MAIL_LOG": str(self.log),
            "REMINDERS_MAIL_REFUSE": str(self.refuse),
        }

    def mails(self) -> list[dict[str, object]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]

    def recipients(self) -> Counter[str]:
        return Counter(str(m["to"][0]) for m in self.mails())  # type: ignore[index]


@pytest.fixture
def mailbox(tmp_path: Path) -> Mailbox:
    return Mailbox(tmp_path)


def wait_until(condition: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the workers")
        time.sleep(0.3)


def settled(expected_rows: int) -> Callable[[], bool]:
    """Every ledger row has left the "claimed" state (sent, failed or skipped)."""

    def check() -> bool:
        rows = ReminderDelivery.objects.all()
        return (
            rows.count() >= expected_rows and not rows.filter(state=DeliveryState.CLAIMED).exists()
        )

    return check


def quiet(seconds: float = 3) -> None:
    """Give any stray duplicate task the time to show itself."""
    time.sleep(seconds)


def test_the_sweep_on_two_workers_sends_each_reminder_once(
    world: World, plan: Deliverable, real_broker: None, mailbox: Mailbox
) -> None:
    from tests.workers import celery_worker

    expected = Counter(
        {world.lead.email: 1, world.editor.email: 1, world.other_lead.email: 1,
         world.bj_lead.email: 1}
    )  # fmt: skip
    with ExitStack() as stack:
        for _ in range(2):
            stack.enter_context(celery_worker(queues="default,mail", env=mailbox.env))
        # Two sweeps at once: sent together from two threads, taken by the two workers.
        threads = [
            threading.Thread(target=run_reminder_sweep.delay, args=("2026-03-31",))
            for _ in range(2)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wait_until(settled(4))
        quiet()
        assert mailbox.recipients() == expected
        assert ReminderDelivery.objects.filter(state=DeliveryState.SENT).count() == 4
        # The same day again, twice more: nothing new.
        run_reminder_sweep.delay("2026-03-31")
        run_reminder_sweep.delay("2026-03-31")
        quiet(5)
        assert mailbox.recipients() == expected
        assert ReminderDelivery.objects.count() == 4
        # Every email went through the mail queue, in the recipient's language.
        subjects = {str(m["subject"]) for m in mailbox.mails()}
        assert all("实施方案" in s for s in subjects)


def test_a_failed_send_is_sent_exactly_once_on_a_later_run(
    world: World, plan: Deliverable, real_broker: None, mailbox: Mailbox
) -> None:
    from tests.workers import celery_worker

    mailbox.refuse.write_text(world.editor.email + "\n")
    with celery_worker(queues="default,mail", env=mailbox.env):
        run_reminder_sweep.delay("2026-03-31")
        wait_until(settled(4))
        assert mailbox.recipients() == Counter(
            {world.lead.email: 1, world.other_lead.email: 1, world.bj_lead.email: 1}
        )
        failed = ReminderDelivery.objects.get(recipient=world.editor)
        assert failed.state == DeliveryState.FAILED
        # The mail server accepts the address again; the next day's sweep retries it.
        mailbox.refuse.write_text("")
        run_reminder_sweep.delay("2026-04-01")
        wait_until(settled(8))
        quiet()
        run_reminder_sweep.delay("2026-04-01")  # and once more: nothing twice
        quiet(5)
    failed.refresh_from_db()
    assert failed.state == DeliveryState.SENT
    # The editor: the due-date reminder (retried) and the first overdue one, once each.
    editor_mails = [m for m in mailbox.mails() if m["to"] == [world.editor.email]]
    assert len(editor_mails) == 2
    assert mailbox.recipients() == Counter(
        {world.lead.email: 2, world.editor.email: 2, world.other_lead.email: 2,
         world.bj_lead.email: 2}
    )  # fmt: skip
