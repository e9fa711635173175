import csv
import io

import pytest
from django.urls import reverse

from apps.filings.workflow import State
from tests.conftest import World
from tests.dashboards.conftest import Dash, add_result, enterprises, make_filing

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def export(table: str, fmt: str, code: str = "SASAC") -> str:
    return reverse("dashboards:authority_export", args=[code, table, fmt])


def read_csv(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads the Chinese text as UTF-8
    return list(csv.DictReader(io.StringIO(text[1:])))


def read_xlsx(response) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


@pytest.fixture
def data(world: World, dash: Dash) -> None:
    u = world.lead
    make_filing(world.central, dash.plan, State.APPROVED, user=u)
    summary = make_filing(world.central, dash.s1, State.SUBMITTED, user=u)
    add_result(summary, "total_profit", True)
    add_result(summary, "roe", False)
    # Beijing's: never in SASAC's export.
    (bj,) = enterprises(world.beijing, 1, category="public_welfare", industry="Q")
    bj_summary = make_filing(bj, dash.s1, State.SUBMITTED, user=u)
    add_result(bj_summary, "total_profit", True)
    make_filing(bj, dash.plan, State.APPROVED, user=u)


def test_progress_export(world: World, dash: Dash, data: None, client_for) -> None:
    client = client_for(world.sasac_reviewer)
    rows = read_csv(client.get(export("progress", "csv")))
    plan = next(r for r in rows if r["deliverable"] == dash.plan.title_zh)
    assert (plan["approved"], plan["overdue"], plan["enterprises"]) == ("1", "1", "2")
    assert plan["due_on"] == dash.plan.due_on.isoformat()
    sheet = read_xlsx(client.get(export("progress", "xlsx")))
    assert sheet[0][:3] == ("campaign", "deliverable", "due_on")
    assert len(sheet) == 1 + 5  # header and the demo campaign's five deliverables


def test_indicator_and_group_exports(world: World, dash: Dash, data: None, client_for) -> None:
    client = client_for(world.sasac_reviewer)
    rows = read_csv(client.get(export("indicators", "csv") + f"?deliverable={dash.s1.pk}"))
    by_code = {r["indicator"]: r for r in rows}
    assert (by_code["total_profit"]["reported"], by_code["total_profit"]["on_track"]) == ("1", "1")
    assert by_code["roe"]["on_track_rate_percent"] == "0.0"
    assert by_code["custom"]["reported"] == "0"
    categories = {r["category"]: r for r in read_csv(client.get(export("categories", "csv")))}
    assert categories["commercial_1"]["enterprises"] == "2"
    assert categories["commercial_1"]["on_track_rate_percent"] == "50.0"
    assert categories["public_welfare"]["enterprises"] == "0"  # Beijing's is not counted
    industries = read_xlsx(client.get(export("industries", "xlsx")))
    assert [r[0] for r in industries[1:]] == ["C"]


def test_exports_are_scoped(world: World, dash: Dash, data: None, client_for) -> None:
    for table in ("progress", "indicators", "categories", "industries"):
        for fmt in ("csv", "xlsx"):
            assert client_for(world.bj_reviewer).get(export(table, fmt)).status_code == 404
            assert client_for(world.lead).get(export(table, fmt)).status_code == 404
    client = client_for(world.sasac_reviewer)
    assert client.get(export("secrets", "csv")).status_code == 404
    assert client.get(export("progress", "pdf")).status_code == 404
    # Beijing's own export counts its two enterprises.
    bj = read_csv(client_for(world.bj_reviewer).get(export("categories", "csv", code="11")))
    assert {r["category"]: r["enterprises"] for r in bj} == {
        "commercial_1": "1", "commercial_2": "0", "public_welfare": "1",
    }  # fmt: skip


def test_text_cells_cannot_run_as_formulas(
    world: World, dash: Dash, data: None, client_for
) -> None:
    dash.plan.title_zh = '=HYPERLINK("http://evil.example","点击")'
    dash.plan.save(update_fields=["title_zh"])
    client = client_for(world.sasac_reviewer)
    rows = read_csv(client.get(export("progress", "csv")))
    assert rows[0]["deliverable"] == "'" + dash.plan.title_zh
    sheet = read_xlsx(client.get(export("progress", "xlsx")))
    assert sheet[1][1] == "'" + dash.plan.title_zh
