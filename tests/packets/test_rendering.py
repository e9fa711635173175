"""A real PDF of a real plan: text, fonts, embedded snapshot, PDF/A, safe fetching."""

import hashlib
import io
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from apps.filings.kinds import get_kind
from apps.filings.models import Filing
from apps.packets.fetcher import RefusedURL, StaticOnlyFetcher
from apps.packets.models import PacketKind
from apps.packets.rendering import packet_html, render_packet_pdf
from tests.conftest import World
from tests.packets.conftest import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def pdf(plan_filing: Filing, world: World, tmp_path: Path) -> tuple[bytes, Path, Filing]:
    version = submit(plan_filing, world)
    data = render_packet_pdf(version, kind=PacketKind.SUBMISSION)
    path = tmp_path / "packet.pdf"
    path.write_bytes(data)
    return data, path, plan_filing


def test_text_has_enterprise_and_section_titles(pdf: tuple[bytes, Path, Filing]) -> None:
    _data, path, filing = pdf
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert filing.enterprise.name_zh in text
    from django.utils import translation

    with translation.override("zh-hans"):
        for section in get_kind("plan").sections:
            assert str(section.title) in text
    assert "第 1 页 共" in text
    assert "Page 1 of" in text


def test_the_packet_shows_each_indicators_definition_and_band(
    pdf: tuple[bytes, Path, Filing],
) -> None:
    """The definitions (口径) the plan was filed under are in its packet, with the debt
    ratio's band under the industry's warning line (manufacturing: 70 %)."""
    _data, path, _filing = pdf
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = "".join(text.split())
    assert "净资产收益率=净利润/平均净资产×100%" in flat
    assert "资产负债率=期末负债总额/期末资产总额×100%" in flat
    assert "区间：≤70%" in flat


def test_cjk_font_is_embedded(pdf: tuple[bytes, Path, Filing]) -> None:
    _data, path, _filing = pdf
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    cjk = [line for line in fonts if "NotoSansCJK" in line.split()[0].replace("-", "")]
    assert cjk, fonts
    assert all(line.split()[-5] == "yes" for line in cjk), cjk  # the "emb" column


def test_embeds_the_snapshot_and_declares_pdfa(pdf: tuple[bytes, Path, Filing]) -> None:
    data, _path, filing = pdf
    version = filing.versions.get(number=1)
    reader = PdfReader(io.BytesIO(data))
    embedded = reader.attachments["version.json"][0]
    assert embedded.decode("utf-8") == version.snapshot
    assert hashlib.sha256(embedded).hexdigest() == version.sha256
    xmp = reader.xmp_metadata
    assert xmp is not None
    raw = xmp.stream.get_data().decode("utf-8")
    assert "pdfaid" in raw
    assert 'pdfaid:part="3"' in raw or "<pdfaid:part>3</pdfaid:part>" in raw
    assert reader.metadata is not None
    assert filing.enterprise.name_zh in (reader.metadata.title or "")
    assert reader.metadata.author == filing.enterprise.name_zh


def test_user_text_is_escaped(plan_filing: Filing, world: World) -> None:
    from apps.filings.services import filing_save_section, open_draft

    draft = open_draft(plan_filing)
    section = get_kind("plan").sections[0]
    data = dict(draft.content[section.key])
    text_field = next(k for k, v in data.items() if isinstance(v, str) and v)
    data[text_field] = '<img src="http://example.invalid/x.png"><link href="file:///etc/passwd">'
    filing_save_section(filing=plan_filing, section=section.key, data=data,
                        base_revision=int(draft.revisions.get(section.key, 0)),
                        actor=world.editor)  # fmt: skip
    version = submit(plan_filing, world)
    html = packet_html(version, kind=PacketKind.SUBMISSION)
    assert "&lt;img src=&quot;http://example.invalid/x.png&quot;&gt;" in html
    assert '<img src="http://example.invalid' not in html


@pytest.mark.parametrize(
    "url", ["http://example.com/x.css", "https://example.com/", "file:///etc/passwd",
            "data:text/css,body{}", "ftp://example.com/x"]
)  # fmt: skip
def test_fetcher_refuses_anything_but_static_files(url: str) -> None:
    with pytest.raises(RefusedURL):
        StaticOnlyFetcher()(url)


def test_fetcher_serves_a_static_file() -> None:
    from django.conf import settings

    static = Path(settings.STATICFILES_DIRS[0])
    some_file = next(p for p in static.rglob("*.css") if p.is_file())
    response = StaticOnlyFetcher()(some_file.as_uri())
    assert response.read() == some_file.read_bytes()
    # ../ cannot climb out of the static directory
    with pytest.raises(RefusedURL):
        StaticOnlyFetcher()(static.as_uri() + "/../pyproject.toml")
