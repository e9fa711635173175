"""notify(): rows worded when read, in the reader's language; the email in its recipient's
language at sending time, after commit only, sent once; SMTP failures never undo the
caller's work."""

import smtplib

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import translation
from django.utils.translation import get_language

from apps.filings.models import Filing
from apps.filings.services import filing_start
from apps.notifications.models import Notification, Verb
from apps.notifications.tasks import MAX_RETRIES, send_notification_email
from apps.timeline.models import Deliverable
from config.celery_app import app
from tests.conftest import World, zh
from tests.notifications.backends import FailingSMTPBackend
from tests.notifications.conftest import PARAMS, TITLE_EN, TITLE_ZH, english

pytestmark = pytest.mark.django_db

FAILING = "tests.notifications.backends.FailingSMTPBackend"


def test_each_recipient_gets_the_email_in_their_language(
    world: World, make_notifications, django_capture_on_commit_callbacks
) -> None:
    english(world.editor)
    assert world.lead.preferred_language == "zh-hans"
    callers_language = get_language()
    with (
        override_settings(SITE_URL="https://filing.example.cn/"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        created = make_notifications([world.lead, world.editor])

    by_user = {n.recipient_id: n for n in Notification.objects.all()}
    assert {n.pk for n in created} == {n.pk for n in by_user.values()}
    # What is stored is the verb and its params; no sentence in anyone's language.
    for notification in by_user.values():
        assert notification.verb == Verb.SUBMITTED and notification.variant == ""
        assert notification.params == {
            "enterprise_zh": "中国测试能源集团有限公司",
            "enterprise_en": "China Test Energy Group",
            "deliverable_zh": "实施方案",
            "deliverable_en": "Implementation plan",
        }
        assert notification.title == ""
    assert all(n.email_sent_at is not None and n.email_error == "" for n in by_user.values())
    assert all(n.read_at is None for n in by_user.values())

    assert len(mail.outbox) == 2
    messages = {m.to[0]: m for m in mail.outbox}
    zh, en = messages[world.lead.email], messages[world.editor.email]
    assert zh.subject == f"{TITLE_ZH} · 价值创造行动备案系统"
    assert en.subject == f"{TITLE_EN} · Value Creation Filing System"
    assert TITLE_ZH in zh.body and TITLE_EN not in zh.body
    assert TITLE_EN in en.body and TITLE_ZH not in en.body
    # plain text and HTML, with an absolute link through the centre (marks it read)
    link = f"https://filing.example.cn/notifications/{by_user[world.editor.pk].pk}/open/"
    assert link in en.body
    html, mimetype = en.alternatives[0]
    assert mimetype == "text/html"
    assert link in str(html)
    assert '<html lang="en">' in str(html)
    assert '<html lang="zh-Hans">' in str(zh.alternatives[0][0])
    # rendering in their language did not change the caller's
    assert get_language() == callers_language


def test_the_email_is_worded_in_the_recipients_language_when_it_is_sent(
    world: World, make_notifications
) -> None:
    english(world.lead)
    (notification,) = make_notifications([world.lead])  # made while they read English
    world.lead.preferred_language = "zh-hans"  # they switch before the email leaves
    world.lead.save(update_fields=["preferred_language"])
    with translation.override("en"):  # whatever the sender's language
        assert send_notification_email.apply(args=(notification.pk,)).get() is True
    (email,) = mail.outbox
    assert email.subject == f"{TITLE_ZH} · 价值创造行动备案系统"
    assert TITLE_ZH in email.body and TITLE_EN not in email.body


def test_the_title_is_worded_in_the_active_language_when_read(
    world: World, make_notifications
) -> None:
    (notification,) = make_notifications([world.lead])
    notification = Notification.objects.get(pk=notification.pk)
    with translation.override("en"):
        assert notification.display_title == TITLE_EN
        assert str(notification) == TITLE_EN
    with translation.override("zh-hans"):
        assert notification.display_title == TITLE_ZH


def test_an_english_name_falls_back_to_the_chinese_one(world: World, make_notifications) -> None:
    params = {**PARAMS, "enterprise_en": ""}
    (notification,) = make_notifications([world.lead], params=params)
    with translation.override("en"):
        assert notification.display_title == (
            "中国测试能源集团有限公司 submitted “Implementation plan” for review"
        )


def test_plural_phrases_follow_the_count(world: World, make_notifications) -> None:
    one, many = (
        make_notifications([world.lead], verb=Verb.ESCALATION, params={"count": n})[0]
        for n in (1, 3)
    )
    with translation.override("en"):
        assert one.display_title == "1 overdue filing needs your attention"
        assert many.display_title == "3 overdue filings need your attention"
    with translation.override("zh-hans"):
        assert many.display_title == "3 项逾期备案需要您关注"


def test_rows_written_before_show_their_stored_title(world: World) -> None:
    """Rows from before titles were worded on reading have no params: their title stays."""
    old = Notification.objects.create(
        recipient=world.lead, verb=Verb.APPROVED, title="“实施方案”已审核通过", url="/"
    )
    old.refresh_from_db()
    assert old.params is None
    for language in ("en", "zh-hans"):
        with translation.override(language):
            assert old.display_title == "“实施方案”已审核通过"


def test_params_a_phrase_cannot_be_made_from_are_refused(world: World, make_notifications) -> None:
    from django.utils.functional import lazy

    # A lazy string (what gettext_lazy gives) is not JSON: it would be worded at write time.
    lazy_text = lazy(lambda: "计划", str)()
    refused = [
        {"verb": Verb.SUBMITTED, "params": {"enterprise_zh": "甲"}},  # no deliverable
        {"verb": Verb.SUBMITTED, "params": {**PARAMS, "enterprise_zh": world.central}},
        {"verb": Verb.SUBMITTED, "params": {**PARAMS, "enterprise_zh": lazy_text}},
        {"verb": Verb.ESCALATION, "params": {"count": "many"}},
        {"verb": Verb.REMINDER, "variant": "someday", "params": PARAMS},
        {"verb": Verb.COMMENT, "params": PARAMS},  # no phrasing for it yet
    ]
    for options in refused:
        with pytest.raises(ValidationError):
            make_notifications([world.lead], **options)
    assert not Notification.objects.exists()


def test_a_phrase_gone_since_falls_back_to_the_kind(world: World) -> None:
    note = Notification.objects.create(
        recipient=world.lead, verb=Verb.REMINDER, variant="retired", params={}, url="/"
    )
    with translation.override("en"):
        assert note.display_title == "Deadline reminder"


def test_inactive_people_the_actor_and_duplicates_are_skipped(
    world: World, make_notifications, django_assert_num_queries
) -> None:
    world.other_lead.is_active = False
    world.other_lead.save()
    created = make_notifications(
        [world.lead, world.editor, world.lead, world.other_lead], actor=world.editor
    )
    assert [n.recipient_id for n in created] == [world.lead.pk]
    with django_assert_num_queries(0):
        assert make_notifications([world.editor], actor=world.editor) == []


def test_notification_links_to_its_filing(
    world: World, make_notifications, plan: Deliverable
) -> None:
    filing = filing_start(enterprise=world.central, deliverable=plan, actor=world.editor)
    (notification,) = make_notifications(
        [world.lead], verb=Verb.RETURNED, filing=filing, url=filing.get_absolute_url()
    )
    notification.refresh_from_db()
    assert notification.filing == filing
    assert notification.url == filing.get_absolute_url()
    with translation.override("zh-hans"):
        assert notification.get_verb_display() == zh("Returned for revision")


@pytest.mark.parametrize(
    ("verb", "url"),
    [
        ("shouted", "/"),
        (Verb.SUBMITTED, "https://evil.example/"),
        (Verb.SUBMITTED, "//evil.example/"),
        (Verb.SUBMITTED, "/\\evil.example"),
        (Verb.SUBMITTED, ""),
    ],
)
def test_unknown_verbs_and_foreign_links_are_refused(
    world: World, make_notifications, verb: str, url: str
) -> None:
    with pytest.raises(ValidationError):
        make_notifications([world.lead], verb=verb, url=url)
    assert not Notification.objects.exists()


def test_the_database_refuses_an_absolute_link(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient=world.lead, verb=Verb.COMMENT, title="x", url="https://evil.example/"
        )


def test_nothing_is_created_or_sent_when_the_transaction_rolls_back(
    world: World, make_notifications, django_capture_on_commit_callbacks
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        make_notifications([world.lead, world.editor])
        raise RuntimeError("the caller's work failed")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_no_email_is_queued_before_commit(
    world: World, make_notifications, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_notifications([world.lead, world.editor])
    assert len(callbacks) == 2  # one task each, waiting for the commit
    assert mail.outbox == []


def test_the_task_is_idempotent(world: World, make_notifications) -> None:
    (notification,) = make_notifications([world.lead])
    assert send_notification_email.apply(args=(notification.pk,)).get() is True
    assert send_notification_email.apply(args=(notification.pk,)).get() is False
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    first_sent = notification.email_sent_at
    assert first_sent is not None
    send_notification_email.apply(args=(notification.pk,))
    notification.refresh_from_db()
    assert notification.email_sent_at == first_sent


def test_nothing_is_sent_to_someone_deactivated_since(world: World, make_notifications) -> None:
    (notification,) = make_notifications([world.lead])
    world.lead.is_active = False
    world.lead.save()
    assert send_notification_email.apply(args=(notification.pk,)).get() is False
    assert send_notification_email.apply(args=(0,)).get() is False  # gone
    assert mail.outbox == []


@override_settings(EMAIL_BACKEND=FAILING)
def test_an_smtp_failure_keeps_the_callers_work_and_records_the_error(
    world: World, make_notifications, plan: Deliverable, django_capture_on_commit_callbacks
) -> None:
    # In-process (no broker) there is no queue to retry through: the error is recorded at
    # once, and nothing reaches the caller, whose transaction has committed.
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        filing = filing_start(enterprise=world.central, deliverable=plan, actor=world.editor)
        make_notifications([world.lead], filing=filing, url=filing.get_absolute_url())
    assert Filing.objects.filter(pk=filing.pk).exists()
    notification = Notification.objects.get()
    assert notification.filing_id == filing.pk
    assert notification.email_sent_at is None
    assert notification.email_error == "SMTPException: 451 try again later"
    assert mail.outbox == []


def _run_as_worker(notification_id: int, *, retries: int) -> bool:
    """Run the task body as a worker would on its ``retries``-th retry (not in-process)."""
    send_notification_email.push_request(
        retries=retries, is_eager=False, called_directly=False, id="test", args=[], kwargs={}
    )
    try:
        return bool(send_notification_email.run(notification_id))
    finally:
        send_notification_email.pop_request()


@override_settings(EMAIL_BACKEND=FAILING)
def test_an_smtp_error_is_retried_with_backoff_and_recorded_after_the_last_try(
    world: World, make_notifications, monkeypatch
) -> None:
    (notification,) = make_notifications([world.lead])
    retries: list[dict[str, object]] = []

    def retry(**kwargs: object) -> None:
        retries.append(kwargs)
        raise Retry()

    monkeypatch.setattr(send_notification_email, "retry", retry)
    attempts_before = FailingSMTPBackend.attempts

    for attempt in range(MAX_RETRIES):
        with pytest.raises(Retry):
            _run_as_worker(notification.pk, retries=attempt)
        notification.refresh_from_db()
        assert notification.email_error == ""  # not given up yet
    assert len(retries) == MAX_RETRIES
    assert all(isinstance(r["exc"], smtplib.SMTPException) for r in retries)
    assert all(0 <= int(r["countdown"]) <= 600 for r in retries)  # type: ignore[call-overload]

    # the last try: no further retry, the error is kept, the notification stays
    assert _run_as_worker(notification.pk, retries=MAX_RETRIES) is False
    assert len(retries) == MAX_RETRIES
    assert FailingSMTPBackend.attempts - attempts_before == MAX_RETRIES + 1
    notification.refresh_from_db()
    assert notification.email_sent_at is None
    assert "SMTPException" in notification.email_error
    assert mail.outbox == []


def test_a_refused_address_is_not_retried(world: World, make_notifications, monkeypatch) -> None:
    (notification,) = make_notifications([world.lead])

    def refuse(*args: object, **kwargs: object) -> None:
        raise smtplib.SMTPRecipientsRefused({world.lead.email: (550, b"no such user")})

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    monkeypatch.setattr(send_notification_email, "retry", pytest.fail)
    assert _run_as_worker(notification.pk, retries=0) is False
    notification.refresh_from_db()
    assert notification.email_error.startswith("SMTPRecipientsRefused")


def test_the_task_is_late_acked_and_goes_to_the_mail_queue() -> None:
    assert send_notification_email.acks_late is True
    assert send_notification_email.reject_on_worker_lost is True
    assert send_notification_email.max_retries == MAX_RETRIES == 5
    assert issubclass(smtplib.SMTPException, send_notification_email.autoretry_for)
    route = app.amqp.router.route({}, send_notification_email.name)
    assert route["queue"].name == "mail"
