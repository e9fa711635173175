"""Playwright with the system Chromium against pytest-django's live server."""

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # synchronous and safe here. Set only while browser tests run (check --deploy refuses it).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install the 'chromium' package")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.console_errors = errors  # CSP violations show up here
    yield page
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    context.close()


def run_axe(page: Any) -> list[dict[str, Any]]:
    """Inject axe-core from npm and return the serious and critical violations."""
    # evaluate() runs through the DevTools protocol, which the page's CSP does not govern;
    # the page itself still runs under the real policy.
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def describe(violations: list[dict[str, Any]]) -> str:
    return json.dumps(
        [
            {
                "id": v["id"],
                "impact": v["impact"],
                "nodes": [[n["target"], n.get("failureSummary", "")] for n in v["nodes"]],
            }
            for v in violations
        ],
        ensure_ascii=False,
        indent=1,
    )


def login(page: Any, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def login_as(page: Any, user_email: str, password: str, totp_key: str | None = None) -> None:
    """Log in through the form; if the verify step follows, enter the current code of the
    TOTP device whose hex key is ``totp_key``."""
    from django_otp.oath import totp

    login(page, user_email, password)
    if "/accounts/mfa/verify/" not in page.url:
        return
    if totp_key is None:
        raise AssertionError(f"{user_email} must verify a code: pass totp_key")
    page.fill("input[name=token]", f"{totp(bytes.fromhex(totp_key)):06d}")
    with page.expect_navigation():
        page.click("[data-testid=verify-form] button[type=submit]")


def login_by_cookie(page: Any, live_server: Any, user: Any) -> None:
    """Log ``user`` in without the form (and its throttling): a verified session made with
    the test client (a confirmed TOTP device is created when their role needs one), its
    cookie copied into the browser."""
    from django.conf import settings
    from django.test import Client

    from tests.conftest import login_verified

    client = login_verified(Client(), user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )


def page_as(browser: Any, live_server: Any, user: Any) -> Any:
    """A Chinese-speaking browser tab signed in as ``user`` (by session cookie), collecting
    console errors in ``page.console_errors``."""
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.console_errors = errors
    login_by_cookie(page, live_server, user)
    return page


def tick_submission(page: Any) -> None:
    """On the check-your-answers page, tick what a lead ticks to submit: the confirmation,
    and the acknowledgement of flagged figures when the page lists some; and fill in the
    formal submission (document number, signatory, decision)."""
    from tests.filings.conftest import submission_post

    fields = submission_post()
    form = page.locator("[data-testid=submit-form]")
    for name in ("document_number", "signatory_name", "signatory_title", "decision_on"):
        form.locator(f"input[name={name}]").fill(fields[name])
    form.locator(f"input[name=decision_body][value={fields['decision_body']}]").check()
    page.check("[data-testid=submit-form] input[name=confirm]")
    if page.locator("[data-testid=check-warnings]").count():
        page.check("[data-testid=submit-form] input[name=acknowledge]")


def answer_confirm(page: Any, *, accept: bool = True) -> None:
    """Answer the question a data-confirm form asks in the page's dialog (static/js/app.js):
    Confirm sends the form, Cancel leaves it unsent. Call it right after the click that
    asked, inside the ``expect_navigation()`` block when confirming."""
    dialog = page.locator("[data-testid=confirm-dialog]")
    dialog.wait_for(state="visible")
    dialog.locator(
        "[data-testid=confirm-accept]" if accept else "[data-testid=confirm-cancel]"
    ).click()
