from urllib.parse import urlparse

import pytest

from apps.notifications.models import Notification, Verb
from apps.notifications.services import notify
from tests.browser.conftest import describe, login_by_cookie, run_axe
from tests.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bell_centre_open_and_mark_all_read(page, live_server, world: World) -> None:
    user = world.lead
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    # Worded when read: "“Plan returned” was returned: …", then "Plan submitted “…” for review".
    for verb, name, url in (
        (Verb.RETURNED, "Plan returned", "/accounts/security/"),
        (Verb.SUBMITTED, "Plan", "/"),
    ):
        notify(
            recipients=[user],
            verb=verb,
            filing=None,
            params={"enterprise_zh": name, "enterprise_en": name, "deliverable_zh": name},
            url=url,
            actor=world.editor,
        )
    login_by_cookie(page, live_server, user)

    page.goto("/")
    bell = page.locator("[data-testid=notification-bell]")
    assert bell.locator("[data-testid=notification-count]").inner_text() == "2"
    assert bell.get_attribute("aria-label") == "Notifications: 2 unread"

    with page.expect_navigation():
        bell.click()
    assert urlparse(page.url).path == "/notifications/"
    items = page.locator("[data-testid=notification]")
    assert items.count() == 2
    assert items.nth(0).inner_text().startswith("Plan submitted")  # newest first
    assert page.locator("[data-testid=notification][data-unread=true]").count() == 2
    violations = run_axe(page)
    assert not violations, describe(violations)

    # following one marks it read and lands on its page
    with page.expect_navigation():
        page.get_by_role("link", name="Plan returned").click()
    assert urlparse(page.url).path == "/accounts/security/"
    assert page.locator("[data-testid=notification-count]").inner_text() == "1"

    page.goto("/notifications/")
    assert page.locator("[data-testid=notification][data-unread=true]").count() == 1
    with page.expect_navigation():
        page.locator("[data-testid=mark-all-read] button").click()
    assert urlparse(page.url).path == "/notifications/"
    assert page.locator("[data-testid=notification-bell]").count() == 1
    assert page.locator("[data-testid=notification-count]").count() == 0
    assert page.locator("[data-testid=notification][data-unread=true]").count() == 0
    assert page.locator("[data-testid=mark-all-read]").count() == 0
    violations = run_axe(page)
    assert not violations, describe(violations)
    assert not page.console_errors, page.console_errors
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()


def test_empty_centre_is_accessible(page, live_server, world: World) -> None:
    login_by_cookie(page, live_server, world.editor)
    page.goto("/notifications/")
    assert page.locator("[data-testid=notifications-empty]").is_visible()
    violations = run_axe(page)
    assert not violations, describe(violations)
    assert not page.console_errors, page.console_errors
