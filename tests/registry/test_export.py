"""Enterprise export: what the user may see, filtered, safe to open in a spreadsheet."""

import csv
import io

import pytest
from django.db import connection
from django.http import HttpResponse, StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import User
from apps.enterprises.models import Enterprise
from apps.registry.importing import read_import_file, validate_import
from tests.conftest import World
from tests.factories import EnterpriseFactory
from tests.registry.test_import_files import HEADER_EN, HEADER_ZH

pytestmark = pytest.mark.django_db

CSV = reverse("registry:export", kwargs={"fmt": "csv"})
XLSX = reverse("registry:export", kwargs={"fmt": "xlsx"})
FORMULAS = ["=cmd|' /C calc'!A0", "+1", "-2", "@SUM(A1:A9)"]


def english(user: User) -> User:
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    return user


def body(response: HttpResponse | StreamingHttpResponse) -> bytes:
    if isinstance(response, StreamingHttpResponse):
        return b"".join(response.streaming_content)  # type: ignore[arg-type]
    return response.content


def csv_rows(client: Client, params: dict[str, str] | None = None) -> list[list[str]]:
    response = client.get(CSV, params or {})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="enterprises-' in response["Content-Disposition"]
    content = body(response)
    assert content.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(client: Client) -> list[list[object]]:
    from openpyxl import load_workbook

    response = client.get(XLSX)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(body(response)))
    sheet = workbook.worksheets[0]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    types = {c.data_type for r in sheet.iter_rows() for c in r}
    assert "f" not in types, "no cell may be a formula"
    return rows


def test_admin_exports_every_enterprise_in_the_import_columns(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    rows = csv_rows(client_for(english(world.admin)))
    assert rows[0] == HEADER_EN
    codes = {r[0] for r in rows[1:]}
    assert codes == set(Enterprise.objects.values_list("credit_code", flat=True))
    bj = next(r for r in rows if r[0] == world.bj_enterprise.credit_code)
    assert bj[3] == "11"
    assert bj[4] == "commercial_1"
    assert bj[7] == "no"


def test_chinese_export_uses_chinese_headers_and_values(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    child = EnterpriseFactory(authority=world.beijing, parent=world.bj_enterprise, listed=True)
    rows = csv_rows(client_for(world.admin))
    assert rows[0] == HEADER_ZH
    line = next(r for r in rows if r[0] == child.credit_code)
    assert line[4] == "商业一类"
    assert line[6] == world.bj_enterprise.credit_code
    assert line[7] == "是"


def test_beijing_reviewer_exports_only_beijing(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.bj_reviewer)
    codes = {r[0] for r in csv_rows(client)[1:]}
    assert codes == {world.bj_enterprise.credit_code}
    xlsx_codes = {r[0] for r in xlsx_rows(client)[1:]}
    assert xlsx_codes == {world.bj_enterprise.credit_code}


def test_enterprise_lead_exports_only_their_enterprise(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    codes = {r[0] for r in csv_rows(client_for(world.lead))[1:]}
    assert codes == {world.central.credit_code}


def test_user_without_scope_exports_nothing(client_for) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import UserFactory

    EnterpriseFactory()
    rows = csv_rows(client_for(UserFactory()))
    assert len(rows) == 1  # the header only


def test_export_applies_the_registry_filters(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.admin)
    codes = {r[0] for r in csv_rows(client, {"authority": "44"})[1:]}
    assert codes == {world.gd_enterprise.credit_code}
    # A reviewer cannot widen their export with a filter.
    reviewer = client_for(world.bj_reviewer)
    assert len(csv_rows(reviewer, {"authority": "44"})) <= 2
    assert world.gd_enterprise.credit_code not in {
        r[0] for r in csv_rows(reviewer, {"authority": "44"})
    }


def test_formula_cells_are_neutralised_in_csv_and_xlsx(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    made = [
        EnterpriseFactory(authority=world.beijing, name_zh=f"企业{i}", name_en=formula)
        for i, formula in enumerate(FORMULAS)
    ]
    client = client_for(world.bj_reviewer)
    by_code = {r[0]: r for r in csv_rows(client)}
    for enterprise, formula in zip(made, FORMULAS, strict=True):
        assert by_code[enterprise.credit_code][2] == "'" + formula
    xlsx_by_code = {r[0]: r for r in xlsx_rows(client)}
    for enterprise, formula in zip(made, FORMULAS, strict=True):
        assert xlsx_by_code[enterprise.credit_code][2] == "'" + formula


def test_export_query_count_does_not_grow_with_rows(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.admin)
    client.get(CSV)  # warm the session

    def queries(fmt_url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            body(client.get(fmt_url))
        return len(ctx.captured_queries)

    few = (queries(CSV), queries(XLSX))
    parent = EnterpriseFactory(authority=world.beijing)
    for _ in range(60):
        EnterpriseFactory(authority=world.beijing, parent=parent)
    assert (queries(CSV), queries(XLSX)) == few


def test_an_export_imports_back_unchanged(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    EnterpriseFactory(authority=world.beijing, parent=world.bj_enterprise, name_en="=1+1")
    for user in (world.admin, english(world.admin)):
        content = body(client_for(user).get(CSV))
        result = validate_import(read_import_file(content, name="export.csv"))
        assert result.ok, result.errors
        assert result.counts.create == result.counts.update == 0
        assert result.counts.unchanged == Enterprise.objects.count()


def test_anonymous_export_is_sent_to_log_in(client: Client) -> None:
    response = client.get(CSV)
    assert response.status_code == 302


def test_unknown_export_format_is_404(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for(world.admin).get("/registry/export.pdf").status_code == 404
