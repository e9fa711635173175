"""The formal submission in the packet (a cover letter, 报送函, as its first page; the
attachments by type) and on the verification page."""

import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.filings.attachment_types import attachment_types_ensure
from apps.filings.models import Filing
from apps.filings.services import attachment_add, filing_transition
from apps.packets.models import PacketKind
from apps.packets.rendering import render_packet_pdf
from apps.timeline.models import Deliverable
from tests.conftest import World
from tests.filings.conftest import a_submission

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def page_text(path: Path, first: int, last: int) -> str:
    text = subprocess.run(
        ["pdftotext", "-f", str(first), "-l", str(last), str(path), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return "".join(text.split())  # lines wrap where the page is full: compare without them


@pytest.fixture
def submitted(world: World, plan: Deliverable, plan_filing: Filing) -> Filing:
    attachment_types_ensure(plan)
    for name, code in (
        ("党委会议纪要.pdf", "decision_record"),
        ("报送函（签章）.pdf", "cover_letter"),
    ):
        attachment_add(
            filing=plan_filing, upload=SimpleUploadedFile(name, PDF), actor=world.editor,
            attachment_type=code,
        )  # fmt: skip
    given = a_submission("中能集团〔2023〕12号")
    return filing_transition(
        filing=plan_filing, action="submit", actor=world.lead, submission=given
    )


def test_the_cover_letter_is_the_packets_first_page(
    world: World, submitted: Filing, tmp_path: Path
) -> None:
    version = submitted.latest_submitted
    assert version is not None
    path = tmp_path / "packet.pdf"
    path.write_bytes(render_packet_pdf(version, kind=PacketKind.SUBMISSION))

    first = page_text(path, 1, 1)
    assert "中能集团〔2023〕12号" in first
    assert "关于报送《中国测试能源集团有限公司实施方案》的函" in first
    assert first.index("国务院国资委：") < first.index(
        "现将《中国测试能源集团有限公司实施方案》报送备案"
    )
    assert "经本企业党委（党组）会议于2022年12月20日审议" in first
    assert "签发人：张三（董事长）" in first
    # The signed letter the enterprise uploaded is named, not lost.
    assert "本企业签发的报送函原件作为附件一并报送：报送函（签章）.pdf" in first

    # The attachments section lists the files under their types.
    whole = page_text(path, 1, 99)
    assert "党委（党组）会议纪要或董事会决议党委会议纪要.pdf" in whole
    assert "报送函报送函（签章）.pdf" in whole


def test_the_verification_page_shows_the_submission(
    world: World, submitted: Filing, client_for: Any
) -> None:
    version = submitted.latest_submitted
    assert version is not None
    body = client_for(world.lead).post("/packets/verify/", {"sha256": version.sha256})
    page = body.content.decode()
    assert page.count('data-testid="verify-row"') == 1
    assert 'data-testid="submission-line"' in page
    assert "中能集团〔2023〕12号" in page
    assert "张三" in page and "董事长" in page
