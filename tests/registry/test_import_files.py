"""Import files, good and bad, and how they are read. The builders here serve the other
import test modules (service, command, views)."""

import csv
import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pytest
from django.utils.translation import override

from apps.enterprises.creditcode import make_credit_code
from apps.registry.importing import (
    MAX_BYTES,
    MAX_ROWS,
    ParsedFile,
    read_import_file,
)

HEADER_EN = [
    "credit_code",
    "name_zh",
    "name_en",
    "authority_code",
    "category",
    "industry",
    "parent_credit_code",
    "listed",
]
HEADER_ZH = [
    "统一社会信用代码",
    "企业名称",
    "英文名称",
    "监管机构代码",
    "功能类别",
    "行业门类",
    "上级企业统一社会信用代码",
    "是否上市",
]
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def code(n: int, prefix: str = "913501") -> str:
    """A valid credit code, distinct from the factories' (which start 91110000)."""
    return make_credit_code(f"{prefix}{n:011d}")


def bad_checksum(n: int) -> str:
    valid = code(n)
    wrong = "0" if valid[-1] != "0" else "1"
    return valid[:-1] + wrong


def row(
    credit_code: str,
    name_zh: str = "",
    *,
    authority: str = "35",
    category: str = "commercial_1",
    industry: str = "C",
    parent: str = "",
    listed: str = "no",
    name_en: str = "",
) -> list[str]:
    return [
        credit_code,
        name_zh or f"导入测试企业{credit_code[-6:]}有限公司",
        name_en,
        authority,
        category,
        industry,
        parent,
        listed,
    ]


def csv_bytes(
    rows: Sequence[Sequence[str]],
    *,
    header: Sequence[str] = HEADER_EN,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_file(rows: Sequence[Sequence[object]], *, header: Sequence[str] = HEADER_EN) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(header))
    for r in rows:
        sheet.append(list(r))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_not_xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return buffer.getvalue()


def good_rows(n: int, *, start: int = 1) -> list[list[str]]:
    """Groups each followed by two subsidiaries listed BEFORE it, all under Fujian (35)."""
    rows: list[list[str]] = []
    i = start
    for _ in range(n // 3):
        group = code(i)
        rows.append(row(code(i + 1), parent=group))
        rows.append(row(code(i + 2), parent=group, listed="yes"))
        rows.append(row(group, category="commercial_2", industry="D"))
        i += 3
    rows.extend(row(code(j)) for j in range(i, i + n % 3))
    return rows


@dataclass(frozen=True)
class BadFile:
    """A file the import must refuse, where (line) and why (text in the English message)."""

    id: str
    name: str
    content: Callable[[], bytes]
    expect: str
    line: int | None = None


def _cycle() -> bytes:
    a, b = code(1), code(2)
    return csv_bytes([row(a, parent=b), row(b, parent=a)])


def _other_authority() -> bytes:
    group, child = code(1), code(2)
    return csv_bytes([row(group, authority="44"), row(child, authority="11", parent=group)])


def _too_many_rows() -> bytes:
    return csv_bytes([row(code(i)) for i in range(1, MAX_ROWS + 2)])


def _oversize() -> bytes:
    # Valid CSV text, just too much of it.
    filler = "x" * 1000
    rows = [row(code(1), name_zh=filler)] * (MAX_BYTES // 1000 + 10)
    return csv_bytes(rows)


def _latin1() -> bytes:
    # Western text saved as Latin-1: ÿ (0xFF) is neither UTF-8 nor GB18030.
    return csv_bytes(
        [row(code(1), name_zh="Société Générale ÿ", name_en="Société Générale ÿ")],
        encoding="latin-1",
    )


BAD_FILES = [
    BadFile(
        "utf16",
        "enterprises.csv",
        lambda: csv_bytes([row(code(1))], encoding="utf-16"),
        "UTF-8 or GBK",
    ),
    BadFile("latin1", "enterprises.csv", _latin1, "UTF-8 or GBK"),
    BadFile(
        "missing-column",
        "enterprises.csv",
        lambda: csv_bytes([r[:5] for r in [row(code(1))]], header=HEADER_EN[:5]),
        "industry",
        1,
    ),
    BadFile(
        "bad-checksum",
        "enterprises.csv",
        lambda: csv_bytes([row(code(1)), row(bad_checksum(2))]),
        "check character",
        3,
    ),
    BadFile(
        "unknown-authority",
        "enterprises.csv",
        lambda: csv_bytes([row(code(1)), row(code(2)), row(code(3), authority="99")]),
        "Unknown authority code “99”",
        4,
    ),
    BadFile(
        "duplicate-code",
        "enterprises.csv",
        lambda: csv_bytes([row(code(1)), row(code(2)), row(code(1))]),
        "also on line 2",
        4,
    ),
    BadFile("cycle", "enterprises.csv", _cycle, "cycle", 2),
    BadFile(
        "self-parent",
        "enterprises.csv",
        lambda: csv_bytes([row(code(1), parent=code(1))]),
        "cannot be its own group",
        2,
    ),
    BadFile("other-authority", "enterprises.csv", _other_authority, "same authority", 3),
    BadFile(
        "parent-unknown",
        "enterprises.csv",
        lambda: csv_bytes([row(code(1), parent=code(99))]),
        "neither in this file nor registered",
        2,
    ),
    BadFile("oversize", "enterprises.csv", _oversize, "over the limit of 10 MB"),
    BadFile("png-as-csv", "enterprises.csv", lambda: PNG, "PNG image"),
    BadFile("zip-not-xlsx", "enterprises.xlsx", zip_not_xlsx, "not an Excel workbook"),
    BadFile(
        "nul-bytes",
        "enterprises.csv",
        lambda: csv_bytes([row(code(1))]) + b"\x00\x01\x02",
        "binary data",
    ),
    BadFile("too-many-rows", "enterprises.csv", _too_many_rows, "more than 20000", MAX_ROWS + 2),
]
BAD_IDS = [b.id for b in BAD_FILES]


def read(content: bytes, name: str = "enterprises.csv") -> ParsedFile:
    return read_import_file(content, name=name, size=len(content))


def test_utf8_gbk_and_bom_csv_read_the_same() -> None:
    rows = [row(code(1), name_zh="福建测试集团有限公司", listed="是")]
    expected = None
    for encoding in ("utf-8", "utf-8-sig", "gbk", "gb18030"):
        parsed = read(csv_bytes(rows, encoding=encoding))
        assert parsed.readable, parsed.errors
        cells = parsed.rows[0].cells
        assert cells["name_zh"] == "福建测试集团有限公司"
        assert cells["credit_code"] == code(1)  # no BOM glued to the first header
        expected = expected or cells
        assert cells == expected


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_delimiter_is_sniffed(delimiter: str) -> None:
    parsed = read(csv_bytes([row(code(1), name_en="Fujian, Test; Co.")], delimiter=delimiter))
    assert parsed.readable
    assert parsed.rows[0].cells["name_en"] == "Fujian, Test; Co."


def test_chinese_headers_map_to_the_same_columns() -> None:
    parsed = read(csv_bytes([row(code(1))], header=HEADER_ZH, encoding="gbk"))
    assert parsed.readable
    assert set(parsed.rows[0].cells) == set(HEADER_EN)
    assert parsed.label("credit_code") == "统一社会信用代码"


def test_xlsx_detected_by_content_whatever_the_name() -> None:
    content = xlsx_file([[code(1), "福建测试", "", 35, "商业一类", "c", "", True]])
    parsed = read(content, name="renamed.csv")
    assert parsed.format == "xlsx"
    cells = parsed.rows[0].cells
    assert cells["authority_code"] == "35"  # a number in Excel
    assert cells["listed"] == "true"


def test_blank_lines_skipped_but_lines_keep_their_numbers() -> None:
    content = csv_bytes([row(code(1)), ["", "", ""], row(code(2))])
    parsed = read(content)
    assert [r.line for r in parsed.rows] == [2, 4]


def test_unknown_column_is_a_warning_not_an_error() -> None:
    content = csv_bytes([[*row(code(1)), "x"]], header=[*HEADER_EN, "remarks"])
    parsed = read(content)
    assert parsed.readable
    with override("en"):
        assert "remarks" in str(parsed.warnings[0])


def test_exported_apostrophe_is_taken_off_again() -> None:
    parsed = read(csv_bytes([row(code(1), name_en="'=SUM(A1)")]))
    assert parsed.rows[0].cells["name_en"] == "=SUM(A1)"


@pytest.mark.parametrize("bad", BAD_FILES, ids=BAD_IDS)
def test_bad_file_reading_or_checking_names_the_problem(bad: BadFile, db: None) -> None:
    from apps.registry.importing import validate_import

    with override("en"):
        result = validate_import(read(bad.content(), bad.name))
        assert not result.ok
        text = "\n".join(str(e) for e in result.errors)
    assert bad.expect in text, text
    if bad.line is not None:
        assert f"line {bad.line}" in text, text
