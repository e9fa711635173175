"""The reminder sweep over 5,000 enterprises × 6 deliverables: time and queries per batch.

Everything happens in one transaction that is rolled back at the end (other benchmarks share
the database): 5,000 enterprises of our own, each with a lead and an editor, under five
authorities with a lead reviewer each, and the 2023 campaign's six deliverables. The sweep
runs as the beat task runs it (sends queued for the mail queue: queued after commit, so with
the rollback nothing is queued), then the next day's sweep (everything already claimed), then
the cost of sending, measured on a sample with the in-memory mail backend.
"""

import datetime as dt
import time

from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings

from apps.accounts.models import User
from apps.enterprises.creditcode import make_credit_code
from apps.enterprises.models import Authority, Enterprise, Membership, Role
from apps.reminders.models import DeliveryState, ReminderDelivery
from apps.reminders.services import delivery_send, rules_install_defaults
from apps.reminders.sweep import BATCH_SIZE, sweep
from apps.timeline.campaigns import CAMPAIGN_2023, campaign_ensure
from apps.timeline.models import Campaign, Deliverable, Stage

PREFIX = "95"  # credit codes of this benchmark's own enterprises
N = 5000
AUTHORITIES = ["SASAC", "11", "31", "44", "4403"]
# Friday 28 March 2025: the assessment report (due Monday 31 March) is 1 working day away;
# the five earlier deliverables are overdue, so a first sweep catches up on all of them:
# the heaviest day there is.
DAY = dt.date(2025, 3, 28)
SEND_SAMPLE = 1000


def _world() -> tuple[Campaign, list[Enterprise]]:
    campaign = campaign_ensure(
        CAMPAIGN_2023, campaign_model=Campaign, stage_model=Stage, deliverable_model=Deliverable
    )
    rules_install_defaults(campaign=campaign)
    authorities = [Authority.objects.get(code=code) for code in AUTHORITIES]
    Enterprise.objects.filter(credit_code__startswith=PREFIX).delete()
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(
            credit_code=make_credit_code(f"{PREFIX}440000{i:09d}"),
            name_zh=f"提醒基准企业{i:05d}",
            name_en=f"Reminder bench {i:05d}",
            authority=authorities[i % len(authorities)],
            category="commercial_1",
            industry="C",
        )
        for i in range(N)
    )
    users = User.objects.bulk_create(
        [
            User(email=f"remind.{role}.{i}@bench.example.cn", full_name=f"{role}{i}",
                 preferred_language="en" if i % 3 == 0 else "zh-hans")
            for i in range(N)
            for role in ("lead", "editor")
        ]
        + [User(email=f"remind.lead.reviewer.{a.code}@bench.example.cn") for a in authorities],
        batch_size=2000,
    )  # fmt: skip
    memberships = [
        Membership(user=users[2 * i + j], role=role, enterprise=e)
        for i, e in enumerate(enterprises)
        for j, role in enumerate((Role.LEAD, Role.EDITOR))
    ]
    memberships += [
        Membership(user=users[2 * N + k], role=Role.LEAD_REVIEWER, authority=a)
        for k, a in enumerate(authorities)
    ]
    Membership.objects.bulk_create(memberships, batch_size=2000)
    return campaign, enterprises


def run() -> list[str]:
    lines: list[str] = []
    with transaction.atomic():
        campaign, _enterprises = _world()
        deliverables = campaign.deliverables.count()
        kwargs = {
            "campaigns": Campaign.objects.filter(pk=campaign.pk),
            "enterprises": Enterprise.objects.filter(credit_code__startswith=PREFIX),
            "enqueue": True,
        }
        with CaptureQueriesContext(connection) as first_q:
            started = time.perf_counter()
            first = sweep(DAY, **kwargs)  # type: ignore[arg-type]
            first_s = time.perf_counter() - started
        with CaptureQueriesContext(connection) as next_q:
            started = time.perf_counter()
            again = sweep(DAY, **kwargs)  # type: ignore[arg-type]
            again_s = time.perf_counter() - started
        with CaptureQueriesContext(connection) as next_day_q:
            started = time.perf_counter()
            next_day = sweep(DAY + dt.timedelta(days=1), **kwargs)  # type: ignore[arg-type]
            next_day_s = time.perf_counter() - started
        with CaptureQueriesContext(connection) as halves_q:
            halves = sweep(DAY, batch_size=BATCH_SIZE // 2, **kwargs)  # type: ignore[arg-type]
        sample = list(
            ReminderDelivery.objects.filter(enterprise__credit_code__startswith=PREFIX)
            .order_by("pk")
            .values_list("pk", flat=True)[:SEND_SAMPLE]
        )
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            CaptureQueriesContext(connection) as send_q,
        ):
            mail.outbox = []
            started = time.perf_counter()
            states = [delivery_send(delivery_id=pk) for pk in sample]
            send_s = time.perf_counter() - started
        assert all(s == DeliveryState.SENT for s in states) and len(mail.outbox) == len(sample)
        transaction.set_rollback(True)  # leave nothing behind

    def per_batch(queries: int, batches: int) -> str:
        return f"{queries} queries, {queries / max(batches, 1):.1f} per batch of {BATCH_SIZE}"

    lines.append(
        f"first sweep of {DAY} (catch-up, the heaviest day): {N} enterprises x {deliverables} "
        f"deliverables = {first.obligations} obligations in {first.batches} batches; "
        f"{first.claimed} reminders claimed (+ in-app notifications, sends queued) in "
        f"{first_s:.2f} s; {per_batch(len(first_q), first.batches)}"
    )
    lines.append(
        f"same day again: {again.claimed} claimed in {again_s:.2f} s; "
        f"{per_batch(len(next_q), again.batches)}"
    )
    slope = (len(halves_q) - len(next_q)) / max(halves.batches - again.batches, 1)
    lines.append(
        f"same day, batches of {BATCH_SIZE // 2}: {halves.batches} batches, {len(halves_q)} "
        f"queries: {slope:.1f} queries per extra batch, "
        f"{len(next_q) - slope * again.batches:.0f} fixed per sweep; none per enterprise"
    )
    lines.append(
        f"next day ({next_day.today}): {next_day.claimed} claimed in {next_day_s:.2f} s; "
        f"{per_batch(len(next_day_q), next_day.batches)}"
    )
    lines.append(
        f"sending (mail queue's work, locmem backend): {len(sample)} emails in {send_s:.2f} s "
        f"({len(sample) / send_s:,.0f}/s), {len(send_q) / max(len(sample), 1):.1f} queries "
        f"per email (lock, update, transaction)"
    )
    return lines
