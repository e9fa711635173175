"""Reminders in real Chromium: the notification centre shows a swept reminder and opening it
goes to the filing; a user turns an optional kind off, sees the mandatory ones locked, and
the choice persists."""

from urllib.parse import urlparse

import pytest

from apps.filings.services import filing_start
from apps.notifications.models import Notification, Verb
from apps.reminders.models import ReminderOptOut, RuleKind
from apps.reminders.services import rules_install_defaults
from apps.reminders.sweep import sweep
from apps.timeline.models import Deliverable
from tests.browser.conftest import describe, login_by_cookie, run_axe
from tests.conftest import World
from tests.reminders.conftest import PLAN_DUE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_swept_reminder_in_the_centre_opens_the_filing(
    page, live_server, world: World, plan: Deliverable
) -> None:  # type: ignore[no-untyped-def]
    user = world.lead
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    filing = filing_start(enterprise=world.central, deliverable=plan, actor=world.editor)
    report = sweep(PLAN_DUE)
    assert report.claimed == 4  # central's lead and editor, the other two leads

    login_by_cookie(page, live_server, user)
    page.goto("/")
    assert page.locator("[data-testid=notification-count]").inner_text() == "1"
    page.goto("/notifications/")
    item = page.locator("[data-testid=notification]")
    assert item.count() == 1
    assert item.get_attribute("data-unread") == "true"
    assert "Deadline reminder" in item.inner_text()
    assert "“Plan” of" in item.inner_text() and "2026-03-31" in item.inner_text()
    violations = run_axe(page)
    assert not violations, describe(violations)

    with page.expect_navigation():
        item.locator("a").click()
    assert urlparse(page.url).path == f"/filings/{filing.pk}/"
    assert page.locator("[data-testid=notification-count]").count() == 0
    page.goto("/notifications/")
    assert page.locator("[data-testid=notification]").get_attribute("data-unread") == "false"
    assert not page.console_errors, page.console_errors
    note = Notification.objects.get(recipient=user)
    assert note.verb == Verb.REMINDER and note.read_at is not None


def test_a_user_turns_an_optional_reminder_off(
    page, live_server, world: World, plan: Deliverable
) -> None:  # type: ignore[no-untyped-def]
    rules_install_defaults(campaign=plan.campaign)
    user = world.editor
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    login_by_cookie(page, live_server, user)

    page.goto("/notifications/")
    with page.expect_navigation():
        page.locator("[data-testid=reminder-settings]").click()
    assert urlparse(page.url).path == "/reminders/preferences/"
    for kind in ("on_due", "overdue_repeat"):
        switch = page.locator(f"#id_{kind}")
        assert switch.is_checked() and switch.is_disabled(), kind
        assert page.locator(f"[data-testid=kind-{kind}] [data-testid=mandatory]").is_visible()
    # The reviewers' kinds never reach an enterprise's editor: not offered.
    assert page.locator("#id_escalation, #id_review_waiting").count() == 0
    optional = page.get_by_label("Before the due date")
    assert optional.is_checked() and optional.is_enabled()
    violations = run_axe(page)
    assert not violations, describe(violations)

    optional.uncheck()
    with page.expect_navigation():
        page.locator("[data-testid=save-preferences]").click()
    assert "Your reminder settings are saved." in page.content()
    page.reload()
    assert not page.get_by_label("Before the due date").is_checked()
    assert page.locator("#id_on_due").is_checked()
    assert set(ReminderOptOut.objects.filter(user=user).values_list("kind", flat=True)) == {
        RuleKind.BEFORE_DUE
    }
    violations = run_axe(page)
    assert not violations, describe(violations)
    assert not page.console_errors, page.console_errors


def test_an_administrator_edits_a_campaigns_rules(
    page, live_server, world: World, plan: Deliverable
) -> None:  # type: ignore[no-untyped-def]
    from apps.reminders.models import ReminderRule

    rules_install_defaults(campaign=plan.campaign)
    world.admin.preferred_language = "en"
    world.admin.save(update_fields=["preferred_language"])
    login_by_cookie(page, live_server, world.admin)
    page.goto(f"/campaigns/{plan.campaign.pk}/reminders/")
    assert page.locator("[data-testid=rule-row]").count() == 9  # 8 defaults and a blank row
    violations = run_axe(page)
    assert not violations, describe(violations)
    fourteen = ReminderRule.objects.get(campaign=plan.campaign, kind="before_due", days=14)
    row = page.locator("[data-testid=rule-row]").filter(
        has=page.locator(f"input[value='{fourteen.pk}']")
    )
    row.locator("input[name$=-days]").fill("10")
    with page.expect_navigation():
        page.locator("[data-testid=save-rules]").click()
    assert "The reminder rules are saved." in page.content()
    fourteen.refresh_from_db()
    assert fourteen.days == 10
    assert not page.console_errors, page.console_errors
