"""A filled demo plan downloaded as a Word document: opened with python-docx, read back
paragraph by paragraph and cell by cell."""

import datetime as dt
import hashlib
import io
import re
from unittest import mock
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from apps.enterprises.models import short_legal_name
from apps.filings.docx_export import chinese_numeral, heading_number
from apps.filings.docx_views import content_disposition
from apps.filings.models import Filing
from apps.filings.services import attachment_add, filing_start, filing_transition
from apps.plans.demo import demo_plan_content, plan_fill
from apps.timeline.models import Deliverable
from tests.conftest import World, zh
from tests.filings.conftest import a_submission

pytestmark = pytest.mark.django_db

MINUTES = b"%PDF-1.7\n% minutes of the Party committee meeting\n%%EOF\n"
REPORT = b"%PDF-1.7\n% benchmarking report\n%%EOF\n"
# 01:30 on 21 March 2023 in Beijing: the document dates the day as Beijing has it.
SUBMITTED = dt.datetime(2023, 3, 20, 17, 30, tzinfo=dt.UTC)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def plan_filing(world: World, plan: Deliverable) -> Filing:
    """The demo plan, filled through the editor's service, with two attachments, submitted
    by the lead."""
    filing = filing_start(enterprise=world.central, deliverable=plan, actor=world.editor)
    plan_fill(filing=filing, content=demo_plan_content(filing, seed=7), actor=world.editor)
    for name, content in (("党委会议纪要.pdf", MINUTES), ("对标分析报告.pdf", REPORT)):
        attachment_add(filing=filing, upload=SimpleUploadedFile(name, content), actor=world.editor)
    with mock.patch("django.utils.timezone.now", return_value=SUBMITTED):
        return filing_transition(
            filing=filing, action="submit", submission=a_submission(), actor=world.lead
        )


def download(client, filing: Filing, number: int = 1):  # type: ignore[no-untyped-def]
    return client.get(reverse("filings:version_docx", args=[filing.pk, number]))


def opened(response) -> DocumentObject:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    return Document(io.BytesIO(response.content))


def texts(document: DocumentObject) -> list[str]:
    return [p.text for p in document.paragraphs if p.text]


def table_rows(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def east_asian_font(paragraph: Paragraph) -> tuple[str, str]:
    fonts = paragraph.runs[0]._element.rPr.rFonts
    return fonts.get(qn("w:eastAsia")), fonts.get(qn("w:ascii"))


HEADINGS = [
    "一、价值诊断",
    "二、对标企业",
    "三、核心指标",
    "四、七大行动举措",
    "五、重点任务",
    "六、保障措施",
]


def test_the_lead_downloads_the_plan_as_an_official_document(
    world: World, plan_filing: Filing, client_for
) -> None:
    response = download(client_for(world.lead), plan_filing)
    document = opened(response)
    lines = texts(document)

    # Title, then 主送, then the body in the kind's order.
    assert lines[0] == "中国测试能源集团有限公司实施方案"
    assert lines[1] == "国务院国资委："
    assert [line for line in lines if re.match(r"^[一二三四五六七八九十]+、", line)] == HEADINGS
    assert lines[2:5] == [
        "一、价值诊断",
        "（一）价值创造关键因素",
        "主业盈利能力和资本回报是价值创造的关键因素。",
    ]
    assert "（七）体系能力" in lines
    assert lines[lines.index("（三）约束机制") + 1] == "对未完成目标的单位进行约谈和考核扣分。"

    # 附件: each listed file with its fingerprint, numbered.
    minutes_sha = hashlib.sha256(MINUTES).hexdigest()
    report_sha = hashlib.sha256(REPORT).hexdigest()
    assert f"附件：1.党委会议纪要.pdf\nSHA-256：{minutes_sha}" in lines
    assert f"2.对标分析报告.pdf\nSHA-256：{report_sha}" in lines

    # The closing block: the enterprise, the date of its decision, the signatory (签发人).
    assert lines[-3:] == [
        "中国测试能源集团有限公司",
        "2022年12月20日",
        f"{zh('Signatory')}：张三",
    ]

    # The file's name: deliverable, enterprise short name, version; RFC 5987 for the Chinese.
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="{world.central.credit_code}_v1.docx"; ')
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "实施方案_中国测试能源集团_v1.docx"


def test_tables_are_word_tables_with_every_figure(
    world: World, plan_filing: Filing, client_for
) -> None:
    document = opened(download(client_for(world.lead), plan_filing))
    assert len(document.tables) == 3
    benchmarks, indicators, tasks = (table_rows(t) for t in document.tables)

    assert benchmarks == [
        ["对标企业", "国家或地区", "层级", "来源"],
        ["Siemens AG", "德国", "世界一流", "2023年年报"],
        ["行业领先企业A", "中国", "行业先进", "行业协会统计"],
    ]
    assert indicators[0] == [
        "指标", "单位", "指标方向", "类型", "基期年份", "基期值", "2026 年目标值",
        "2027 年目标值", "标杆值", "标杆值来源", "不适用原因",
    ]  # fmt: skip
    source = "世界一流企业对标数据库（示范）"
    assert indicators[1] == ["利润总额", "万元", "越高越好", "总量（报告期累计）", "2025",
                             "1,250,000.00", "1,350,000.00", "1,458,000.00", "2,600,000.00",
                             source, "—"]  # fmt: skip
    assert indicators[2][5:9] == ["921,200.00", "994,896.00", "1,074,487.68", "2,100,000.00"]
    assert indicators[3][:9] == ["资产负债率", "%", "保持在合理区间", "比率（报告期）", "2025",
                                 "65.79%", "65.13%", "64.48%", "55.00%"]  # fmt: skip
    assert indicators[5][:9] == ["全员劳动生产率", "万元/人", "越高越好", "随年度累积的比率",
                                 "2025", "61.88", "66.21", "70.85", "120.00"]  # fmt: skip
    # All eight indicators, every figure present and shown at two places with separators.
    assert [row[0] for row in indicators[1:]] == [
        "利润总额", "净利润", "资产负债率", "净资产收益率", "全员劳动生产率", "经济增加值率",
        "研发经费投入强度", "营业现金比率",
    ]  # fmt: skip
    figure = re.compile(r"^\d{1,3}(,\d{3})*\.\d{2}%?$")
    assert all(figure.match(cell) for row in indicators[1:] for cell in row[5:9])

    assert tasks[0] == ["重点任务", "所属行动", "责任部门", "责任人", "开始日期", "截止日期",
                        "预期成果（可量化）"]  # fmt: skip
    assert tasks[1] == ["效率效益重点任务", "效率效益", "战略发展部", "张三", "2023-04-01",
                        "2024-12-31", "形成可量化的阶段成果并通过验收"]  # fmt: skip

    # Each table stands right after its section's heading, its header row repeated on
    # every page.
    body = list(document.element.body.iterchildren())
    paragraphs = [el.tag == qn("w:p") and Paragraph(el, document).text for el in body]
    heading = paragraphs.index("三、核心指标")
    assert body[heading + 1] is document.tables[1]._tbl
    assert document.tables[1].rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_page_and_fonts_follow_gb_t_9704(world: World, plan_filing: Filing, client_for) -> None:
    document = opened(download(client_for(world.lead), plan_filing))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin,
               section.right_margin)  # fmt: skip
    assert [round(m.mm, 1) for m in margins] == [37.0, 35.0, 28.0, 26.0]

    by_text = {p.text: p for p in document.paragraphs if p.text}
    assert east_asian_font(by_text["中国测试能源集团有限公司实施方案"]) == ("方正小标宋简体",) * 2
    assert by_text["中国测试能源集团有限公司实施方案"].runs[0].font.size.pt == 22
    assert east_asian_font(by_text["一、价值诊断"]) == ("黑体", "黑体")
    assert east_asian_font(by_text["（一）价值创造关键因素"]) == ("楷体_GB2312", "楷体_GB2312")
    body = by_text["主业盈利能力和资本回报是价值创造的关键因素。"]
    assert east_asian_font(body) == ("仿宋_GB2312", "仿宋_GB2312")
    assert body.runs[0].font.size.pt == 16
    cell = document.tables[1].cell(1, 4).paragraphs[0]
    assert east_asian_font(cell) == ("仿宋_GB2312", "仿宋_GB2312")

    xml = document.element.xml
    for font in ("方正小标宋简体", "黑体", "楷体_GB2312", "仿宋_GB2312"):
        assert f'w:eastAsia="{font}"' in xml
        assert f'w:ascii="{font}"' in xml


def test_the_reviewer_downloads_the_submitted_version(
    world: World, plan_filing: Filing, client_for
) -> None:
    document = opened(download(client_for(world.sasac_reviewer), plan_filing))
    lines = texts(document)
    assert lines[0] == "中国测试能源集团有限公司实施方案"
    assert lines[-2] == "2022年12月20日"
    assert table_rows(document.tables[1])[1][5] == "1,250,000.00"


def test_outsiders_get_404(world: World, plan_filing: Filing, client_for) -> None:
    for outsider in (world.other_lead, world.bj_lead, world.bj_reviewer, world.gd_reviewer):
        assert download(client_for(outsider), plan_filing).status_code == 404, outsider.email


def test_reviewers_never_get_a_draft(world: World, plan_filing: Filing, client_for) -> None:
    filing = filing_transition(filing=plan_filing, action="withdraw", actor=world.lead)
    filing.refresh_from_db()
    assert filing.draft is not None and filing.draft.number == 2
    assert download(client_for(world.sasac_reviewer), filing, 2).status_code == 404
    assert download(client_for(world.sasac_reviewer), filing, 1).status_code == 200

    # The enterprise reads its own draft, marked as such, with no date or signatory yet.
    lines = texts(opened(download(client_for(world.editor), filing, 2)))
    assert lines[0] == zh("Draft, not submitted")
    assert lines[1] == "中国测试能源集团有限公司实施方案"
    assert lines[-2:] == [zh("Not submitted"), "提交人：—"]


def test_heading_numbers() -> None:
    assert [heading_number(1, n) for n in (1, 2, 10, 11, 20, 23)] == [
        "一、", "二、", "十、", "十一、", "二十、", "二十三、",
    ]  # fmt: skip
    assert [heading_number(2, n) for n in (1, 7)] == ["（一）", "（七）"]
    assert [heading_number(3, n) for n in (1, 12)] == ["1.", "12."]
    assert [heading_number(4, n) for n in (1, 12)] == ["（1）", "（12）"]
    assert chinese_numeral(99) == "九十九"


def test_names_and_the_header_are_safe() -> None:
    assert short_legal_name("中国测试能源集团有限公司") == "中国测试能源集团"
    assert short_legal_name("某某股份有限公司") == "某某"
    assert short_legal_name("有限公司") == "有限公司"
    header = content_disposition('方案";\r\nX-Evil: 1.docx', "fallback.docx")
    assert header == (
        "attachment; filename=\"fallback.docx\"; filename*=UTF-8''"
        "%E6%96%B9%E6%A1%88%22%3B%0D%0AX-Evil%3A%201.docx"
    )
