"""An administrator imports a GBK CSV through the browser: upload, preview, confirm."""

from typing import Any
from urllib.parse import urlparse

import pytest
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.enterprises.models import Enterprise
from tests.browser.conftest import answer_confirm, describe, login_by_cookie, run_axe
from tests.factories import UserFactory, authority
from tests.registry.test_import_files import HEADER_ZH, code, csv_bytes, row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_imports_a_gbk_csv_through_upload_preview_and_confirm(
    page: Any, live_server: Any, media_tmp: None
) -> None:
    authority("35")
    admin = UserFactory(email="import.admin@example.cn", is_staff=True, preferred_language="en")
    group, child_a, child_b = code(1), code(2), code(3)
    content = csv_bytes(
        [
            row(child_a, "福建导入子公司甲有限公司", parent=group),
            row(child_b, "福建导入子公司乙有限公司", parent=group, listed="是"),
            row(group, "福建导入测试集团有限公司", category="商业二类", industry="D"),
        ],
        header=HEADER_ZH,
        encoding="gbk",
    )
    login_by_cookie(page, live_server, admin)

    page.goto(reverse("registry:import_upload"))
    assert page.locator("h1").inner_text() == "Import enterprises"
    violations = run_axe(page)
    assert not violations, describe(violations)
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "企业名单.csv", "mimeType": "text/csv", "buffer": content}],
    )
    with page.expect_navigation():
        page.click("[data-testid=import-upload-form] button[type=submit]")
    assert urlparse(page.url).path == reverse("registry:import_preview")
    assert page.locator("[data-testid=count-rows]").inner_text() == "3"
    assert page.locator("[data-testid=count-create]").inner_text() == "3"
    assert page.locator("[data-testid=count-update]").inner_text() == "0"
    assert page.locator("[data-testid=count-errors]").inner_text() == "0"
    assert "福建导入测试集团有限公司" in page.locator("[data-testid=import-creates]").inner_text()
    violations = run_axe(page)
    assert not violations, describe(violations)

    # data-confirm asks first: cancelling writes nothing.
    page.click("[data-testid=import-confirm-form] button[type=submit]")
    answer_confirm(page, accept=False)
    assert urlparse(page.url).path == reverse("registry:import_preview")
    assert Enterprise.objects.filter(credit_code__in=[group, child_a, child_b]).count() == 0

    with page.expect_navigation():
        page.click("[data-testid=import-confirm-form] button[type=submit]")
        answer_confirm(page)
    assert urlparse(page.url).path == reverse("registry:enterprise_list")
    assert "Imported: 3 created, 0 updated." in page.locator(".messages").inner_text()

    created = Enterprise.objects.get(credit_code=child_b)
    assert created.parent is not None and created.parent.credit_code == group
    assert created.listed is True
    assert AuditEvent.objects.filter(action="enterprise.import").count() == 1

    page.goto(reverse("enterprises:enterprise_detail", args=[group]))
    assert "福建导入测试集团有限公司" in page.content()
    assert child_a in page.content()
    assert not page.console_errors, page.console_errors


@pytest.fixture
def media_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
