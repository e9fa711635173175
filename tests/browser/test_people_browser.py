import base64
import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from django_otp.oath import totp

from apps.enterprises.models import Membership, Role
from tests.browser.conftest import describe, login_as, run_axe
from tests.conftest import World
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enterprise_lead_invites_an_editor_who_sets_a_password(
    page, browser, live_server, world: World
) -> None:
    login_as(page, world.lead.email, PASSWORD)
    page.goto(f"/enterprises/{world.central.credit_code}/people/")
    assert "editor@example.cn" in page.locator("[data-testid=members-table]").inner_text()
    violations = run_axe(page)
    assert not violations, describe(violations)
    # only the editor role is offered
    options = page.locator("select[name=role] option").evaluate_all(
        "nodes => nodes.map(n => n.value)"
    )
    assert options == ["editor"]

    form = page.locator("[data-testid=invite-form]")
    form.locator("input[name=email]").fill("new.colleague@example.cn")
    form.locator("input[name=full_name]").fill("New Colleague")
    form.locator("select[name=language]").select_option("en")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "new.colleague@example.cn" in page.locator(".alert-success").inner_text()
    assert (
        "new.colleague@example.cn" in page.locator("[data-testid=invitations-table]").inner_text()
    )
    assert not page.console_errors, page.console_errors

    # the task ran at commit, in-process, into the locmem outbox
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.colleague@example.cn"]
    link = re.search(r"https?://[^/\s]+(/invitations/[^/\s]+/)", message.body).group(1)  # type: ignore[union-attr]

    # a fresh browser (no cookies) opens the link
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    newcomer = context.new_page()
    newcomer.set_default_timeout(15_000)
    try:
        newcomer.goto(link)
        assert newcomer.locator("html").get_attribute("lang") == "en"
        assert (
            world.central.name_en
            in newcomer.locator("[data-testid=invitation-summary]").inner_text()
        )
        violations = run_axe(newcomer)
        assert not violations, describe(violations)
        newcomer.fill("input[name=full_name]", "New Colleague")
        newcomer.fill("input[name=password1]", "a-long-new-passphrase-77")
        newcomer.fill("input[name=password2]", "a-long-new-passphrase-77")
        with newcomer.expect_navigation():
            newcomer.click("[data-testid=signup-form] button[type=submit]")
        assert urlparse(newcomer.url).path == "/"
        card = newcomer.locator("[data-testid=enterprise-card]")
        assert card.count() == 1
        assert world.central.name_en in card.inner_text()
        assert "Enterprise editor" in card.inner_text()
    finally:
        context.close()
    membership = Membership.objects.get(user__email="new.colleague@example.cn")
    assert (membership.role, membership.enterprise_id) == (Role.EDITOR, world.central.pk)


def test_reviewer_enrols_an_authenticator_app(page, world: World) -> None:
    login_as(page, world.bj_reviewer.email, PASSWORD)
    # no device yet: every page leads to the enrolment
    assert urlparse(page.url).path == "/accounts/mfa/enrol/"
    page.goto("/authorities/11/")
    assert urlparse(page.url).path == "/accounts/mfa/enrol/"
    violations = run_axe(page)
    assert not violations, describe(violations)
    assert page.locator("img[alt][src^='data:image/svg+xml']").count() == 1

    secret = page.locator("[data-testid=totp-secret]").inner_text().replace(" ", "")
    key = base64.b32decode(secret)
    page.fill("input[name=token]", f"{totp(key):06d}")
    with page.expect_navigation():
        page.click("main form button.btn-primary")
    assert urlparse(page.url).path == "/accounts/mfa/recovery-codes/"
    assert page.locator("[data-testid=recovery-codes] li").count() == 10
    violations = run_axe(page)
    assert not violations, describe(violations)

    with page.expect_navigation():
        page.click("main form button.btn-primary")
    assert urlparse(page.url).path == "/authorities/11/"
    assert page.locator("h1").count() >= 1
    assert not page.console_errors, page.console_errors


def test_login_by_cookie_gives_a_verified_reviewer_session(page, live_server, world: World):
    from tests.browser.conftest import login_by_cookie

    login_by_cookie(page, live_server, world.bj_reviewer)
    page.goto("/authorities/11/")
    assert urlparse(page.url).path == "/authorities/11/"
    assert world.bj_enterprise.credit_code in page.content()
