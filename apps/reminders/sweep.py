"""The daily sweep: which reminders are due today, claimed in the ledger, then sent.

1. For the active campaigns, enterprises are read in batches (keyset on the primary key).
   Each batch costs a fixed number of queries whatever its size: its obligations
   (``obligations_for``), its members, one INSERT … ON CONFLICT DO NOTHING of the candidate
   reminders, one SELECT of the rows this claim inserted, one INSERT of their in-app
   notifications and one UPDATE linking them.
2. Escalation digests (one per authority and lead reviewer) and review reminders go through
   the same ledger.
3. Sending: each claimed row is sent by ``services.delivery_send`` (row lock + state
   transition), inline for the management command, or queued on the ``mail`` queue by the
   beat task. Rows left failed (or claimed by a sweep that died) are retried by later sweeps.

Only one sweep runs at a time (a PostgreSQL advisory lock); without the lock the unique
ledger still keeps every reminder to one row, and the row lock keeps it to one email.
"""

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.enterprises.models import ENTERPRISE_ROLES, Enterprise, Membership, Role
from apps.filings.models import Filing
from apps.filings.workflow import State
from apps.notifications.models import Verb
from apps.notifications.phrases import bilingual_params
from apps.notifications.services import InAppNotice, notifications_create_in_app
from apps.reminders import schedule
from apps.reminders.models import (
    ENTERPRISE_KINDS,
    DeliveryState,
    ReminderDelivery,
    ReminderOptOut,
    ReminderRule,
    RuleKind,
)
from apps.reminders.services import (
    DEFAULT_RULES,
    delivery_send,
    rules_install_defaults,
)
from apps.timeline.models import DEADLINE_ZONE, Campaign, Deliverable
from apps.timeline.obligations import Obligation, all_filing_enterprises, obligations_for

BATCH_SIZE = 500
# "VCRM": the advisory lock every sweep takes; any other 64-bit number would do.
LOCK_KEY = 0x5643524D
# A row still "claimed" this long after its claim lost its sender (a sweep or a worker that
# died before sending): a later sweep sends it.
STALE_CLAIM = dt.timedelta(minutes=30)
# A repeating reminder whose occasion is older than this is not caught up (the first sweep
# after installing, or after the beat was down for days): its next occasion comes instead,
# rather than a burst of stale reminders followed by fresh ones the next day.
CATCH_UP_DAYS = 3

VERBS = {
    RuleKind.BEFORE_DUE: Verb.REMINDER,
    RuleKind.ON_DUE: Verb.REMINDER,
    RuleKind.OVERDUE_REPEAT: Verb.REMINDER,
    RuleKind.ESCALATION: Verb.ESCALATION,
    RuleKind.REVIEW_WAITING: Verb.REVIEW_WAITING,
}
WAITING_STATES = (State.SUBMITTED, State.UNDER_REVIEW)


@dataclass
class SweepLine:
    action: str  # sent, failed, skipped, queued, would send, would retry
    kind: str
    recipient: str
    subject: str
    due_on: dt.date
    occasion_on: dt.date

    def __str__(self) -> str:
        return (
            f"{self.action:<11} {self.kind:<15} {self.occasion_on} due {self.due_on} "
            f"{self.recipient} — {self.subject}"
        )


@dataclass
class SweepReport:
    today: dt.date
    dry_run: bool = False
    locked_out: bool = False
    lines: list[SweepLine] = field(default_factory=list)
    batches: int = 0
    enterprises: int = 0
    obligations: int = 0
    candidates: int = 0
    claimed: int = 0
    opted_out: int = 0
    retried: int = 0
    defaults_installed: int = 0
    states: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, action: str, delivery: ReminderDelivery) -> None:
        self.states[action] += 1
        self.lines.append(
            SweepLine(
                action=action,
                kind=delivery.kind,
                recipient=delivery.recipient.email,
                subject=describe(delivery),
                due_on=delivery.due_on,
                occasion_on=delivery.occasion_on,
            )
        )

    def summary(self) -> dict[str, Any]:
        return {
            "date": self.today.isoformat(),
            "dry_run": self.dry_run,
            "locked_out": self.locked_out,
            "batches": self.batches,
            "enterprises": self.enterprises,
            "obligations": self.obligations,
            "candidates": self.candidates,
            "claimed": self.claimed,
            "opted_out": self.opted_out,
            "retried": self.retried,
            **dict(self.states),
        }

    def totals(self) -> str:
        if self.locked_out:
            return "another sweep is running: nothing done"
        states = ", ".join(f"{k} {v}" for k, v in sorted(self.states.items())) or "nothing due"
        return (
            f"{self.today}: {self.enterprises} enterprises, {self.obligations} obligations in "
            f"{self.batches} batches; {self.candidates} reminders due, {self.claimed} newly "
            f"claimed, {self.opted_out} turned off by their recipient, {self.retried} retried; "
            f"{states}"
        )


def describe(delivery: ReminderDelivery) -> str:
    """What a reminder is about, for the operator's listing."""
    if delivery.kind == RuleKind.ESCALATION:
        authority = delivery.authority.code if delivery.authority else delivery.subject_key
        return f"{authority}: {len(delivery.payload.get('entries', []))} overdue"
    enterprise = delivery.enterprise.credit_code if delivery.enterprise else ""
    deliverable = delivery.deliverable.title if delivery.deliverable else ""
    return f"{enterprise} · {deliverable}"


def notice_params(delivery: ReminderDelivery) -> dict[str, Any]:
    """What the in-app notification of a reminder is worded from when read (in the reader's
    language then): both names of the enterprise and deliverable, the date, and the
    digest's count. Everything is at hand on the delivery: no query."""
    if delivery.kind == RuleKind.ESCALATION:
        return {"count": len(delivery.payload.get("entries", []))}
    enterprise, deliverable = delivery.enterprise, delivery.deliverable
    params: dict[str, Any] = {
        "date": delivery.due_on.isoformat(),
        **bilingual_params(
            enterprise=(enterprise.name_zh, enterprise.name_en) if enterprise else ("", ""),
            deliverable=(deliverable.title_zh, deliverable.title_en) if deliverable else ("", ""),
        ),
    }
    if delivery.kind == RuleKind.BEFORE_DUE:
        params["days"] = int(delivery.payload.get("working_days", 0))
    return params


@contextmanager
def sweep_lock(*, enabled: bool = True) -> Iterator[bool]:
    """A session-level PostgreSQL advisory lock: True if this sweep may run. Released at
    the end, or by PostgreSQL when the connection dies with the process."""
    if not enabled or connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
        got = bool(cursor.fetchone()[0])
    try:
        yield got
    finally:
        if got:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=DEADLINE_ZONE)


class _Sweep:
    """One run. Holds what every batch shares: rules, deliverables, users' opt-outs."""

    def __init__(
        self,
        today: dt.date,
        *,
        dry_run: bool,
        enqueue: bool,
        campaigns: "models.QuerySet[Campaign] | None",
        enterprises: "models.QuerySet[Enterprise] | None",
        batch_size: int,
    ) -> None:
        self.today = today
        self.dry_run = dry_run
        self.enqueue = enqueue
        self.batch_size = batch_size
        self.report = SweepReport(today=today, dry_run=dry_run)
        self.now = timezone.now()
        campaign_list = list(campaigns if campaigns is not None else Campaign.objects.active())
        self.rules = self._rules(campaign_list)
        # Every deliverable of the campaigns: obligations_for keeps each enterprise to those
        # it owes (an authority's own half-yearly summaries remind its enterprises only).
        self.deliverables = list(
            Deliverable.objects.filter(campaign__in=campaign_list).select_related(
                "campaign", "stage"
            )
        )
        # Subsidiaries that file to their group are reminded of what they owe it too.
        self.enterprises = all_filing_enterprises(
            enterprises if enterprises is not None else Enterprise.objects.all()
        )
        # Small (users × kinds at most): read once.
        self.opt_outs: dict[int, set[str]] = defaultdict(set)
        for user_id, kind in ReminderOptOut.objects.values_list("user_id", "kind"):
            self.opt_outs[user_id].add(kind)
        # {(id(rule), authority id): overdue obligations}; by id() since a dry run's default
        # rules are unsaved (and unhashable).
        self.escalations: dict[tuple[int, int], list[Obligation]] = defaultdict(list)
        self.rule_by_id = {id(r): r for rules in self.rules.values() for r in rules}

    def _rules(self, campaigns: list[Campaign]) -> dict[int, list[ReminderRule]]:
        """{campaign id: its active rules}. A campaign without any rule gets the defaults
        (a dry run only pretends to)."""
        by_campaign: dict[int, list[ReminderRule]] = {c.pk: [] for c in campaigns}
        all_rules = ReminderRule.objects.filter(campaign__in=campaigns)
        has_rules = set(all_rules.values_list("campaign_id", flat=True))
        for campaign in campaigns:
            if campaign.pk not in has_rules:
                if self.dry_run:
                    by_campaign[campaign.pk] = [
                        ReminderRule(
                            campaign=campaign,
                            kind=r.kind,
                            days=r.days,
                            every_days=r.every_days,
                            mandatory=r.mandatory,
                        )
                        for r in DEFAULT_RULES
                    ]
                    continue
                self.report.defaults_installed += rules_install_defaults(campaign=campaign)
        for rule in ReminderRule.objects.filter(campaign__in=campaigns, is_active=True):
            by_campaign[rule.campaign_id].append(rule)
        return by_campaign

    # --- candidates ------------------------------------------------------------------------

    def _wants(self, rule: ReminderRule, user: User) -> bool:
        if rule.mandatory or rule.kind not in self.opt_outs.get(user.pk, ()):
            return True
        self.report.opted_out += 1
        return False

    def _occasion(self, rule: ReminderRule, ob: Obligation) -> dt.date | None:
        if rule.kind == RuleKind.BEFORE_DUE:
            return schedule.before_due_occasion(self.today, ob.due_on, rule.days)
        if rule.kind == RuleKind.ON_DUE:
            return schedule.on_due_occasion(self.today, ob.due_on)
        if rule.kind == RuleKind.OVERDUE_REPEAT:
            return self._recent(
                schedule.overdue_occasion(self.today, ob.due_on, rule.every_days or 7)
            )
        return None

    def _recent(self, occasion: dt.date | None) -> dt.date | None:
        if occasion is None or (self.today - occasion).days > CATCH_UP_DAYS:
            return None
        return occasion

    def enterprise_batches(self) -> Iterator[list[Enterprise]]:
        last = 0
        while True:
            batch = list(
                self.enterprises.filter(pk__gt=last)
                .select_related("authority")
                .order_by("pk")[: self.batch_size]
            )
            if not batch:
                return
            yield batch
            last = batch[-1].pk

    def run_batch(self, batch: list[Enterprise]) -> None:
        self.report.batches += 1
        self.report.enterprises += len(batch)
        if not self.deliverables:
            return
        obligations = obligations_for(batch, deliverables=self.deliverables, now=self.now)
        self.report.obligations += len(obligations)
        members: dict[int | None, list[User]] = defaultdict(list)
        for membership in (
            Membership.objects.active()
            .filter(enterprise__in=batch, role__in=ENTERPRISE_ROLES)
            .select_related("user")
            .order_by("enterprise_id", "user_id")
        ):
            members[membership.enterprise_id].append(membership.user)
        token = uuid.uuid4()
        candidates: list[ReminderDelivery] = []
        for ob in obligations:
            if ob.is_handed_in:
                continue  # submitted, under review or approved: no more reminders
            for rule in self.rules.get(ob.deliverable.campaign_id, ()):
                if rule.kind == RuleKind.ESCALATION:
                    # A subsidiary late with what it owes its group is the group's to chase,
                    # not the commission's (escalating to the group's lead reviewers is
                    # still to come: issue #17).
                    if ob.enterprise.parent_id is not None:
                        continue
                    if schedule.days_overdue(self.today, ob.due_on) > rule.days:
                        self.escalations[(id(rule), ob.enterprise.authority_id)].append(ob)
                    continue
                if rule.kind not in ENTERPRISE_KINDS:
                    continue
                occasion = self._occasion(rule, ob)
                if occasion is None:
                    continue
                url = (ob.filing.url if ob.filing else None) or ob.enterprise.get_absolute_url()
                for user in members.get(ob.enterprise.pk, ()):
                    if not self._wants(rule, user):
                        continue
                    candidates.append(
                        ReminderDelivery(
                            rule=rule,
                            kind=rule.kind,
                            subject_key=f"e{ob.enterprise.pk}:d{ob.deliverable.pk}",
                            recipient=user,
                            due_on=ob.due_on,
                            occasion_on=occasion,
                            enterprise=ob.enterprise,
                            deliverable=ob.deliverable,
                            filing_id=ob.filing.filing_id if ob.filing else None,
                            url=url,
                            payload={"working_days": rule.days}
                            if rule.kind == RuleKind.BEFORE_DUE
                            else {},
                            claim_token=token,
                        )
                    )
        self.claim(candidates, token)

    def run_escalations(self) -> None:
        """One digest per (rule, authority) to each of the authority's lead reviewers, at
        most every ``every_days`` days."""
        if not self.escalations:
            return
        authority_ids = {authority_id for _rule, authority_id in self.escalations}
        leads: dict[int | None, list[User]] = defaultdict(list)
        for membership in (
            Membership.objects.active()
            .filter(authority_id__in=authority_ids, role=Role.LEAD_REVIEWER)
            .select_related("user", "authority")
            .order_by("authority_id", "user_id")
        ):
            leads[membership.authority_id].append(membership.user)
        last_sent = self._last_occasions([self.rule_by_id[key] for key, _a in self.escalations])
        token = uuid.uuid4()
        candidates = []
        for (rule_key, authority_id), obligations in sorted(
            self.escalations.items(),
            key=lambda item: (self.rule_by_id[item[0][0]].days, item[0][1]),
        ):
            rule = self.rule_by_id[rule_key]
            subject_key = f"a{authority_id}"
            entries = [
                {
                    "enterprise_zh": ob.enterprise.name_zh,
                    "enterprise_en": ob.enterprise.name_en,
                    "credit_code": ob.enterprise.credit_code,
                    "deliverable_zh": ob.deliverable.title_zh,
                    "deliverable_en": ob.deliverable.title_en,
                    "due_on": ob.due_on.isoformat(),
                    "days_overdue": schedule.days_overdue(self.today, ob.due_on),
                }
                for ob in sorted(obligations, key=lambda o: (o.due_on, o.enterprise.name_zh))
            ]
            authority = obligations[0].enterprise.authority
            for user in leads.get(authority_id, ()):
                previous = last_sent.get((rule.pk, subject_key, user.pk))
                if (
                    previous is not None
                    and previous + dt.timedelta(days=rule.every_days or 7) > self.today
                ):
                    continue
                if not self._wants(rule, user):
                    continue
                candidates.append(
                    ReminderDelivery(
                        rule=rule,
                        kind=rule.kind,
                        subject_key=subject_key,
                        recipient=user,
                        due_on=self.today,
                        occasion_on=self.today,
                        authority=authority,
                        url=reverse(
                            "timeline:authority_obligations", kwargs={"code": authority.code}
                        ),
                        payload={"entries": entries},
                        claim_token=token,
                    )
                )
        self.claim(candidates, token)

    def _last_occasions(self, rules: list[ReminderRule]) -> dict[tuple[int, str, int], dt.date]:
        saved = [r.pk for r in rules if r.pk is not None]
        if not saved:
            return {}
        rows = (
            ReminderDelivery.objects.filter(rule_id__in=saved)
            .values("rule_id", "subject_key", "recipient_id")
            .annotate(last=Max("occasion_on"))
        )
        return {(r["rule_id"], r["subject_key"], r["recipient_id"]): r["last"] for r in rows}

    def run_reviews(self) -> None:
        """Filings waiting for review: their assigned reviewers are reminded, or the lead
        reviewers when nobody is assigned."""
        rules_by_campaign = {
            cid: [r for r in rules if r.kind == RuleKind.REVIEW_WAITING]
            for cid, rules in self.rules.items()
        }
        if not any(rules_by_campaign.values()):
            return
        filings = (
            Filing.objects.filter(
                state__in=WAITING_STATES,
                submitted_at__isnull=False,
                submitted_at__lt=_start_of(self.today),
                deliverable__campaign_id__in=[c for c, r in rules_by_campaign.items() if r],
                enterprise__in=self.enterprises,
            )
            .select_related("enterprise__authority", "deliverable")
            .order_by("pk")
        )
        last = 0
        while True:
            batch = list(filings.filter(pk__gt=last)[: self.batch_size])
            if not batch:
                return
            last = batch[-1].pk
            self._review_batch(batch, rules_by_campaign)

    def _review_batch(
        self, batch: list[Filing], rules_by_campaign: dict[int, list[ReminderRule]]
    ) -> None:
        from apps.reviews.models import Assignment

        assigned: dict[int, list[User]] = defaultdict(list)
        for assignment in (
            Assignment.objects.active()
            .filter(filing__in=batch, reviewer__is_active=True)
            .select_related("reviewer")
            .order_by("filing_id", "reviewer_id")
        ):
            assigned[assignment.filing_id].append(assignment.reviewer)
        leads: dict[int | None, list[User]] = defaultdict(list)
        for membership in (
            Membership.objects.active()
            .filter(
                authority_id__in={f.enterprise.authority_id for f in batch},
                role=Role.LEAD_REVIEWER,
            )
            .select_related("user")
            .order_by("authority_id", "user_id")
        ):
            leads[membership.authority_id].append(membership.user)
        token = uuid.uuid4()
        candidates = []
        for filing in batch:
            assert filing.submitted_at is not None
            submitted_on = filing.submitted_at.astimezone(DEADLINE_ZONE).date()
            for rule in rules_by_campaign.get(filing.deliverable.campaign_id, ()):
                occasion = self._recent(
                    schedule.review_waiting_occasion(
                        self.today, submitted_on, rule.days, rule.every_days or 7
                    )
                )
                if occasion is None:
                    continue
                reviewers = assigned.get(filing.pk) or leads.get(filing.enterprise.authority_id, [])
                for user in reviewers:
                    if not self._wants(rule, user):
                        continue
                    candidates.append(
                        ReminderDelivery(
                            rule=rule,
                            kind=rule.kind,
                            subject_key=f"f{filing.pk}",
                            recipient=user,
                            due_on=submitted_on,
                            occasion_on=occasion,
                            enterprise=filing.enterprise,
                            deliverable=filing.deliverable,
                            filing=filing,
                            url=filing.get_absolute_url(),
                            claim_token=token,
                        )
                    )
        self.claim(candidates, token)

    # --- claim and send --------------------------------------------------------------------

    def claim(self, candidates: list[ReminderDelivery], token: uuid.UUID) -> None:
        self.report.candidates += len(candidates)
        if not candidates:
            return
        if self.dry_run:
            for delivery in self._not_yet_claimed(candidates):
                self.report.add("would send", delivery)
            return
        with transaction.atomic():
            # INSERT … ON CONFLICT DO NOTHING: a row another sweep (or an earlier one) holds
            # stays its own; the rows carrying this token are exactly those claimed now. One
            # statement per batch (a batch is at most batch size × deliverables × members).
            ReminderDelivery.objects.bulk_create(candidates, ignore_conflicts=True)
            claimed = self._claimed(candidates, token)
            notices = [
                InAppNotice(
                    recipient_id=delivery.recipient.pk,
                    verb=VERBS[RuleKind(delivery.kind)],
                    # A reminder's phrasing depends on its kind (before, on, after the date).
                    variant=delivery.kind if delivery.kind in ENTERPRISE_KINDS else "",
                    params=notice_params(delivery),
                    url=delivery.url,
                    filing_id=delivery.filing_id,
                )
                for delivery in claimed
            ]
            notifications = notifications_create_in_app(notices=notices)
            self._link_notifications(claimed, [n.pk for n in notifications])
            if self.enqueue and claimed:
                from apps.reminders.tasks import send_reminder_emails

                # DjangoTask's delay_on_commit is unknown to celery-types.
                send_reminder_emails.delay_on_commit([d.pk for d in claimed])  # type: ignore[attr-defined]
        self.report.claimed += len(claimed)
        self.deliver(claimed)

    @staticmethod
    def _claimed(candidates: list[ReminderDelivery], token: uuid.UUID) -> list[ReminderDelivery]:
        """The candidates this claim inserted, with their ids: re-selected by the claim's
        token (ids and keys only, matched to the objects already in memory)."""
        by_key: dict[tuple[object, ...], ReminderDelivery] = {
            (c.rule.pk, c.subject_key, c.recipient.pk, c.channel, c.due_on, c.occasion_on): c
            for c in candidates
        }
        claimed = []
        for pk, *key in (
            ReminderDelivery.objects.filter(claim_token=token)
            .order_by("pk")
            .values_list(
                "pk", "rule_id", "subject_key", "recipient_id", "channel", "due_on", "occasion_on"
            )
        ):
            delivery = by_key[tuple(key)]
            delivery.pk = pk
            delivery._state.adding = False
            claimed.append(delivery)
        return claimed

    @staticmethod
    def _link_notifications(claimed: list[ReminderDelivery], notification_ids: list[int]) -> None:
        """One UPDATE … FROM unnest(…) for the whole batch (bulk_update's CASE per row is
        much slower at this size)."""
        if not claimed:
            return
        for delivery, notification_id in zip(claimed, notification_ids, strict=True):
            delivery.notification_id = notification_id
        if connection.vendor != "postgresql":  # SQLite under `make run`: no unnest
            ReminderDelivery.objects.bulk_update(claimed, ["notification"], batch_size=500)
            return
        # The table name is the model's own, not input.
        table = connection.ops.quote_name(ReminderDelivery._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} AS d SET notification_id = v.n "  # noqa: S608
                "FROM unnest(%s::bigint[], %s::bigint[]) AS v(d, n) WHERE d.id = v.d",
                [[d.pk for d in claimed], notification_ids],
            )

    def _not_yet_claimed(self, candidates: list[ReminderDelivery]) -> list[ReminderDelivery]:
        rule_ids = {c.rule.pk for c in candidates if c.rule.pk is not None}
        if not rule_ids:
            return candidates
        existing = set(
            ReminderDelivery.objects.filter(
                rule_id__in=rule_ids,
                subject_key__in={c.subject_key for c in candidates},
                occasion_on__in={c.occasion_on for c in candidates},
            ).values_list(
                "rule_id", "subject_key", "recipient_id", "channel", "due_on", "occasion_on"
            )
        )
        return [
            c
            for c in candidates
            if (c.rule.pk, c.subject_key, c.recipient.pk, c.channel, c.due_on, c.occasion_on)
            not in existing
        ]

    def deliver(self, deliveries: list[ReminderDelivery]) -> None:
        if self.enqueue:
            for delivery in deliveries:
                self.report.add("queued", delivery)
            return
        for delivery in deliveries:
            state = delivery_send(delivery_id=delivery.pk)
            self.report.add(str(state) if state else "taken", delivery)

    def run_retries(self) -> None:
        """Failed sends, and claims whose sender died, are sent now (each still at most once:
        ``delivery_send`` locks the row and checks its state)."""
        pending = list(
            ReminderDelivery.objects.filter(
                Q(state=DeliveryState.FAILED)
                | Q(state=DeliveryState.CLAIMED, claimed_at__lt=self.now - STALE_CLAIM)
            )
            .select_related("recipient", "enterprise", "deliverable", "authority")
            .order_by("pk")
        )
        self.report.retried += len(pending)
        if self.dry_run:
            for delivery in pending:
                self.report.add("would retry", delivery)
            return
        if self.enqueue and pending:
            from apps.reminders.tasks import send_reminder_emails

            for start in range(0, len(pending), self.batch_size):
                send_reminder_emails.delay([d.pk for d in pending[start : start + self.batch_size]])
        self.deliver(pending)


def sweep(
    today: dt.date,
    *,
    dry_run: bool = False,
    enqueue: bool = False,
    lock: bool = True,
    campaigns: "models.QuerySet[Campaign] | None" = None,
    enterprises: "models.QuerySet[Enterprise] | None" = None,
    batch_size: int = BATCH_SIZE,
) -> SweepReport:
    """Compute today's reminders for the active campaigns, claim each in the ledger, send.

    ``enqueue``: hand the sends to the ``mail`` queue (the beat task) instead of sending
    inline (the management command). ``dry_run``: claim, notify and send nothing; list
    what would be sent. ``campaigns`` / ``enterprises`` narrow the sweep (benchmarks).
    ``lock=False`` skips the advisory lock (tests prove the ledger alone is enough).
    """
    with sweep_lock(enabled=lock) as got:
        if not got:
            return SweepReport(today=today, dry_run=dry_run, locked_out=True)
        run = _Sweep(
            today,
            dry_run=dry_run,
            enqueue=enqueue,
            campaigns=campaigns,
            enterprises=enterprises,
            batch_size=batch_size,
        )
        # Retries first: a row claimed by this sweep must not be taken for a stale claim.
        run.run_retries()
        for batch in run.enterprise_batches():
            run.run_batch(batch)
        run.run_escalations()
        run.run_reviews()
        return run.report
