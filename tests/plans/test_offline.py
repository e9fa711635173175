"""Offline entry of the plan's tables: the XLSX template of the draft and its upload, through
the real URLs as the enterprise's editor."""

import datetime as dt
import io
import re
import time
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import Client
from openpyxl import Workbook, load_workbook

from apps.filings import services
from apps.filings.models import Filing, FilingEvent, FilingVersion
from apps.plans.offline import plan_tables_save
from apps.timeline.models import Campaign
from tests.conftest import World, zh
from tests.filings.conftest import a_submission
from tests.plans.conftest import filled_content

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INDICATOR_KEYS = [
    "code", "name_zh", "name_en", "unit", "direction", "baseline_year", "baseline",
    "target_2023", "target_2024", "target_2025", "benchmark", "benchmark_source",
]  # fmt: skip
TASK_KEYS = ["id", "area", "title", "department", "person", "start", "due", "result"]
NOT_XLSX = "This file is not an Excel workbook (.xlsx): upload the template you downloaded."


@pytest.fixture
def started(world: World, campaign: Campaign) -> Filing:
    """A plan draft filled in (campaign years 2023 to 2025), the return on net assets'
    baseline filed as "12.50"."""
    filing = services.filing_start(
        enterprise=world.central,
        deliverable=campaign.deliverables.get(kind="plan"),
        actor=world.lead,
    )
    content = filled_content(filing)
    content["indicators"]["rows"][3]["baseline"] = "12.50"
    assert filing.draft_id is not None
    FilingVersion.objects.filter(pk=filing.draft_id).update(content=content)
    return filing


def draft_of(filing: Filing) -> FilingVersion:
    filing.refresh_from_db()
    assert filing.draft_id is not None
    return FilingVersion.objects.get(pk=filing.draft_id)


def template_url(filing: Filing) -> str:
    return f"/filings/{filing.pk}/plan/offline/template.xlsx"


def upload_url(filing: Filing) -> str:
    return f"/filings/{filing.pk}/plan/offline/"


def download(client: Client, filing: Filing) -> Workbook:
    response = client.get(template_url(filing))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(response.content))


def as_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client: Client, filing: Filing, data: bytes, name: str = "核心指标.xlsx") -> Any:
    return client.post(upload_url(filing), {"file": SimpleUploadedFile(name, data, XLSX)})


def errors_of(response: HttpResponse) -> list[tuple[str, str, str]]:
    assert response.status_code == 200
    return [(e.sheet, e.cell, e.message) for e in response.context["errors"]]  # type: ignore[attr-defined]


def edit_events(filing: Filing) -> int:
    return FilingEvent.objects.filter(filing=filing, action="edit").count()


# --- The template --------------------------------------------------------------------------


def test_template_holds_the_draft_with_locked_headers_and_validations(
    started: Filing, world: World, client_for: Any
) -> None:
    workbook = download(client_for(world.editor), started)
    assert workbook.sheetnames == ["核心指标", "重点任务"]
    indicators, tasks = workbook["核心指标"], workbook["重点任务"]

    # Read back by the hidden first row of keys; row 2 is in the reader's language.
    assert [c.value for c in indicators[1]] == INDICATOR_KEYS
    assert indicators.row_dimensions[1].hidden
    assert indicators.column_dimensions["A"].hidden
    assert [c.value for c in indicators[2]] == [
        zh("Indicator code"), zh("Indicator (Chinese)"), zh("Indicator (English)"), zh("Unit"),
        zh("Better when"), zh("Baseline year"), zh("Baseline"), zh("Target %(year)s", year=2023),
        zh("Target %(year)s", year=2024), zh("Target %(year)s", year=2025), zh("Benchmark"),
        zh("Source of the benchmark"),
    ]  # fmt: skip
    assert [c.value for c in indicators[3]] == [
        "total_profit", "利润总额", "Total profit", zh("10k CNY"), "越高越好", 2022, 60, 61, 62,
        63, 65, "标杆企业年报",
    ]  # fmt: skip
    assert indicators["A6"].value == "roe"
    assert indicators["G6"].value == 12.5  # "12.50" as a number
    assert indicators["G3"].number_format == "#,##0.00"
    assert indicators["F3"].number_format == "0"
    assert indicators["A11"].value is None  # the first free row, for a custom indicator

    assert [c.value for c in tasks[1]] == TASK_KEYS
    assert [c.value for c in tasks[3]] == [
        "t1", "效率效益", "压降两金", "财务部", "张三", dt.datetime(2023, 4, 1),
        dt.datetime(2024, 12, 31), "两金占比下降5个百分点",
    ]  # fmt: skip
    assert tasks["F3"].number_format == "yyyy-mm-dd"

    # Locked: the headers and a core indicator's identity; open: every figure and free row.
    for sheet in (indicators, tasks):
        assert sheet.protection.sheet is True
        assert sheet.protection.insertRows is False
    assert indicators["G2"].protection.locked is True
    assert indicators["B3"].protection.locked is True
    assert indicators["E3"].protection.locked is True
    assert indicators["G3"].protection.locked is False
    assert indicators["K10"].protection.locked is False
    assert indicators["B11"].protection.locked is False
    assert indicators["E102"].protection.locked is False
    assert tasks["C3"].protection.locked is False
    assert tasks["B102"].protection.locked is False
    assert tasks["B2"].protection.locked is True

    def validations(sheet: Any) -> dict[str, tuple[str, str | None]]:
        return {str(v.sqref): (v.type, v.formula1) for v in sheet.data_validations.dataValidation}

    assert validations(indicators) == {
        "E3:E102": ("list", '"越高越好,越低越好"'),
        "F3:F102": ("whole", "1990"),
        "G3:G102": ("decimal", "-9999999999999999"),
        "H3:H102": ("decimal", "-9999999999999999"),
        "I3:I102": ("decimal", "-9999999999999999"),
        "J3:J102": ("decimal", "-9999999999999999"),
        "K3:K102": ("decimal", "-9999999999999999"),
    }
    assert validations(tasks) == {
        "B3:B102": ("list", '"效率效益,创新驱动,国家战略,治理效能,可持续发展,共建共享,体系能力"'),
        "F3:F102": ("date", "DATE(1990,1,1)"),
        "G3:G102": ("date", "DATE(1990,1,1)"),
    }
    properties = {p.name: p.value for p in workbook.custom_doc_props}
    assert properties == {
        "vc_filing": started.pk,
        "vc_draft_version": 1,
        "vc_revision_indicators": 0,
        "vc_revision_tasks": 0,
    }


def test_upload_page_and_the_editor_partial(started: Filing, world: World, client_for: Any) -> None:
    client: Client = client_for(world.editor)
    response = client.get(upload_url(started))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="offline-upload-form"' in html
    assert f'href="{template_url(started)}"' in html
    partial = render_to_string("plans/offline/_links.html", {"filing": started})
    assert f'href="{template_url(started)}"' in partial
    assert f'href="{upload_url(started)}"' in partial


# --- The round trip ------------------------------------------------------------------------


def test_round_trip_saves_three_changed_figures(
    started: Filing, world: World, client_for: Any
) -> None:
    client: Client = client_for(world.editor)
    before = draft_of(started).content
    workbook = download(client, started)
    sheet = workbook["核心指标"]
    sheet["G3"] = "1,180,000"  # 利润总额, baseline, typed as text with separators
    sheet["H3"] = 1250000  # 利润总额, target 2023, a number
    sheet["K5"] = 58.5  # 资产负债率, benchmark
    response = upload(client, started, as_bytes(workbook))
    assert response.status_code == 302
    assert response["Location"] == f"/filings/{started.pk}/edit/indicators/"

    draft = draft_of(started)
    rows = draft.content["indicators"]["rows"]
    assert rows[0]["baseline"] == "1180000"
    assert rows[0]["targets"] == {"2023": "1250000", "2024": "62", "2025": "63"}
    assert rows[2]["benchmark"] == "58.5"
    # Untouched cells keep what was filed, to the digit ("12.50" came back as 12.5).
    assert rows[3]["baseline"] == "12.50"
    assert rows[1] == before["indicators"]["rows"][1]
    assert rows[4:] == before["indicators"]["rows"][4:]
    assert draft.content["tasks"] == before["tasks"]
    # One edit in the history, of the one section that changed.
    assert draft.revisions == {"indicators": 1}
    edit = FilingEvent.objects.get(filing=started, action="edit")
    assert edit.actor == world.editor
    assert edit.data["section"] == "indicators"


def test_an_unchanged_template_changes_nothing(
    started: Filing, world: World, client_for: Any
) -> None:
    client: Client = client_for(world.editor)
    before = draft_of(started)
    data = client.get(template_url(started)).content
    response = upload(client, started, data)
    assert response.status_code == 302
    after = draft_of(started)
    assert after.content == before.content
    assert after.revisions == {}
    assert edit_events(started) == 0


def test_tasks_are_edited_added_and_deleted(started: Filing, world: World, client_for: Any) -> None:
    client: Client = client_for(world.editor)
    workbook = download(client, started)
    tasks = workbook["重点任务"]
    tasks["C3"] = "压降两金占用"
    for column, value in zip(
        "BCDEFGH",
        ["创新驱动", "数字化转型", "信息部", "李四", dt.date(2023, 6, 1), dt.date(2024, 6, 30),
         "上线财务共享平台"],
        strict=True,
    ):  # fmt: skip
        tasks[f"{column}4"] = value
    # A percentage typed with its sign: Excel stores 0.585 in a per-cent cell.
    indicators = workbook["核心指标"]
    indicators["K5"] = 0.585
    indicators["K5"].number_format = "0.00%"
    response = upload(client, started, as_bytes(workbook))
    assert response.status_code == 302

    draft = draft_of(started)
    assert draft.content["indicators"]["rows"][2]["benchmark"] == "58.5"
    first, added = draft.content["tasks"]["rows"]
    assert first == {
        "id": "t1", "area": "efficiency", "title": "压降两金占用", "department": "财务部",
        "person": "张三", "start": "2023-04-01", "due": "2024-12-31",
        "result": "两金占比下降5个百分点",
    }  # fmt: skip
    assert added["id"] not in ("", "t1")
    assert {k: v for k, v in added.items() if k != "id"} == {
        "area": "innovation", "title": "数字化转型", "department": "信息部", "person": "李四",
        "start": "2023-06-01", "due": "2024-06-30", "result": "上线财务共享平台",
    }  # fmt: skip
    assert draft.revisions == {"indicators": 1, "tasks": 1}

    # Clearing a task's row deletes the task.
    workbook = download(client, started)
    for column in "BCDEFGH":
        workbook["重点任务"][f"{column}3"] = None
    assert upload(client, started, as_bytes(workbook)).status_code == 302
    assert [r["title"] for r in draft_of(started).content["tasks"]["rows"]] == ["数字化转型"]


def test_in_english_a_custom_indicator_is_added_then_deleted(
    started: Filing, world: World, client_for: Any
) -> None:
    """Headers follow the reader's language, the file reads back the same: a custom
    indicator typed in a free row (its direction as the English label, a figure in
    full-width digits) is added; clearing its row deletes it."""
    world.editor.preferred_language = "en"
    world.editor.save(update_fields=["preferred_language"])
    client: Client = client_for(world.editor)
    workbook = download(client, started)
    sheet = workbook["核心指标"]
    assert [c.value for c in sheet[2]][:4] == [
        "Indicator code", "Indicator (Chinese)", "Indicator (English)", "Unit"
    ]  # fmt: skip
    assert [c.value for c in sheet[3]][3:5] == ["10k CNY", "越高越好"]
    for column, value in zip(
        "BCDEFGHIJKL",
        ["专利授权量", "Patents granted", "项", "Lower is better", 2022, "１２３", 130, 140,
         150, 200, "行业协会"],
        strict=True,
    ):  # fmt: skip
        sheet[f"{column}11"] = value
    assert upload(client, started, as_bytes(workbook)).status_code == 302

    rows = draft_of(started).content["indicators"]["rows"]
    assert len(rows) == 9
    custom = rows[8]
    assert custom["code"] == f"custom_{custom['id']}"
    assert {k: v for k, v in custom.items() if k not in ("id", "code")} == {
        "core": False, "name_zh": "专利授权量", "name_en": "Patents granted", "unit": "项",
        "kind": "amount", "direction": "lower", "baseline_year": 2022, "baseline": "123",
        "targets": {"2023": "130", "2024": "140", "2025": "150"}, "benchmark": "200",
        "benchmark_source": "行业协会",
    }  # fmt: skip

    workbook = download(client, started)
    sheet = workbook["核心指标"]
    assert sheet["A11"].value == custom["code"]
    assert sheet["E11"].value == "越低越好"
    assert sheet["B11"].protection.locked is False
    for column in "BCDEFGHIJKL":
        sheet[f"{column}11"] = None
    assert upload(client, started, as_bytes(workbook)).status_code == 302
    assert len(draft_of(started).content["indicators"]["rows"]) == 8


# --- Refusals ------------------------------------------------------------------------------


def test_three_located_errors_and_nothing_saved(
    started: Filing, world: World, client_for: Any
) -> None:
    client: Client = client_for(world.editor)
    before = draft_of(started)
    workbook = download(client, started)
    sheet = workbook["核心指标"]
    sheet["G3"] = "abc"  # a text in a number cell
    sheet.delete_rows(4)  # the row of 净利润
    sheet["M2"] = "备注"  # an extra column
    sheet["M3"] = "见附件"
    response = upload(client, started, as_bytes(workbook))

    assert errors_of(response) == [
        (
            "核心指标",
            "M2",
            zh(
                "Column %(column)s (“%(header)s”) is not one of the template’s columns: "
                "delete it, then upload the file again.",
                column="M",
                header="备注",
            ),
        ),
        (
            "核心指标",
            "G3",
            zh(
                "“%(typed)s” is not a number: type digits, with a point for decimals and, if "
                "you like, commas or spaces between thousands (1,175,000.5).",
                typed="abc",
            ),
        ),
        (
            "核心指标",
            "B4",
            zh(
                "The row of %(indicator)s is missing: every core indicator stays in the sheet "
                "(leave a figure blank rather than delete its row).",
                indicator="净利润",
            ),
        ),
    ]
    html = response.content.decode()
    assert html.count('data-testid="offline-error"') == 3
    assert '<td class="text-mono">G3</td>' in html
    after = draft_of(started)
    assert after.content == before.content
    assert after.revisions == before.revisions == {}
    assert edit_events(started) == 0


def test_an_error_in_the_tasks_keeps_the_indicators_unsaved(
    started: Filing, world: World, client_for: Any
) -> None:
    """All or nothing: a good indicator sheet is not saved beside a bad task sheet."""
    client: Client = client_for(world.editor)
    before = draft_of(started)
    workbook = download(client, started)
    workbook["核心指标"]["G3"] = 70
    workbook["重点任务"]["F3"] = dt.date(2025, 1, 1)  # starts after it is due
    response = upload(client, started, as_bytes(workbook))
    assert errors_of(response) == [
        ("重点任务", "G3", zh("The due date cannot be before the start date.")),
    ]
    assert draft_of(started).content == before.content
    assert edit_events(started) == 0


def test_not_an_xlsx_is_refused_by_content(started: Filing, world: World, client_for: Any) -> None:
    client: Client = client_for(world.editor)
    before = draft_of(started)
    pdf = b"%PDF-1.7\n1 0 obj << >> endobj\n"
    assert errors_of(upload(client, started, pdf, name="plan.xlsx")) == [("", "", zh(NOT_XLSX))]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    assert errors_of(upload(client, started, archive.getvalue())) == [("", "", zh(NOT_XLSX))]
    oversize = b"PK\x03\x04" + b"\0" * (5 * 1024 * 1024)
    assert errors_of(upload(client, started, oversize)) == [
        ("", "", zh("The file is larger than %(limit)d MB: upload the template itself.", limit=5))
    ]
    assert draft_of(started).content == before.content


def test_a_wrong_sheet_set_is_refused(started: Filing, world: World, client_for: Any) -> None:
    client: Client = client_for(world.editor)
    workbook = download(client, started)
    workbook["重点任务"].title = "Sheet2"
    assert errors_of(upload(client, started, as_bytes(workbook))) == [
        (
            "",
            "",
            zh(
                "The workbook must hold exactly the two sheets “%(indicators)s” and "
                "“%(tasks)s”; this one holds %(sheets)s. Upload the template you downloaded, "
                "with its sheets as they were.",
                indicators="核心指标",
                tasks="重点任务",
                sheets="“核心指标”、“Sheet2”",
            ),
        )
    ]


def test_too_many_rows_are_refused(started: Filing, world: World, client_for: Any) -> None:
    client: Client = client_for(world.editor)
    workbook = download(client, started)
    sheet = workbook["核心指标"]
    for row in range(11, 104):  # 8 core rows and 93 custom ones: 101 rows
        sheet[f"B{row}"] = f"自定义指标{row}"
        sheet[f"D{row}"] = "项"
    assert errors_of(upload(client, started, as_bytes(workbook))) == [
        (
            "核心指标",
            "B103",
            zh(
                "The sheet holds %(count)d rows; a table holds at most %(limit)d.",
                count=101,
                limit=100,
            ),
        )
    ]


def test_a_sheet_of_a_million_rows_is_refused_without_reading_them(
    started: Filing, world: World, client_for: Any
) -> None:
    client: Client = client_for(world.editor)
    data = client.get(template_url(started)).content
    source = zipfile.ZipFile(io.BytesIO(data))
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                xml = body.decode()
                xml = re.sub(r'<dimension ref="[^"]+"\s*/>', '<dimension ref="A1:L1000000"/>', xml)
                empty_rows = "".join(f'<row r="{n}"/>' for n in range(200, 1_000_000))
                xml = xml.replace(
                    "</sheetData>",
                    empty_rows + '<row r="1000000"><c r="B1000000" t="inlineStr">'
                    "<is><t>x</t></is></c></row></sheetData>",
                )
                body = xml.encode()
            target.writestr(info, body)
    started_at = time.monotonic()
    response = upload(client, started, patched.getvalue())
    assert time.monotonic() - started_at < 5
    assert errors_of(response) == [
        (
            "核心指标",
            "",
            zh(
                "The sheet runs to row %(rows)d and column %(columns)s; a table holds at most "
                "%(limit)d rows. Delete the rows and columns beyond the table, then upload the "
                "file again.",
                rows=1000000,
                columns="L",
                limit=100,
            ),
        )
    ]


def test_a_stale_template_is_refused_rather_than_undo_a_later_save(
    started: Filing, world: World, client_for: Any
) -> None:
    client: Client = client_for(world.editor)
    workbook = download(client, started)
    workbook["核心指标"]["G3"] = 70
    # The lead saves the key tasks online after the editor downloaded the template.
    tasks = dict(draft_of(started).content["tasks"])
    tasks["rows"] = [{**tasks["rows"][0], "title": "压降两金（领导修改）"}]
    services.filing_save_section(
        filing=started, section="tasks", data=tasks, base_revision=0, actor=world.lead
    )
    saved = FilingEvent.objects.get(filing=started, action="edit")
    when = saved.created_at.astimezone(dt.timezone(dt.timedelta(hours=8)))

    response = upload(client, started, as_bytes(workbook))
    assert errors_of(response) == [
        (
            "",
            "",
            zh(
                "%(who)s saved “%(section)s” at %(when)s, after this template was downloaded. "
                "Nothing was saved, so that those changes are not undone: download a new "
                "template and enter your changes in it.",
                who=world.lead.full_name,
                section="重点任务",
                when=when.strftime("%Y-%m-%d %H:%M"),
            ),
        )
    ]
    draft = draft_of(started)
    assert draft.content["indicators"]["rows"][0]["baseline"] == "60"
    assert draft.content["tasks"]["rows"][0]["title"] == "压降两金（领导修改）"


def test_a_template_of_another_filing_is_refused(
    started: Filing, world: World, client_for: Any, campaign: Campaign
) -> None:
    client: Client = client_for(world.editor)
    workbook = download(client, started)
    for prop in workbook.custom_doc_props:
        if prop.name == "vc_filing":
            prop.value = started.pk + 1000
    assert errors_of(upload(client, started, as_bytes(workbook))) == [
        (
            "",
            "",
            zh("This template was made for another filing: download the template of this one."),
        )
    ]


def test_both_tables_or_neither(started: Filing, world: World) -> None:
    """The second section's edit conflict undoes the first section's save."""
    before = draft_of(started)
    indicators = before.content["indicators"]
    changed = {"rows": [{**indicators["rows"][0], "baseline": "70"}, *indicators["rows"][1:]]}
    with pytest.raises(services.EditConflict):
        plan_tables_save(
            filing=started,
            sections={"indicators": changed, "tasks": before.content["tasks"]},
            base_revisions={"indicators": 0, "tasks": 3},
            actor=world.editor,
        )
    after = draft_of(started)
    assert after.content == before.content
    assert after.revisions == {}
    assert edit_events(started) == 0


# --- Who may ---------------------------------------------------------------------------------


def test_outsiders_and_reviewers_get_404(started: Filing, world: World, client_for: Any) -> None:
    data = b"PK\x03\x04"
    for user in (world.other_lead, world.bj_lead, world.sasac_reviewer, world.gd_reviewer):
        client: Client = client_for(user)
        assert client.get(template_url(started)).status_code == 404, user.email
        assert client.get(upload_url(started)).status_code == 404, user.email
        assert upload(client, started, data).status_code == 404, user.email


def test_without_an_open_draft_nobody_gets_the_template(
    started: Filing, world: World, client_for: Any
) -> None:
    services.filing_transition(
        filing=started, action="submit", submission=a_submission(), actor=world.lead
    )
    for user in (world.editor, world.lead, world.sasac_reviewer):
        client: Client = client_for(user)
        assert client.get(template_url(started)).status_code == 404, user.email
        assert client.get(upload_url(started)).status_code == 404, user.email


def test_anonymous_is_sent_to_log_in(started: Filing, client: Client) -> None:
    response = client.get(template_url(started))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
