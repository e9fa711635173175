"""The sweep: what it sends when, to whom, in which language; and that it never sends twice."""

import datetime as dt
import threading
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone, translation

from apps.audit.models import AuditEvent
from apps.enterprises.models import Role
from apps.enterprises.services import membership_grant
from apps.filings.workflow import State
from apps.notifications.models import Notification, Verb
from apps.reminders.models import DeliveryState, ReminderDelivery, ReminderRule, RuleKind
from apps.reminders.services import preferences_save
from apps.reminders.sweep import sweep
from apps.timeline.models import Campaign, Deliverable, Extension
from tests.conftest import World
from tests.factories import UserFactory
from tests.reminders.conftest import PLAN_DUE, make_filing, sent_to

D = dt.date
pytestmark = pytest.mark.django_db


def days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def test_new_campaign_gets_the_default_rules(world: World, campaign: Campaign) -> None:
    assert not ReminderRule.objects.filter(campaign=campaign).exists()
    sweep(D(2026, 1, 5))
    rules = set(
        ReminderRule.objects.filter(campaign=campaign).values_list(
            "kind", "days", "every_days", "mandatory"
        )
    )
    assert rules == {
        ("before_due", 14, None, False),
        ("before_due", 7, None, False),
        ("before_due", 3, None, False),
        ("before_due", 1, None, False),
        ("on_due", 0, None, True),
        ("overdue_repeat", 0, 7, True),
        ("escalation", 7, 7, True),
        ("review_waiting", 10, 7, False),
    }
    sweep(D(2026, 1, 6))
    assert ReminderRule.objects.filter(campaign=campaign).count() == 8  # idempotent


def test_the_plan_schedule_over_seven_weeks(world: World, plan: Deliverable) -> None:
    """14, 7, 3, 1 working days before 31 March, on the day, then every 7 days overdue."""
    for day in days(D(2026, 3, 1), D(2026, 4, 21)):
        sweep(day)
    rows = ReminderDelivery.objects.filter(recipient=world.lead, deliverable=plan)
    assert sorted(rows.values_list("occasion_on", "kind")) == [
        (D(2026, 3, 11), "before_due"),
        (D(2026, 3, 20), "before_due"),
        (D(2026, 3, 26), "before_due"),
        (D(2026, 3, 30), "before_due"),
        (D(2026, 3, 31), "on_due"),
        (D(2026, 4, 1), "overdue_repeat"),
        (D(2026, 4, 8), "overdue_repeat"),
        (D(2026, 4, 15), "overdue_repeat"),
    ]
    assert set(rows.values_list("state", flat=True)) == {DeliveryState.SENT}
    # The lead and the editor each got one email per reminder; nobody else of central did.
    assert len(sent_to(world.lead.email)) == 8
    assert len(sent_to(world.editor.email)) == 8
    # Enterprises of other authorities are reminded of their own plan, not of central's.
    assert len(sent_to(world.bj_lead.email)) == 8
    assert not ReminderDelivery.objects.filter(
        recipient=world.bj_lead, enterprise=world.central
    ).exists()
    # Each reminder is an in-app notification too, linking to the enterprise (no filing yet).
    notes = Notification.objects.filter(recipient=world.lead, verb=Verb.REMINDER)
    assert notes.count() == 8
    # Each worded by its kind when read, in the reader's language.
    plan_zh = "中国测试能源集团有限公司 的“实施方案”"
    with translation.override("zh-hans"):
        assert sorted(n.display_title for n in notes) == sorted(
            [
                f"{plan_zh}将于 2026-03-31 截止，还剩 14 个工作日",
                f"{plan_zh}将于 2026-03-31 截止，还剩 7 个工作日",
                f"{plan_zh}将于 2026-03-31 截止，还剩 3 个工作日",
                f"{plan_zh}将于 2026-03-31 截止，还剩 1 个工作日",
                f"{plan_zh}今天（2026-03-31）截止",
                f"{plan_zh}已逾期，截止日期为 2026-03-31",
                f"{plan_zh}已逾期，截止日期为 2026-03-31",
                f"{plan_zh}已逾期，截止日期为 2026-03-31",
            ]
        )
    with translation.override("en"):
        english = {n.display_title for n in notes}
    name = world.central.name_en
    assert f"“Plan” of {name} is due on 2026-03-31: 1 working day left" in english
    assert f"“Plan” of {name} is due on 2026-03-31: 14 working days left" in english
    assert f"“Plan” of {name} is overdue: it was due on 2026-03-31" in english
    assert {n.url for n in notes} == {world.central.get_absolute_url()}


def test_stale_repeats_are_not_caught_up(world: World, plan: Deliverable) -> None:
    """A first sweep long after the due date (or after days without a beat) does not send
    an overdue reminder for an occasion days old; the next occasion comes instead."""
    sweep(D(2026, 4, 20))  # occasions 1, 8, 15 April: the 15th is 5 days old
    # Only the escalation digest, which has no fixed occasions: it goes out at once.
    assert set(ReminderDelivery.objects.values_list("kind", "occasion_on")) == {
        ("escalation", D(2026, 4, 20)),
    }
    sweep(D(2026, 4, 22))
    assert set(
        ReminderDelivery.objects.filter(kind="overdue_repeat").values_list("occasion_on")
    ) == {(D(2026, 4, 22),)}
    sweep(D(2026, 4, 24))  # two days late is still caught up, once
    sweep(D(2026, 4, 29))
    assert ReminderDelivery.objects.filter(
        recipient=world.lead, occasion_on=D(2026, 4, 29)
    ).exists()


def test_a_second_sweep_the_same_day_sends_nothing(world: World, plan: Deliverable) -> None:
    first = sweep(PLAN_DUE)
    outbox = len(mail.outbox)
    assert first.claimed == 4 and outbox == 4  # lead, editor, other lead, bj lead
    second = sweep(PLAN_DUE)
    assert second.claimed == 0
    assert len(mail.outbox) == outbox
    assert Notification.objects.filter(verb=Verb.REMINDER).count() == outbox


def test_handed_in_obligations_are_not_reminded(world: World, plan: Deliverable) -> None:
    make_filing(world.central, plan, State.SUBMITTED, submitted_on=D(2026, 3, 25))
    make_filing(world.central_other, plan, State.APPROVED, submitted_on=D(2026, 3, 20))
    draft = make_filing(world.bj_enterprise, plan, State.DRAFT)
    sweep(D(2026, 3, 30))
    assert not sent_to(world.lead.email)
    assert not sent_to(world.other_lead.email)
    (email,) = sent_to(world.bj_lead.email)
    # A filing exists: the link goes to it, absolute.
    assert f"http://testserver-reminders.example/filings/{draft.pk}/" in email.body


@pytest.fixture(autouse=True)
def _site_url(settings: Any) -> None:
    settings.SITE_URL = "http://testserver-reminders.example"


def test_an_extension_re_arms_the_reminders(world: World, plan: Deliverable) -> None:
    sweep(D(2026, 4, 1))  # overdue
    assert len(sent_to(world.lead.email)) == 1
    Extension.objects.create(
        deliverable=plan,
        enterprise=world.central,
        due_on=D(2026, 4, 3),
        reason="测试",
        granted_by=world.sasac_lead_reviewer,
    )
    sweep(D(2026, 4, 2))  # 1 working day before the new date
    mine = ReminderDelivery.objects.filter(recipient=world.lead).order_by("pk")
    assert [(d.kind, d.due_on) for d in mine] == [
        ("overdue_repeat", PLAN_DUE),
        ("before_due", D(2026, 4, 3)),
    ]


def test_optional_reminders_can_be_turned_off_mandatory_ones_cannot(
    world: World, plan: Deliverable
) -> None:
    sweep(D(2026, 1, 2))  # installs the rules
    off = preferences_save(user=world.editor, disabled_kinds=[RuleKind.BEFORE_DUE, RuleKind.ON_DUE])
    assert off == {RuleKind.BEFORE_DUE}  # on_due is mandatory: the request is ignored
    assert AuditEvent.objects.filter(action="reminders.preferences_changed").exists()
    sweep(D(2026, 3, 30))  # 1 working day before
    sweep(PLAN_DUE)
    assert len(sent_to(world.lead.email)) == 2
    assert len(sent_to(world.editor.email)) == 1  # the due-date one only
    assert ReminderDelivery.objects.get(recipient=world.editor).kind == RuleKind.ON_DUE


def test_a_rule_made_mandatory_ignores_earlier_opt_outs(world: World, plan: Deliverable) -> None:
    sweep(D(2026, 1, 2))
    preferences_save(user=world.editor, disabled_kinds=[RuleKind.BEFORE_DUE])
    ReminderRule.objects.filter(kind=RuleKind.BEFORE_DUE, days=1).update(mandatory=True)
    sweep(D(2026, 3, 30))
    assert len(sent_to(world.editor.email)) == 1


def test_each_email_is_in_its_recipients_language(world: World, plan: Deliverable) -> None:
    world.lead.preferred_language = "en"
    world.lead.full_name = ""
    world.lead.save()
    world.editor.preferred_language = "zh-hans"
    world.editor.full_name = ""
    world.editor.save()
    world.central.name_en = "China Test Energy Group"
    world.central.save()
    sweep(PLAN_DUE)
    (en,) = sent_to(world.lead.email)
    (zh,) = sent_to(world.editor.email)
    assert "Plan" in en.subject and "China Test Energy Group" in en.subject
    assert "实施方案" in zh.subject and "中国测试能源集团有限公司" in zh.subject
    assert "Hello," in en.body and "您好" in zh.body
    en_html, zh_html = en.alternatives[0][0], zh.alternatives[0][0]
    assert '<html lang="en">' in en_html and '<html lang="zh-Hans">' in zh_html
    assert "Open it in the Value Creation Filing System" in en_html
    assert "在价值创造行动备案系统中查看" in zh_html
    # Absolute link to the enterprise's page, in both parts.
    link = "http://testserver-reminders.example" + world.central.get_absolute_url()
    assert link in en.body and link in en_html
    # The in-app titles are worded when read, in the reader's language of the moment.
    note = Notification.objects.get(recipient=world.editor)
    assert (note.verb, note.variant) == (Verb.REMINDER, "on_due")
    with translation.override("en"):
        assert note.display_title == ("“Plan” of China Test Energy Group is due today (2026-03-31)")
    with translation.override("zh-hans"):
        assert note.display_title == "中国测试能源集团有限公司 的“实施方案”今天（2026-03-31）截止"


def test_escalation_is_one_digest_per_authority(world: World, plan: Deliverable) -> None:
    second_lead = UserFactory(email="sasac.lead2@example.cn")
    membership_grant(user=second_lead, role=Role.LEAD_REVIEWER, authority=world.sasac)
    sweep(D(2026, 4, 7))  # 7 days overdue: not yet
    assert not ReminderDelivery.objects.filter(kind=RuleKind.ESCALATION).exists()
    sweep(D(2026, 4, 8))  # 8 days overdue
    digests = ReminderDelivery.objects.filter(kind=RuleKind.ESCALATION)
    # SASAC has two lead reviewers: one digest each, listing both of its enterprises. Beijing
    # and Guangdong have no lead reviewer in this world: nobody to escalate to.
    assert sorted(d.recipient.email for d in digests) == sorted(
        [world.sasac_lead_reviewer.email, second_lead.email]
    )
    for digest in digests:
        assert digest.authority == world.sasac
        codes = sorted(e["credit_code"] for e in digest.payload["entries"])
        assert codes == sorted([world.central.credit_code, world.central_other.credit_code])
    (email,) = sent_to(world.sasac_lead_reviewer.email)
    assert world.central.credit_code in email.body
    assert world.central_other.credit_code in email.body
    assert world.bj_enterprise.credit_code not in email.body
    (digest_note,) = Notification.objects.filter(
        recipient=world.sasac_lead_reviewer, verb=Verb.ESCALATION
    )
    with translation.override("zh-hans"):
        assert digest_note.display_title == "2 项逾期备案需要您关注"
    with translation.override("en"):
        assert digest_note.display_title == "2 overdue filings need your attention"
    # The next days: no new digest until a week has passed.
    for day in days(D(2026, 4, 9), D(2026, 4, 14)):
        sweep(day)
    assert digests.all().count() == 2  # .all(): a fresh query, not the cached rows
    sweep(D(2026, 4, 15))
    assert digests.all().count() == 4


def test_review_waiting_reminds_the_assigned_reviewer(world: World, plan: Deliverable) -> None:
    from apps.reviews.models import Assignment

    waiting = make_filing(world.central, plan, State.SUBMITTED, submitted_on=D(2026, 3, 2))
    Assignment.objects.create(
        filing=waiting, reviewer=world.sasac_reviewer, assigned_by=world.sasac_lead_reviewer
    )
    unassigned = make_filing(
        world.central_other, plan, State.UNDER_REVIEW, submitted_on=D(2026, 3, 2)
    )
    make_filing(world.bj_enterprise, plan, State.SUBMITTED, submitted_on=D(2026, 3, 12))
    # 2 March + 10 working days = 16 March; "more than 10" first on Tue 17 March.
    sweep(D(2026, 3, 16))
    assert not ReminderDelivery.objects.filter(kind=RuleKind.REVIEW_WAITING).exists()
    sweep(D(2026, 3, 17))
    rows = ReminderDelivery.objects.filter(kind=RuleKind.REVIEW_WAITING)
    assert sorted((d.filing_id, d.recipient.email) for d in rows) == sorted(
        [
            (waiting.pk, world.sasac_reviewer.email),
            (unassigned.pk, world.sasac_lead_reviewer.email),  # nobody assigned: the lead
        ]
    )
    (email,) = sent_to(world.sasac_reviewer.email)
    assert f"/filings/{waiting.pk}/" in email.body
    note = Notification.objects.get(recipient=world.sasac_reviewer)
    assert note.verb == Verb.REVIEW_WAITING
    with translation.override("en"):
        assert note.display_title == (
            f"“Plan” of {world.central.name_en} has waited for review since 2026-03-02"
        )


def test_dry_run_sends_nothing_and_writes_nothing(world: World, plan: Deliverable) -> None:
    report = sweep(PLAN_DUE, dry_run=True)
    assert {line.action for line in report.lines} == {"would send"}
    assert len(report.lines) == 4
    assert not mail.outbox
    assert not ReminderDelivery.objects.exists()
    assert not Notification.objects.exists()
    assert not ReminderRule.objects.filter(campaign=plan.campaign).exists()  # no defaults yet
    # Once sent, a dry run of the same day lists nothing new.
    sweep(PLAN_DUE)
    assert sweep(PLAN_DUE, dry_run=True).lines == []


class FailFor:
    """A mail backend that refuses one address and delivers the others to the outbox."""

    refused: set[str] = set()


def test_a_failed_send_is_retried_once_by_a_later_sweep(
    world: World, plan: Deliverable, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "tests.reminders.backends.RefusingBackend"
    from tests.reminders.backends import RefusingBackend

    RefusingBackend.refused = {world.editor.email}
    report = sweep(PLAN_DUE)
    assert report.states == {"sent": 3, "failed": 1}
    assert len(sent_to(world.lead.email)) == 1
    assert not sent_to(world.editor.email)
    failed = ReminderDelivery.objects.get(recipient=world.editor)
    assert failed.state == DeliveryState.FAILED and "451" in failed.last_error
    # Still refused the next day: tried again (and the day's overdue reminder fails too).
    sweep(D(2026, 4, 1))
    failed.refresh_from_db()
    assert failed.state == DeliveryState.FAILED and failed.attempts == 2
    RefusingBackend.refused = set()
    mail.outbox = []
    report = sweep(D(2026, 4, 2))
    assert report.retried == 2 and report.claimed == 0
    # The due-date and the overdue reminders, at last, once each.
    assert sorted(m.subject for m in mail.outbox) == sorted(
        m.subject for m in sent_to(world.editor.email)
    )
    assert len(sent_to(world.editor.email)) == 2
    failed.refresh_from_db()
    assert failed.state == DeliveryState.SENT and failed.attempts == 3
    mail.outbox = []
    sweep(D(2026, 4, 2))
    assert not mail.outbox  # and never again


def test_a_sweep_that_finds_the_lock_taken_does_nothing(world: World, plan: Deliverable) -> None:
    from django.db import connections

    from apps.reminders.sweep import LOCK_KEY

    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        report = sweep(PLAN_DUE)
        assert report.locked_out
        assert not mail.outbox and not ReminderDelivery.objects.exists()
    finally:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
        other.close()
    assert sweep(PLAN_DUE).claimed == 4


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_without_the_lock_send_each_reminder_once(
    world: World, plan: Deliverable
) -> None:
    """The ledger alone keeps them apart: both compute the same reminders, only one claims
    each, and only the claimant sends it."""
    sweep(D(2026, 1, 2))  # rules installed before the race
    barrier = threading.Barrier(2)
    reports: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            reports.append(sweep(PLAN_DUE, lock=False))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sum(r.claimed for r in reports) == 4
    assert len(mail.outbox) == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.lead.email, world.editor.email, world.other_lead.email, world.bj_lead.email]
    )
    assert ReminderDelivery.objects.filter(state=DeliveryState.SENT).count() == 4


def test_a_claim_whose_sender_died_is_sent_by_a_later_sweep(
    world: World, plan: Deliverable
) -> None:
    """The beat's sweep claimed and queued a send, and the worker was lost before sending:
    the row stays "claimed"; once it is stale, the next sweep sends it, once."""
    sweep(PLAN_DUE, enqueue=True)  # queued on commit, never run: this test never commits
    assert not mail.outbox
    pending = ReminderDelivery.objects.filter(state=DeliveryState.CLAIMED)
    assert pending.count() == 4
    sweep(PLAN_DUE)
    assert not mail.outbox  # too fresh: its own sender may still be at work
    ReminderDelivery.objects.update(claimed_at=timezone.now() - dt.timedelta(hours=1))
    report = sweep(PLAN_DUE)
    assert report.retried == 4 and report.claimed == 0
    assert len(mail.outbox) == 4
    sweep(PLAN_DUE)
    assert len(mail.outbox) == 4
