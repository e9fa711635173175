"""The web import: upload → preview → confirm, templates; administrators only."""

import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.audit.models import AuditEvent
from apps.enterprises.models import Enterprise
from apps.registry.import_views import SESSION_KEY
from apps.registry.importing import read_import_file, validate_import
from tests.conftest import World
from tests.registry.test_import_files import (
    HEADER_ZH,
    PNG,
    code,
    csv_bytes,
    row,
    zip_not_xlsx,
)

pytestmark = pytest.mark.django_db

UPLOAD = reverse("registry:import_upload")
PREVIEW = reverse("registry:import_preview")
CONFIRM = reverse("registry:import_confirm")
TEMPLATE = reverse("registry:import_template")
LIST = reverse("registry:enterprise_list")


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def admin(world: World, client_for) -> Client:  # type: ignore[no-untyped-def]
    world.admin.preferred_language = "en"
    world.admin.save(update_fields=["preferred_language"])
    client: Client = client_for(world.admin)
    return client


def stored_files(media: Path) -> list[Path]:
    return list((media / "imports").glob("*.bin")) if (media / "imports").exists() else []


def written() -> tuple[int, int]:
    return Enterprise.objects.count(), AuditEvent.objects.count()


def upload(client: Client, content: bytes, name: str = "enterprises.csv"):  # type: ignore[no-untyped-def]
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content)})


def assert_no_inline_script_or_style(html: str) -> None:
    assert " style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


# --- Who may import ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["lead", "editor", "bj_reviewer", "sasac_lead_reviewer", "gd_reviewer", "bj_lead"]
)
def test_anyone_but_an_administrator_gets_404(
    who: str, world: World, client_for, media: Path
) -> None:  # type: ignore[no-untyped-def]
    client: Client = client_for(getattr(world, who))
    before = written()
    assert client.get(UPLOAD).status_code == 404
    assert upload(client, csv_bytes([row(code(1))])).status_code == 404
    assert client.get(PREVIEW).status_code == 404
    assert client.post(CONFIRM).status_code == 404
    assert client.get(TEMPLATE, {"format": "csv", "lang": "zh"}).status_code == 404
    assert written() == before
    assert stored_files(media) == []


def test_anonymous_is_sent_to_log_in(client: Client) -> None:
    for url in (UPLOAD, PREVIEW, TEMPLATE):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


# --- The happy path ------------------------------------------------------------------------


def test_upload_page_explains_the_columns_and_links_the_templates(admin: Client) -> None:
    response = admin.get(UPLOAD)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'accept=".csv,.xlsx"' in html
    assert 'enctype="multipart/form-data"' in html
    for key in ("credit_code", "parent_credit_code", "listed", "统一社会信用代码"):
        assert key in html
    assert f"{TEMPLATE}?format=xlsx&amp;lang=zh" in html
    assert f"{TEMPLATE}?format=csv&amp;lang=en" in html
    assert_no_inline_script_or_style(html)


def test_upload_preview_confirm_creates_and_updates(
    admin: Client, world: World, media: Path
) -> None:
    existing = world.bj_enterprise
    content = csv_bytes(
        [
            row(code(2), "北京新子公司有限公司", authority="11", parent=code(1)),
            row(code(1), "北京新集团有限公司", authority="11"),
            row(
                existing.credit_code, "北京测试集团(更名)", authority="11", name_en=existing.name_en
            ),
        ],
        header=HEADER_ZH,
        encoding="gbk",
    )
    before = written()
    response = upload(admin, content, "企业名单.csv")
    assert response.status_code == 302
    assert response["Location"] == PREVIEW
    assert len(stored_files(media)) == 1

    response = admin.get(PREVIEW)
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'data-testid="count-create">2<', html)
    assert re.search(r'data-testid="count-update">1<', html)
    assert re.search(r'data-testid="count-errors">0<', html)
    assert "北京新子公司有限公司" in html
    assert "北京测试集团(更名)" in html  # the change, before → after
    assert existing.name_zh in html
    assert 'data-testid="import-confirm-form"' in html
    assert "data-confirm=" in html
    assert_no_inline_script_or_style(html)
    assert written() == before  # neither the upload nor the preview writes

    response = admin.post(CONFIRM)
    assert response.status_code == 302
    assert response["Location"] == LIST
    assert written() == (before[0] + 2, before[1] + 1)
    assert Enterprise.objects.get(credit_code=code(2)).parent.credit_code == code(1)  # type: ignore[union-attr]
    existing.refresh_from_db()
    assert existing.name_zh == "北京测试集团(更名)"
    event = AuditEvent.objects.get(action="enterprise.import")
    assert event.actor == world.admin
    assert event.data["file"] == "企业名单.csv"
    assert stored_files(media) == []
    assert SESSION_KEY not in admin.session

    followed = admin.get(LIST)
    assert "Imported: 2 created, 1 updated." in followed.content.decode()


def test_confirm_needs_post(admin: Client) -> None:
    upload(admin, csv_bytes([row(code(1))]))
    assert admin.get(CONFIRM).status_code == 405


# --- Refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expect"),
    [
        ("enterprises.csv", PNG, "PNG image"),
        ("enterprises.xlsx", zip_not_xlsx(), "not an Excel workbook"),
        ("enterprises.csv", csv_bytes([row(code(1))], encoding="utf-16"), "UTF-8 or GBK"),
        ("enterprises.csv", csv_bytes([row(code(1))[:4]], header=HEADER_ZH[:4]), "行业门类"),
    ],
    ids=["png", "zip", "utf16", "missing-column"],
)
def test_unreadable_file_is_refused_on_the_upload_page(
    name: str, content: bytes, expect: str, admin: Client, media: Path
) -> None:
    before = written()
    response = upload(admin, content, name)
    assert response.status_code == 200
    assert expect in response.content.decode()
    assert stored_files(media) == []
    assert written() == before


def test_oversize_upload_is_refused_before_reading(admin: Client, media: Path) -> None:
    content = b"credit_code\n" + b"x" * (10 * 1024 * 1024)
    response = upload(admin, content)
    assert response.status_code == 200
    assert "over the limit of 10 MB" in response.content.decode()
    assert stored_files(media) == []


def test_row_errors_are_listed_with_line_and_column_and_block_the_import(
    admin: Client, world: World
) -> None:
    content = csv_bytes(
        [
            row(code(1), parent=code(2)),
            row(code(2), parent=code(1)),
            row(code(3), authority="11", parent=world.gd_enterprise.credit_code),
            row(code(4)[:-1] + "0" if code(4)[-1] != "0" else code(4)[:-1] + "1"),
        ]
    )
    assert upload(admin, content).status_code == 302
    html = admin.get(PREVIEW).content.decode()
    assert re.search(r'data-testid="count-errors">4<', html)
    errors = html.split('data-testid="import-errors"')[1].split("</table>")[0]
    assert errors.count("<tr>") == 5  # header + 4
    assert "<td>2</td><td>parent_credit_code</td>" in errors
    assert "<td>3</td><td>parent_credit_code</td>" in errors
    assert "<td>4</td><td>parent_credit_code</td>" in errors
    assert "<td>5</td><td>credit_code</td>" in errors
    assert "cycle" in errors
    assert 'data-testid="import-confirm-form"' not in html

    before = written()
    response = admin.post(CONFIRM, follow=True)
    assert written() == before
    assert "nothing was imported" in response.content.decode()


def test_every_error_is_shown_but_long_plans_are_capped(admin: Client) -> None:
    bad = [row(code(i), authority="99") for i in range(1, 251)]
    upload(admin, csv_bytes(bad))
    html = admin.get(PREVIEW).content.decode()
    errors = html.split('data-testid="import-errors"')[1].split("</table>")[0]
    assert errors.count("<tr>") == 251

    good = [row(code(i)) for i in range(1, 251)]
    upload(admin, csv_bytes(good))
    html = admin.get(PREVIEW).content.decode()
    creates = html.split('data-testid="import-creates"')[1].split("</table>")[0]
    assert creates.count("<tr>") == 201
    assert "and 50 more enterprises to create" in html


def test_confirm_with_a_tampered_stored_file_is_refused(admin: Client, media: Path) -> None:
    upload(admin, csv_bytes([row(code(1))]))
    (stored,) = stored_files(media)
    stored.write_bytes(csv_bytes([row(code(1)), row(code(2))]))
    before = written()
    response = admin.post(CONFIRM, follow=True)
    assert written() == before
    assert "has changed since it was checked" in response.content.decode()
    assert stored_files(media) == []
    assert SESSION_KEY not in admin.session


def test_confirm_with_the_stored_file_gone_is_refused(admin: Client, media: Path) -> None:
    upload(admin, csv_bytes([row(code(1))]))
    (stored,) = stored_files(media)
    stored.unlink()
    before = written()
    response = admin.post(CONFIRM, follow=True)
    assert written() == before
    assert "no longer available" in response.content.decode()


def test_confirm_without_an_upload_is_refused(admin: Client) -> None:
    before = written()
    response = admin.post(CONFIRM, follow=True)
    assert written() == before
    assert "no uploaded file" in response.content.decode()


def test_a_session_id_that_is_not_ours_is_refused(admin: Client) -> None:
    session = admin.session
    session[SESSION_KEY] = {"id": "../../etc/passwd", "sha256": "x", "name": "x.csv"}
    session.save()
    response = admin.post(CONFIRM, follow=True)
    assert "no longer available" in response.content.decode()


def test_a_new_upload_replaces_the_previous_one(admin: Client, media: Path) -> None:
    upload(admin, csv_bytes([row(code(1))]))
    upload(admin, csv_bytes([row(code(2))]))
    assert len(stored_files(media)) == 1


# --- Templates -----------------------------------------------------------------------------


def test_csv_templates_have_bom_and_headers_in_either_language(admin: Client) -> None:
    zh = admin.get(TEMPLATE, {"format": "csv", "lang": "zh"})
    assert zh["Content-Type"].startswith("text/csv")
    assert "attachment" in zh["Content-Disposition"]
    assert zh.content.startswith(b"\xef\xbb\xbf")
    text = zh.content.decode("utf-8-sig")
    assert text.splitlines()[0].split(",") == HEADER_ZH
    assert "91350100M000100Y43" in text
    en = admin.get(TEMPLATE, {"format": "csv", "lang": "en"}).content.decode("utf-8-sig")
    assert en.startswith("credit_code,name_zh,name_en,authority_code")


def test_xlsx_template_opens_and_its_example_row_is_valid(admin: Client) -> None:
    from openpyxl import load_workbook

    response = admin.get(TEMPLATE, {"format": "xlsx", "lang": "zh"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER_ZH
    assert rows[1][0] == "91350100M000100Y43"
    assert len(workbook.worksheets) == 2  # the column guide
    workbook.close()

    for fmt in ("csv", "xlsx"):
        for lang in ("zh", "en"):
            content = admin.get(TEMPLATE, {"format": fmt, "lang": lang}).content
            result = validate_import(read_import_file(content, name=f"t.{fmt}"))
            assert result.ok, result.errors
            assert result.counts.create == 1


def test_unknown_template_format_is_404(admin: Client) -> None:
    assert admin.get(TEMPLATE, {"format": "pdf"}).status_code == 404
    assert admin.get(TEMPLATE, {"format": "csv", "lang": "fr"}).status_code == 404


def test_upload_page_is_in_the_users_language(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    user: User = world.admin  # preferred language: Chinese, the default
    response = client_for(user).get(UPLOAD)
    assert response.status_code == 200
    assert 'lang="zh-Hans"' in response.content.decode()
