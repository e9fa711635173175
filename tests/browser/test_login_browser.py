from urllib.parse import urlparse

import pytest
from django.core.management import call_command

from apps.demo.services import DEMO_PASSWORD
from tests.browser.conftest import describe, login, run_axe

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_login_page_in_chinese_then_english_and_accessible(page) -> None:
    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("h1").inner_text() == "登录"
    violations = run_axe(page)
    assert not violations, describe(violations)

    page.click("[data-testid=switch-language]")
    page.wait_for_url("**/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Log in"
    violations = run_axe(page)
    assert not violations, describe(violations)
    assert not page.console_errors, page.console_errors


def test_demo_enterprise_lead_logs_in_and_sees_home(page) -> None:
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    login(page, "lead.cde@example.cn", DEMO_PASSWORD)
    assert urlparse(page.url).path == "/"
    card = page.locator("[data-testid=enterprise-card]")
    assert card.count() == 1
    assert "中国示范能源集团有限公司" in card.inner_text()
    assert "报送管理员" in card.inner_text()
    violations = run_axe(page)
    assert not violations, describe(violations)
    assert not page.console_errors, page.console_errors

    card.locator("a").click()
    page.wait_for_url("**/enterprises/**")
    assert "统一社会信用代码" in page.content()
    violations = run_axe(page)
    assert not violations, describe(violations)


def test_wrong_password_shows_error_in_chinese(page) -> None:
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    login(page, "lead.cde@example.cn", "not-the-password")
    assert page.locator(".alert-danger, .invalid-feedback, .alert").first.is_visible()
    assert "不正确" in page.content()
