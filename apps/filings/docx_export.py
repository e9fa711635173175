"""A version as a Word document (DOCX), laid out as Chinese official documents are
(GB/T 9704-2012, 党政机关公文格式), for the enterprise's and the authority's own files.

The layout is generic: it walks the kind's declared sections (``Section.fields``,
``Section.table``), names every field by its declared label and shows every value as the
screens do (``describe.show``; figures through ``core.numbers`` at the row's precision), so a
new kind of filing gets its document by declaring its content, as it gets its comparison.

- Page: A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; 22 lines a page.
- Title in 方正小标宋简体 二号 (22 pt), centred: the enterprise's name and the deliverable's title.
- 主送: the supervising authority's name, flush left, with a full-width colon.
- Body in 仿宋_GB2312 三号 (16 pt), first lines indented two characters. Headings numbered
  一、 (黑体) for a section, （一） (楷体_GB2312) for a field or a table, then 1. and （1）
  (仿宋_GB2312), as ``heading_number`` spells them.
- Tables as Word tables with a header row that repeats on every page, in 五号 (10.5 pt).
- 附件: the attachments the version lists, numbered, each with its SHA-256.
- The closing block, right-aligned: the enterprise, the date, who signed off (``sign_off``).
- Page numbers at the foot: "— 1 —".

Fonts are named, not embedded: WPS and Word on a Chinese office's PC have them. Each run
names its font in ``w:rFonts`` for ASCII, high ANSI and East Asian text alike, so that neither
program falls back to a Western font for the digits or a default for the Chinese.
"""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Length, Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from apps.core.numbers import format_cell, format_figure, unit_label
from apps.enterprises.models import short_legal_name
from apps.filings.describe import field_label, labelled, row_label, show
from apps.filings.kinds import ATTACHMENTS_KEY, FieldSpec, Section, ValueType, get_kind
from apps.filings.models import FilingVersion

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
LINES_PER_PAGE = 22
# Exact line spacing that fits 22 lines in the type area (225 mm high).
LINE_PITCH = Emu(int((PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM) / LINES_PER_PAGE))

TITLE_FONT = "方正小标宋简体"
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312", 3: "仿宋_GB2312", 4: "仿宋_GB2312"}
BODY_FONT = "仿宋_GB2312"
PAGE_NUMBER_FONT = "宋体"

TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
TABLE_SIZE = Pt(10.5)  # 五号
PAGE_NUMBER_SIZE = Pt(14)  # 四号
INDENT = Pt(32)  # two characters of the body
RIGHT_GAP = Pt(64)  # the date stands four characters from the right margin

NUMERALS = "一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (headings never run past that)."""
    if not 1 <= n <= 99:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else "十" if tens == 1 else f"{NUMERALS[tens - 1]}十"
    return head + (NUMERALS[ones - 1] if ones else "")


def heading_number(level: int, n: int) -> str:
    """The number of the n-th heading at ``level``: 一、 （一） 1. （1）."""
    if level == 1:
        return f"{chinese_numeral(n)}、"
    if level == 2:
        return f"（{chinese_numeral(n)}）"
    if level == 3:
        return f"{n}."
    return f"（{n}）"


# --- The signatory ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SignOff:
    """The closing block's who and when."""

    label: str  # what the person is: the signatory (签发人), or for a draft who submitted it
    name: str
    on: date | None


def sign_off(version: FilingVersion) -> SignOff:
    """The signatory (签发人) recorded with the formal submission, and the date of the
    enterprise's internal decision. A draft (or a version frozen before submissions recorded
    a signatory) names who submitted it and the day it was submitted, if anyone did."""
    if version.signatory_name:
        return SignOff(_("Signatory"), version.signatory_name, version.decision_on)
    submitted_by = version.submitted_by
    on = timezone.localtime(version.submitted_at).date() if version.submitted_at else None
    return SignOff(_("Submitted by"), submitted_by.full_name if submitted_by else "", on)


# --- Tables ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    cell: Callable[[dict[str, Any]], str]
    figure: bool = False


def _figure(found: FieldSpec, value: Any, row: dict[str, Any], *, unit_column: bool) -> str:
    """A figure at the row's precision; its unit only where no column of its own shows it."""
    if value is None or value == "":
        return "—"
    places = found.places(row) if found.places else None
    unit = found.unit or str(row.get(found.unit_key) or "")
    if unit_column:
        return format_cell(value, unit, places) or "—"
    return format_figure(value, unit, places=places) or "—"


def table_columns(spec: Section, rows: list[dict[str, Any]]) -> list[Column]:
    """The columns of a section's table: the row's name first, then each declared field in
    order. The keys that make up the row's name are not repeated, nor is bookkeeping; a unit
    keeps its column, as the figures beside it are shown without one. A per-year field is a
    column for each year any row has."""
    table = spec.table
    assert table is not None
    columns = [Column(str(table.label), lambda row: row_label(spec, spec.key, row))]
    unit_keys = {f.unit_key for f in table.fields if f.unit_key and not f.unit}
    for found in table.fields:
        if found.internal or (found.key in table.identity and found.key not in unit_keys):
            continue
        if found.key in unit_keys:
            columns.append(Column(str(found.label), _unit_cell(found.key)))
        elif found.type == ValueType.BY_YEAR:
            years = {str(y) for row in rows for y in (row.get(found.key) or {})}
            for year in sorted(years, key=lambda y: (not y.isdigit(), y.zfill(8))):
                columns.append(
                    Column(field_label(found, year), _figure_cell(found, unit_keys, year), True)
                )
        elif found.type == ValueType.NUMBER:
            columns.append(Column(str(found.label), _figure_cell(found, unit_keys), True))
        else:
            columns.append(Column(str(found.label), _value_cell(found)))
    return columns


def _unit_cell(key: str) -> Callable[[dict[str, Any]], str]:
    return lambda row: unit_label(str(row.get(key) or "")) or "—"


def _figure_cell(
    found: FieldSpec, unit_keys: set[str], year: str | None = None
) -> Callable[[dict[str, Any]], str]:
    def cell(row: dict[str, Any]) -> str:
        value = row.get(found.key)
        if year is not None:
            value = value.get(year) if isinstance(value, dict) else None
        return _figure(found, value, row, unit_column=found.unit_key in unit_keys)

    return cell


def _value_cell(found: FieldSpec) -> Callable[[dict[str, Any]], str]:
    return lambda row: show(found, row.get(found.key), row)


# --- Writing --------------------------------------------------------------------------------


def set_font(run: Run, name: str, size: Length, *, bold: bool = False) -> None:
    """Name the font for every script in ``w:rFonts`` (ASCII, high ANSI, East Asian,
    complex), so that WPS and Word both use it."""
    run.font.size = size
    run.font.bold = bold
    _name_fonts(run._element.get_or_add_rPr().get_or_add_rFonts(), name)


def _name_fonts(fonts: Any, name: str) -> None:
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def _spacing(paragraph: Paragraph, *, pitch: Length | None = LINE_PITCH) -> None:
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if pitch is not None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = pitch


class _Writer:
    def __init__(self) -> None:
        self.document = Document()
        self._page()
        self._defaults()

    def _page(self) -> None:
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
        section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
        # The page number stands 7 mm below the type area (GB/T 9704 7.5).
        section.footer_distance = MARGIN_BOTTOM - Mm(7) - PAGE_NUMBER_SIZE
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_font(footer.add_run("— "), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
        # The page number as a field Word and WPS fill in; "1" until they do.
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        footer._p.append(field)
        number = footer.add_run("1")
        set_font(number, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
        field.append(number._r)
        set_font(footer.add_run(" —"), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)

    def _defaults(self) -> None:
        """The body font and Chinese as the East Asian language for whatever a run does not
        set itself (an empty paragraph, a table cell's mark): in the document defaults, where
        the template names theme fonts (which would win over a name beside them), and in the
        Normal style."""
        styles = self.document.styles
        defaults = styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
        normal = styles["Normal"]
        normal.font.size = BODY_SIZE
        for rpr in (defaults, normal.element.get_or_add_rPr()):
            if rpr is None:
                continue
            fonts = rpr.find(qn("w:rFonts"))
            if fonts is None:
                fonts = OxmlElement("w:rFonts")
                rpr.insert(0, fonts)
            for attribute in [
                a for a in fonts.attrib if a.endswith("Theme") or a.endswith("theme")
            ]:
                del fonts.attrib[attribute]
            _name_fonts(fonts, BODY_FONT)
            lang = rpr.find(qn("w:lang"))
            if lang is None:
                lang = OxmlElement("w:lang")
                rpr.append(lang)
            lang.set(qn("w:eastAsia"), "zh-CN")

    def paragraph(
        self,
        text: str = "",
        *,
        font: str = BODY_FONT,
        size: Length = BODY_SIZE,
        indent: Length | None = INDENT,
        align: WD_ALIGN_PARAGRAPH | None = None,
        right_indent: Length | None = None,
    ) -> Paragraph:
        paragraph = self.document.add_paragraph()
        _spacing(paragraph)
        if indent is not None:
            paragraph.paragraph_format.first_line_indent = indent
        if right_indent is not None:
            paragraph.paragraph_format.right_indent = right_indent
        if align is not None:
            paragraph.alignment = align
        if text:
            set_font(paragraph.add_run(text), font, size)
        return paragraph

    def heading(self, level: int, n: int, text: str) -> Paragraph:
        # Indented as the body, each level in its face (GB/T 9704 7.3.3), and kept on the
        # page of what follows it.
        paragraph = self.paragraph(f"{heading_number(level, n)}{text}", font=HEADING_FONTS[level])
        paragraph.paragraph_format.keep_with_next = True
        return paragraph

    def prose(self, text: str) -> None:
        """Long text: a paragraph for each line that has any, its own leading spaces (the
        two full-width spaces typed for an indent) dropped for the paragraph's indent."""
        lines = [line.strip() for line in str(text).splitlines()]
        for line in [line for line in lines if line] or ["—"]:
            self.paragraph(line)

    def table(self, columns: list[Column], rows: list[dict[str, Any]]) -> None:
        table = self.document.add_table(rows=1, cols=len(columns))
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        header = table.rows[0]
        # The header row repeats at the top of every page the table runs over.
        header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for cell, column in zip(header.cells, columns, strict=True):
            self._cell(cell, column.header, font=HEADING_FONTS[1], center=True)
        for row in rows:
            cells = table.add_row().cells
            for cell, column in zip(cells, columns, strict=True):
                self._cell(cell, column.cell(row), right=column.figure)
        self.paragraph(indent=None)  # a table is followed by a line of space

    def _cell(
        self,
        cell: Any,
        text: str,
        *,
        font: str = BODY_FONT,
        center: bool = False,
        right: bool = False,
    ) -> None:
        lines = [line for line in str(text).splitlines() if line.strip()] or ["—"]
        for i, line in enumerate(lines):
            paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            _spacing(paragraph, pitch=None)
            if center:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif right:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            set_font(paragraph.add_run(line), font, TABLE_SIZE)

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def _section(writer: _Writer, spec: Section, data: dict[str, Any]) -> None:
    number = 0
    for found in spec.fields:
        if found.internal:
            continue
        number += 1
        writer.heading(2, number, str(found.label))
        value = data.get(found.key)
        if found.type == ValueType.LONG_TEXT and isinstance(value, str) and value.strip():
            writer.prose(value)
        else:
            writer.paragraph(show(found, value))
    if spec.table is not None:
        rows = [r for r in data.get(spec.table.key) or [] if isinstance(r, dict)]
        if number:  # under fields, the table has its own heading
            writer.heading(2, number + 1, str(spec.table.label))
        if rows:
            writer.table(table_columns(spec, rows), rows)
        else:
            writer.paragraph("—")


def _attachments(writer: _Writer, listed: list[dict[str, Any]]) -> None:
    """附件说明 (GB/T 9704 7.3.5): one line of space after the body, two characters in:
    "附件：1.name", the next ones aligned under the first name's number."""
    if not listed:
        return
    writer.paragraph(indent=None)
    for n, item in enumerate(listed, 1):
        text = f"{n}.{item.get('name') or '—'}"
        if n == 1:
            paragraph = writer.paragraph(labelled(_("Attachments"), text))
        else:
            paragraph = writer.paragraph(text, indent=None)
            paragraph.paragraph_format.left_indent = INDENT + Pt(48)  # under "1."
        run = paragraph.add_run()
        run.add_break()
        set_font(run, BODY_FONT, TABLE_SIZE)
        set_font(paragraph.add_run(f"SHA-256：{item.get('sha256') or '—'}"), BODY_FONT, TABLE_SIZE)


def _closing(writer: _Writer, version: FilingVersion, enterprise_name: str) -> None:
    """The enterprise and the date, right-aligned four characters in from the margin, and
    who signed the version off."""
    signed = sign_off(version)
    writer.paragraph(indent=None)
    writer.paragraph(indent=None)
    writer.paragraph(enterprise_name, indent=None, align=WD_ALIGN_PARAGRAPH.RIGHT,
                     right_indent=RIGHT_GAP)  # fmt: skip
    when = formats.date_format(signed.on, "DATE_FORMAT") if signed.on else _("Not submitted")
    writer.paragraph(when, indent=None, align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=RIGHT_GAP)
    writer.paragraph(labelled(signed.label, signed.name or "—"), indent=None,
                     align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=RIGHT_GAP)  # fmt: skip


def version_docx(version: FilingVersion) -> bytes:
    """The version as a DOCX document, in the project's language (it is an official
    document, whoever downloads it)."""
    filing = version.filing
    kind = get_kind(filing.kind)
    content = version.content or {}
    with translation.override(settings.LANGUAGE_CODE):
        writer = _Writer()
        enterprise_name = filing.enterprise.name
        if not version.is_frozen:
            writer.paragraph(_("Draft, not submitted"), indent=None,
                             align=WD_ALIGN_PARAGRAPH.RIGHT)  # fmt: skip
        writer.paragraph(f"{enterprise_name}{filing.deliverable.title}", font=TITLE_FONT,
                         size=TITLE_SIZE, indent=None, align=WD_ALIGN_PARAGRAPH.CENTER)  # fmt: skip
        writer.paragraph(indent=None)
        # 主送机关: flush left, ending in a full-width colon.
        writer.paragraph(f"{filing.enterprise.authority.name}：", indent=None)
        for number, spec in enumerate(kind.sections, 1):
            writer.heading(1, number, str(spec.title))
            data = content.get(spec.key)
            _section(writer, spec, data if isinstance(data, dict) else {})
        _attachments(writer, [a for a in content.get(ATTACHMENTS_KEY, []) if isinstance(a, dict)])
        _closing(writer, version, enterprise_name)
        return writer.save()


# --- The file's name ------------------------------------------------------------------------

# What a file system refuses in a name (the title's own "_" and spaces are kept).
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def docx_filename(version: FilingVersion) -> str:
    """ "{deliverable}_{enterprise short name}_v{n}.docx", in the project's language, with no
    character a file system refuses."""
    filing = version.filing
    with translation.override(settings.LANGUAGE_CODE):
        title, enterprise = filing.deliverable.title, short_legal_name(filing.enterprise.name_zh)
    stem = UNSAFE.sub("_", f"{title}_{enterprise}").strip(" ._")[:150] or "filing"
    return f"{stem}_v{version.number}.docx"
