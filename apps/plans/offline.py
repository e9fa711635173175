"""Offline entry of a plan's two tables: an Excel (XLSX) template of the open draft's core
indicators and key tasks, and the reading of a filled-in template back into the draft.

Reading goes through the editor's own forms (``IndicatorsForm``, ``TasksForm``): the cells
are turned into the POST the editor would send and validated there, so every rule (figures
and their ranges, the consistency rules, required task names, dates in order) is written
once and reads the same online and offline. What the forms cannot see is checked here: the
file itself, its sheets and columns, a core indicator's row that went missing, a template
made from another draft or before someone else's save. Nothing is saved unless both tables
pass; ``plan_tables_save`` then saves both sections in one transaction.

The sheets keep fixed Chinese names and a hidden first row of column keys, so a file reads
back whatever the language it was downloaded in; the visible headers are in the reader's
language.
"""

import datetime as dt
import functools
import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.filings.models import Filing, FilingEvent, FilingVersion
from apps.filings.services import filing_save_section
from apps.plans.constants import (
    CORE_BY_CODE,
    CUSTOM_DIRECTIONS,
    INDICATORS,
    MAX_ROWS,
    TASKS,
    ActionArea,
    Direction,
    unit_label,
)
from apps.plans.content import campaign_years, indicator_rows, indicator_specs
from apps.plans.forms import IndicatorRowForm, IndicatorsForm, TaskRowForm, TasksForm

SHEET_INDICATORS = "核心指标"
SHEET_TASKS = "重点任务"
TABLE_SECTIONS = (INDICATORS, TASKS)

# Row 1 (hidden) holds the column keys the file is read by; row 2 the headers people read.
KEY_ROW = 1
LABEL_ROW = 2
FIRST_DATA_ROW = 3
# The rows the template prepares (unlocked, validated, formatted): as many as a table holds.
LAST_TEMPLATE_ROW = FIRST_DATA_ROW + MAX_ROWS - 1

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# What a 5 MB upload may unpack to: the template itself is a few dozen kilobytes; a file that
# unpacks to more is a zip bomb, not a plan.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
# The rows and columns looked through for data. A sheet that declares more (a million empty
# rows) is refused before it is read: reading it would take half a minute of a worker.
SCAN_ROWS = 2_000
SCAN_COLUMNS = 60
XLSX_MAGIC = b"PK\x03\x04"

# Custom document properties: which filing, draft version and section revisions the template
# was made from (Excel, WPS and LibreOffice keep them when they save the file).
PROP_FILING = "vc_filing"
PROP_VERSION = "vc_draft_version"
PROP_REVISION = {INDICATORS: "vc_revision_indicators", TASKS: "vc_revision_tasks"}

# Figures beyond these are refused by Excel's own data validation as well (the form's limit
# is 16 digits before the point).
FIGURE_LIMIT = "9999999999999999"
# Excel keeps 15 significant digits of a number: a figure with more is written as text, so
# that it reads back with every digit.
EXCEL_DIGITS = 15

TEXT = "text"
LONG_TEXT = "long_text"
FIGURE = "figure"
YEAR = "year"
DATE = "date"
CHOICE = "choice"
ROW_KEY = "row_key"


@dataclass(frozen=True)
class Column:
    key: str  # the form field it fills, written in the hidden first row
    label: str  # the header in the reader's language
    kind: str
    width: float = 14


@dataclass(frozen=True)
class CellError:
    """Why an upload was refused, where: the sheet and the cell ("C5"), both empty for the
    file as a whole, the cell empty for a whole sheet."""

    sheet: str
    cell: str
    message: str
    # Where it sorts: the sheets' order, then row, then column.
    position: tuple[int, int, int] = field(default=(0, 0, 0), compare=False, repr=False)


@dataclass
class Reading:
    """What an upload holds: the two sections' new content, or the reasons it was refused."""

    errors: list[CellError] = field(default_factory=list)
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)
    base_revisions: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


# --- Columns and choices -------------------------------------------------------------------


def indicator_columns(years: list[int]) -> list[Column]:
    """The indicator sheet's columns; headers are the editor's own labels."""
    fields = IndicatorRowForm.base_fields

    def label(name: str) -> str:
        return str(fields[name].label)

    return [
        Column("code", _("Indicator code"), ROW_KEY, 18),
        Column("name_zh", label("name_zh"), TEXT, 22),
        Column("name_en", label("name_en"), TEXT, 26),
        Column("unit", label("unit"), TEXT, 12),
        Column("direction", label("direction"), CHOICE, 12),
        Column("baseline_year", label("baseline_year"), YEAR, 11),
        Column("baseline", label("baseline"), FIGURE, 16),
        *(Column(f"target_{y}", _("Target %(year)s") % {"year": y}, FIGURE, 16) for y in years),
        Column("benchmark", label("benchmark"), FIGURE, 16),
        Column("benchmark_source", label("benchmark_source"), TEXT, 30),
    ]


def task_columns() -> list[Column]:
    fields = TaskRowForm.base_fields

    def label(name: str) -> str:
        return str(fields[name].label)

    return [
        Column("id", _("Row identifier"), ROW_KEY, 14),
        Column("area", label("area"), CHOICE, 16),
        Column("title", label("title"), TEXT, 32),
        Column("department", label("department"), TEXT, 16),
        Column("person", label("person"), TEXT, 12),
        Column("start", label("start"), DATE, 12),
        Column("due", label("due"), DATE, 12),
        Column("result", label("result"), LONG_TEXT, 40),
    ]


def _zh_labels(choices: Any) -> dict[str, str]:
    """{value: Chinese label}: the drop-down lists offer the labels the filing is written in,
    whatever the reader's language."""
    with translation.override("zh-hans"):
        return {str(value): str(label) for value, label in choices}


@functools.cache
def _choice_reader(key: str) -> dict[str, str]:
    """What a choice cell may hold, read back to its value: the value itself, or its label in
    either language (in any case)."""
    choices = _choices(key)
    accepted: dict[str, str] = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for value, label in choices:
                accepted[str(label).strip().casefold()] = str(value)
    for value, _label in choices:
        accepted[str(value).casefold()] = str(value)
    return accepted


def _choices(key: str) -> Any:
    # A custom indicator is higher or lower is better; a band is the campaign's to set.
    return CUSTOM_DIRECTIONS if key == "direction" else ActionArea.choices


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


# --- The template --------------------------------------------------------------------------


def template_filename(filing: Filing, draft: FilingVersion) -> str:
    return f"plan-tables-{filing.enterprise.credit_code}-v{draft.number}.xlsx"


def _figure_cell(stored: Any) -> Any:
    """A stored figure as the cell's value: a number (Excel sums and sorts it), unless it has
    more digits than Excel keeps, then the text as filed."""
    text = str(stored or "").strip()
    if not text:
        return None
    try:
        number = Decimal(text)
    except ArithmeticError:
        return text
    if not number.is_finite() or len(number.as_tuple().digits) > EXCEL_DIGITS:
        return text
    return number


def _places(value: Any) -> int:
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        return -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return 0


def _number_format(places: int) -> str:
    return "#,##0." + "0" * places if places else "#,##0"


def _date_cell(stored: Any) -> Any:
    text = str(stored or "")
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return text


def _indicator_cells(
    row: dict[str, Any], years: list[int], directions: dict[str, str]
) -> tuple[dict[str, Any], frozenset[str], int]:
    """A stored indicator row as cell values, the cells the enterprise may not change (a
    core indicator's identity is the notice's), and the decimal places its figures show."""
    core = CORE_BY_CODE.get(row.get("code") or "") if row.get("core") else None
    values: dict[str, Any] = {
        "code": row.get("code") or "",
        "name_zh": row.get("name_zh") or "",
        "name_en": row.get("name_en") or "",
        # A core unit is shown in the reader's language; a custom one as the enterprise typed.
        "unit": str(unit_label(core.unit)) if core else row.get("unit") or "",
        "direction": directions.get(str(row.get("direction") or ""), ""),
        "baseline_year": row.get("baseline_year"),
        "baseline": _figure_cell(row.get("baseline")),
        "benchmark": _figure_cell(row.get("benchmark")),
        "benchmark_source": row.get("benchmark_source") or "",
    }
    for year in years:
        values[f"target_{year}"] = _figure_cell((row.get("targets") or {}).get(str(year)))
    fixed = frozenset({"name_zh", "name_en", "unit", "direction"}) if core else frozenset()
    return values, fixed, core.precision if core else 2


def _task_cells(row: dict[str, Any], areas: dict[str, str]) -> dict[str, Any]:
    return {
        "id": row.get("id") or "",
        "area": areas.get(str(row.get("area") or ""), ""),
        "title": row.get("title") or "",
        "department": row.get("department") or "",
        "person": row.get("person") or "",
        "start": _date_cell(row.get("start")),
        "due": _date_cell(row.get("due")),
        "result": row.get("result") or "",
    }


def _put_text(cell: Any, value: str) -> None:
    """Text stays text: a value that starts like a formula is stored as a string and shown
    with Excel's hidden apostrophe, so it is neither run nor changed on the way back."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(("=", "+", "-", "@")):
        cell.data_type = "s"
        cell.quotePrefix = True


def _write_sheet(
    worksheet: Any,
    columns: list[Column],
    rows: list[tuple[dict[str, Any], frozenset[str], int]],
    *,
    freeze: str,
) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    header_fill = PatternFill("solid", fgColor="DDE4EE")
    fixed_fill = PatternFill("solid", fgColor="EFEFEF")
    unlocked = Protection(locked=False)
    for index, column in enumerate(columns):
        key_cell = worksheet.cell(row=KEY_ROW, column=index + 1, value=column.key)
        key_cell.font = Font(color="808080")
        label = worksheet.cell(row=LABEL_ROW, column=index + 1)
        _put_text(label, column.label)
        label.font = Font(bold=True)
        label.fill = header_fill
        label.alignment = Alignment(wrap_text=True, vertical="center")
        worksheet.column_dimensions[_letter(index)].width = column.width
    worksheet.row_dimensions[KEY_ROW].hidden = True

    # Every row a table may hold is prepared, so a new indicator or task is typed into a
    # formatted, validated row; the stored rows come first.
    for offset in range(MAX_ROWS):
        row_number = FIRST_DATA_ROW + offset
        values, fixed, places = rows[offset] if offset < len(rows) else ({}, frozenset(), 2)
        for index, column in enumerate(columns):
            cell = worksheet.cell(row=row_number, column=index + 1)
            value = values.get(column.key)
            if column.kind == FIGURE:
                if isinstance(value, str):
                    _put_text(cell, value)
                else:
                    cell.value = value
                    cell.number_format = _number_format(max(places, _places(value)))
            elif column.kind == YEAR:
                cell.value = value
                cell.number_format = "0"
            elif column.kind == DATE:
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
            else:
                _put_text(cell, str(value or ""))
                # Typed names stay text ("001" is not the number 1, "3-5" not a date).
                cell.number_format = "@"
                if column.kind == LONG_TEXT:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            # The row key is the stored row's: never typed (new rows have none).
            if column.kind == ROW_KEY or column.key in fixed:
                cell.fill = fixed_fill
            else:
                cell.protection = unlocked

    first, last = FIRST_DATA_ROW, LAST_TEMPLATE_ROW
    for index, column in enumerate(columns):
        letter = _letter(index)
        validation: Any = None
        if column.kind == CHOICE:
            labels = list(_zh_labels(_choices(column.key)).values())
            validation = DataValidation(
                type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True
            )
            validation.error = _("Choose one of the list.")
        elif column.kind == YEAR:
            year_field = IndicatorRowForm.base_fields["baseline_year"]
            validation = DataValidation(
                type="whole",
                operator="between",
                formula1=str(getattr(year_field, "min_value", 1990)),
                formula2=str(getattr(year_field, "max_value", 2100)),
                allow_blank=True,
            )
            validation.error = _("Type a year, such as 2022.")
        elif column.kind == FIGURE:
            validation = DataValidation(
                type="decimal",
                operator="between",
                formula1="-" + FIGURE_LIMIT,
                formula2=FIGURE_LIMIT,
                allow_blank=True,
            )
            validation.error = _("Type a number: digits, with a point for decimals.")
        elif column.kind == DATE:
            validation = DataValidation(
                type="date",
                operator="between",
                formula1="DATE(1990,1,1)",
                formula2="DATE(2100,12,31)",
                allow_blank=True,
            )
            validation.error = _("Type a date, such as 2023-06-30.")
        if validation is None:
            continue
        validation.showErrorMessage = True
        validation.errorStyle = "stop"
        validation.add(f"{letter}{first}:{letter}{last}")
        worksheet.add_data_validation(validation)

    # The row key column is hidden: it is how rows are matched, not something to read.
    worksheet.column_dimensions["A"].hidden = True
    worksheet.freeze_panes = freeze
    # Headers and identities are locked against slips, not secrets: there is no password
    # (the upload checks every cell anyway). Rows may be inserted (a new row has no row key)
    # and columns widened; rows are not deleted (a core indicator's row must stay): a custom
    # indicator or a task is deleted by clearing its row, which the reading takes as such.
    protection = worksheet.protection
    protection.sheet = True
    protection.insertRows = False
    protection.formatColumns = False
    protection.formatRows = False


def template_bytes(*, filing: Filing, draft: FilingVersion) -> bytes:
    """The XLSX template of the draft's two tables, filled with what the draft holds."""
    from openpyxl import Workbook
    from openpyxl.packaging.custom import IntProperty

    years = campaign_years(filing)
    directions = _zh_labels(Direction.choices)
    areas = _zh_labels(ActionArea.choices)
    workbook = Workbook()
    indicators = workbook.active
    indicators.title = SHEET_INDICATORS
    _write_sheet(
        indicators,
        indicator_columns(years),
        [
            _indicator_cells(row, years, directions)
            for row in indicator_rows(draft.content.get(INDICATORS), years, indicator_specs(filing))
        ],
        freeze="C3",
    )
    tasks = workbook.create_sheet(SHEET_TASKS)
    stored_tasks = (draft.content.get(TASKS) or {}).get("rows") or []
    _write_sheet(
        tasks,
        task_columns(),
        [(_task_cells(row, areas), frozenset(), 0) for row in stored_tasks],
        freeze="D3",
    )
    properties = workbook.custom_doc_props
    properties.append(IntProperty(name=PROP_FILING, value=filing.pk))
    properties.append(IntProperty(name=PROP_VERSION, value=draft.number))
    for section, name in PROP_REVISION.items():
        properties.append(IntProperty(name=name, value=int(draft.revisions.get(section, 0))))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Reading an upload ---------------------------------------------------------------------


def _refused(message: str) -> Reading:
    return Reading(errors=[CellError("", "", message)])


def _not_a_workbook(data: bytes) -> str | None:
    """Why the bytes are not an XLSX workbook (judged by content, not by name), or None."""
    not_xlsx = _("This file is not an Excel workbook (.xlsx): upload the template you downloaded.")
    if not data.startswith(XLSX_MAGIC):
        return not_xlsx
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return not_xlsx
    if "xl/workbook.xml" not in {info.filename for info in infos}:
        return not_xlsx
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        return _("The Excel workbook unpacks to too much data to be read.")
    return None


def read_upload(
    upload: IO[bytes] | bytes, *, size: int | None, filing: Filing, draft: FilingVersion
) -> Reading:
    """Read an uploaded template against the open draft. Never raises for bad content:
    the reasons are in ``.errors``, each with its sheet and cell."""
    limit_mb = MAX_UPLOAD_BYTES // 1024 // 1024
    oversize = _("The file is larger than %(limit)d MB: upload the template itself.") % {
        "limit": limit_mb
    }
    if size is not None and size > MAX_UPLOAD_BYTES:
        return _refused(oversize)
    # One byte over the limit is enough to know the file is too big.
    data = upload if isinstance(upload, bytes) else upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        return _refused(oversize)
    problem = _not_a_workbook(data)
    if problem:
        return _refused(problem)

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises anything from KeyError to XML errors on a bad file
        return _refused(
            _("The Excel workbook cannot be opened; it may be damaged or password-protected.")
        )
    try:
        return _read_workbook(workbook, filing=filing, draft=draft)
    finally:
        workbook.close()


def _read_workbook(workbook: Any, *, filing: Filing, draft: FilingVersion) -> Reading:
    expected = [SHEET_INDICATORS, SHEET_TASKS]
    if sorted(workbook.sheetnames) != sorted(expected):
        return _refused(
            _(
                "The workbook must hold exactly the two sheets “%(indicators)s” and "
                "“%(tasks)s”; this one holds %(sheets)s. Upload the template you downloaded, "
                "with its sheets as they were."
            )
            % {
                "indicators": SHEET_INDICATORS,
                "tasks": SHEET_TASKS,
                "sheets": "、".join(f"“{name}”" for name in workbook.sheetnames),
            }
        )
    origin = _origin(workbook, filing=filing, draft=draft)
    if isinstance(origin, CellError):
        return Reading(errors=[origin])

    years = campaign_years(filing)
    grids: dict[str, list[list[Any]]] = {}
    errors: list[CellError] = []
    for order, name in enumerate(expected):
        try:
            grid = _grid(workbook[name], name, order)
        except Exception:  # a damaged sheet fails while streaming, not when opening
            return _refused(_("The Excel workbook cannot be read; it may be damaged."))
        if isinstance(grid, CellError):
            errors.append(grid)
        else:
            grids[name] = grid
    if errors:
        return Reading(errors=errors)

    indicators = _SheetReader(
        SHEET_INDICATORS, 0, indicator_columns(years), grids[SHEET_INDICATORS]
    )
    tasks = _SheetReader(SHEET_TASKS, 1, task_columns(), grids[SHEET_TASKS])
    sections = {
        INDICATORS: indicators.read_indicators(filing=filing, draft=draft, years=years),
        TASKS: tasks.read_tasks(filing=filing, draft=draft),
    }
    errors = sorted(indicators.errors + tasks.errors, key=lambda e: e.position)
    if errors:
        return Reading(errors=errors)
    return Reading(
        sections={key: section for key, section in sections.items() if section is not None},
        base_revisions=origin,
    )


def _origin(workbook: Any, *, filing: Filing, draft: FilingVersion) -> dict[str, int] | CellError:
    """The section revisions the template was made from, or why it cannot be applied to this
    draft (another filing's, an earlier draft's, or saved over since it was downloaded)."""
    properties = {p.name: p.value for p in workbook.custom_doc_props}
    try:
        made_for = int(str(properties[PROP_FILING]))
        version = int(str(properties[PROP_VERSION]))
        revisions = {key: int(str(properties[name])) for key, name in PROP_REVISION.items()}
    except (KeyError, TypeError, ValueError):
        return CellError(
            "",
            "",
            _(
                "This workbook does not say which draft it was made from (copying the sheets "
                "into another workbook, or some online spreadsheets, drop that). Download the "
                "template from this page and enter the figures in it."
            ),
        )
    if made_for != filing.pk:
        return CellError(
            "",
            "",
            _("This template was made for another filing: download the template of this one."),
        )
    if version != draft.number:
        return CellError(
            "",
            "",
            _(
                "This template was made from version %(made)d of the plan; the open draft is "
                "version %(now)d. Download a new template and enter your changes in it."
            )
            % {"made": version, "now": draft.number},
        )
    for section, revision in revisions.items():
        if revision != int(draft.revisions.get(section, 0)):
            last = (
                FilingEvent.objects.filter(
                    filing=filing, version=draft, action="edit", data__section=section
                )
                .select_related("actor")
                .first()
            )
            return CellError(
                "",
                "",
                stale_message(
                    section,
                    who=last.actor.full_name if last and last.actor else "",
                    when=last.created_at if last else None,
                ),
            )
    return revisions


def section_title(section: str) -> str:
    return _("Core indicators") if section == INDICATORS else _("Key tasks")


def stale_message(section: str, *, who: str, when: dt.datetime | None) -> str:
    """Why a template downloaded before someone else's save is not applied: its cells hold
    the table as it was, and saving them would silently undo that save."""
    if who and when is not None:
        return _(
            "%(who)s saved “%(section)s” at %(when)s, after this template was downloaded. "
            "Nothing was saved, so that those changes are not undone: download a new "
            "template and enter your changes in it."
        ) % {
            "who": who,
            "section": section_title(section),
            "when": timezone.localtime(when).strftime("%Y-%m-%d %H:%M"),
        }
    return _(
        "“%(section)s” was saved after this template was downloaded. Nothing was saved, so "
        "that those changes are not undone: download a new template and enter your changes "
        "in it."
    ) % {"section": section_title(section)}


def _raw(cell: Any) -> Any:
    """A cell's value as read: numbers as exact decimals, a per-cent cell as the figure it
    shows (Excel stores "65%" as 0.65), anything else as it is."""
    value = cell.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    number = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
    if not number.is_finite():
        return str(value)
    if "%" in str(getattr(cell, "number_format", "") or ""):
        number = number.scaleb(2)
    return number


def _grid(worksheet: Any, sheet: str, order: int) -> list[list[Any]] | CellError:
    """The sheet's cells, bounded: a sheet that declares more rows or columns than could be
    a plan's table is refused without reading them."""
    declared_rows = worksheet.max_row or 0
    declared_columns = worksheet.max_column or 0
    if declared_rows > SCAN_ROWS or declared_columns > SCAN_COLUMNS:
        return CellError(
            sheet,
            "",
            _(
                "The sheet runs to row %(rows)d and column %(columns)s; a table holds at most "
                "%(limit)d rows. Delete the rows and columns beyond the table, then upload "
                "the file again."
            )
            % {
                "rows": declared_rows,
                "columns": _letter(max(declared_columns, 1) - 1),
                "limit": MAX_ROWS,
            },
            (order, 0, 0),
        )
    return [
        [_raw(cell) for cell in row]
        for row in worksheet.iter_rows(min_row=1, max_row=SCAN_ROWS, max_col=SCAN_COLUMNS)
    ]


def _text(value: Any) -> str:
    """A cell's value as the text a browser would post for it."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        # 1180000 and 1180000.0 alike read "1180000"; 0.585 in a per-cent cell "58.5".
        return format(value.normalize(), "f")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass
class _Row:
    number: int  # the sheet's row number
    values: dict[str, Any]
    stored: dict[str, Any] | None


class _SheetReader:
    """One sheet: its columns found by their keys, its rows turned into the form's POST, and
    the form's errors put back in their cells."""

    def __init__(self, sheet: str, order: int, columns: list[Column], grid: list[list[Any]]):
        self.sheet = sheet
        self.order = order
        self.columns = columns
        self.grid = grid
        self.errors: list[CellError] = []
        self.index_of: dict[str, int] = {}
        self.rows: list[_Row] = []

    def error(self, row: int, index: int | None, message: str) -> None:
        cell = f"{_letter(index)}{row}" if index is not None and row else ""
        position = (self.order + 1, row, (index or 0) + 1)
        self.errors.append(CellError(self.sheet, cell, str(message), position))

    def cell(self, row: list[Any], index: int) -> Any:
        return row[index] if index < len(row) else None

    def find_columns(self) -> bool:
        """Map each key of the hidden first row to its column; an unknown column with
        anything in it, and a template column that is gone, are errors. False when the sheet
        is not the template's at all (no key row): then that is the only error."""
        keys_row = self.grid[KEY_ROW - 1] if self.grid else []
        labels_row = self.grid[LABEL_ROW - 1] if len(self.grid) >= LABEL_ROW else []
        keys = [_text(value).strip() for value in keys_row]
        if self.columns[0].key not in keys:
            self.errors.append(
                CellError(
                    self.sheet,
                    "",
                    _(
                        "This sheet is not the template’s (its hidden first row of column keys "
                        "is missing): download the template and enter the figures in it."
                    ),
                    (self.order + 1, 0, 0),
                )
            )
            return False
        known = {c.key for c in self.columns}
        width = max((len(r) for r in self.grid), default=0)
        for index in range(width):
            key = keys[index] if index < len(keys) else ""
            if key in known and key not in self.index_of:
                self.index_of[key] = index
                continue
            if all(_blank(self.cell(row, index)) for row in self.grid):
                continue
            header = _text(self.cell(labels_row, index)).strip() or key
            if header:
                message = _(
                    "Column %(column)s (“%(header)s”) is not one of the template’s columns: "
                    "delete it, then upload the file again."
                ) % {"column": _letter(index), "header": header}
            else:
                message = _(
                    "Column %(column)s is not one of the template’s columns: delete it, then "
                    "upload the file again."
                ) % {"column": _letter(index)}
            self.error(LABEL_ROW, index, message)
        for position, column in enumerate(self.columns):
            if column.key not in self.index_of:
                self.error(
                    LABEL_ROW,
                    position,
                    _("The column “%(column)s” is missing: put it back as it was in the template.")
                    % {"column": column.label},
                )
        return True

    def data_rows(self) -> list[tuple[int, dict[str, Any]]]:
        """Every row below the headers with anything in a template column, by row number."""
        rows = []
        for offset, row in enumerate(self.grid[FIRST_DATA_ROW - 1 :]):
            values = {key: self.cell(row, index) for key, index in self.index_of.items()}
            if any(not _blank(v) for v in values.values()):
                rows.append((FIRST_DATA_ROW + offset, values))
        return rows

    def too_many(self) -> bool:
        if len(self.rows) <= MAX_ROWS:
            return False
        self.error(
            self.rows[MAX_ROWS].number,
            1,
            _("The sheet holds %(count)d rows; a table holds at most %(limit)d.")
            % {"count": len(self.rows), "limit": MAX_ROWS},
        )
        return True

    def post(self, prefix: str, make: Any) -> dict[str, str]:
        """The formset POST for ``self.rows``: every row an initial form, so every row is
        checked (a blank row is never posted: it was skipped, or it is a deletion)."""
        count = str(len(self.rows))
        data = {
            f"{prefix}-TOTAL_FORMS": count,
            f"{prefix}-INITIAL_FORMS": count,
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": str(MAX_ROWS),
        }
        for i, row in enumerate(self.rows):
            for key, value in make(row).items():
                data[f"{prefix}-{i}-{key}"] = value
        return data

    def collect(self, form: Any) -> None:
        """The form's errors, each in its cell."""
        for message in form.non_field_errors():
            self.error(0, None, message)
        for message in form.formset.non_form_errors():
            self.error(0, None, message)
        for row, row_form in zip(self.rows, form.formset.forms, strict=False):
            for name, messages in row_form.errors.items():
                index = self.index_of.get(name, self.index_of.get(self.columns[1].key))
                for message in messages:
                    self.error(row.number, index, message)

    def text_of(self, row: _Row, key: str) -> str:
        return _text(row.values.get(key)).strip() if key in row.values else ""

    def choice_of(self, row: _Row, key: str, default: str = "") -> str:
        typed = self.text_of(row, key)
        if not typed:
            return default
        # What is not a choice is posted as typed: the form says it is not one.
        return _choice_reader(key).get(typed.casefold(), typed)

    def figure_of(self, row: _Row, key: str, stored: Any) -> str:
        value = row.values.get(key)
        # A number equal to the stored figure keeps the stored spelling ("12.50" comes back
        # from Excel as 12.5): an untouched cell is no change.
        if isinstance(value, Decimal) and stored not in (None, ""):
            try:
                if Decimal(str(stored)) == value:
                    return str(stored)
            except ArithmeticError:
                pass
        return self.text_of(row, key)

    # --- The two tables ------------------------------------------------------------------

    def read_indicators(
        self, *, filing: Filing, draft: FilingVersion, years: list[int]
    ) -> dict[str, Any] | None:
        if not self.find_columns():
            return None
        content = draft.content.get(INDICATORS) or {}
        specs = indicator_specs(filing)
        names = {spec.code: spec.name for spec in specs}
        by_code = {row["code"]: row for row in indicator_rows(content, years, specs)}
        seen: dict[str, int] = {}
        name_index = self.index_of.get("name_zh", 1)
        for number, values in self.data_rows():
            code = _text(values.get("code")).strip()
            stored = by_code.get(code)
            if stored is not None and stored["core"]:
                if code in seen:
                    self.error(
                        number,
                        name_index,
                        _("%(indicator)s is in the sheet twice, in rows %(first)d and %(again)d: "
                          "keep one.")
                        % {"indicator": names[code], "first": seen[code], "again": number},
                    )  # fmt: skip
                    continue
                seen[code] = number
            elif all(_blank(v) for key, v in values.items() if key != "code"):
                continue  # a custom indicator cleared: deleted, as the editor's Delete
            self.rows.append(_Row(number, values, stored))
        for position, core in enumerate(specs):
            if core.code not in seen:
                self.error(
                    FIRST_DATA_ROW + position,
                    name_index,
                    _(
                        "The row of %(indicator)s is missing: every core indicator stays in the "
                        "sheet (leave a figure blank rather than delete its row)."
                    )
                    % {"indicator": core.name},
                )
        if self.too_many():
            return None

        def make(row: _Row) -> dict[str, str]:
            stored = row.stored or {}
            posted = {"id": str(stored.get("id") or "")}
            if not stored.get("core"):
                # Identity cells of a core row are the notice's: never posted, as in the
                # editor (where they are not inputs at all).
                posted.update(
                    name_zh=self.text_of(row, "name_zh"),
                    name_en=self.text_of(row, "name_en"),
                    unit=self.text_of(row, "unit"),
                    # A select always sends a choice: its first, unless one was picked.
                    direction=self.choice_of(row, "direction", Direction.HIGHER.value),
                    kind=str(stored.get("kind") or ""),
                )
            elif stored.get("applicable") is False:
                # The workbook has no cell for leaving an optional indicator out: what the
                # editor recorded stays as it was.
                posted.update(not_applicable="on", na_reason=str(stored.get("na_reason") or ""))
            year = row.values.get("baseline_year")
            posted["baseline_year"] = (
                str(int(year)) if isinstance(year, Decimal) and year == year.to_integral_value()
                else self.text_of(row, "baseline_year")
            )  # fmt: skip
            posted["baseline"] = self.figure_of(row, "baseline", stored.get("baseline"))
            for y in years:
                posted[f"target_{y}"] = self.figure_of(
                    row, f"target_{y}", (stored.get("targets") or {}).get(str(y))
                )
            posted["benchmark"] = self.figure_of(row, "benchmark", stored.get("benchmark"))
            posted["benchmark_source"] = self.text_of(row, "benchmark_source")
            return posted

        form = IndicatorsForm(self.post(INDICATORS, make), content=content, filing=filing)
        if not form.is_valid():
            self.collect(form)
            return None
        return form.to_content() if not self.errors else None

    def read_tasks(self, *, filing: Filing, draft: FilingVersion) -> dict[str, Any] | None:
        if not self.find_columns():
            return None
        content = draft.content.get(TASKS) or {}
        by_id = {
            str(row["id"]): row
            for row in content.get("rows") or []
            if isinstance(row, dict) and row.get("id")
        }
        for number, values in self.data_rows():
            if all(_blank(v) for key, v in values.items() if key != "id"):
                continue  # a task cleared: deleted
            self.rows.append(_Row(number, values, by_id.get(_text(values.get("id")).strip())))
        if self.too_many():
            return None

        def make(row: _Row) -> dict[str, str]:
            return {
                "id": str((row.stored or {}).get("id") or ""),
                "area": self.choice_of(row, "area"),
                **{
                    key: self.text_of(row, key)
                    for key in ("title", "department", "person", "start", "due", "result")
                },
            }

        form = TasksForm(self.post(TASKS, make), content=content, filing=filing)
        if not form.is_valid():
            self.collect(form)
            return None
        return form.to_content() if not self.errors else None


# --- Saving --------------------------------------------------------------------------------


@transaction.atomic
def plan_tables_save(
    *,
    filing: Filing,
    sections: Mapping[str, dict[str, Any]],
    base_revisions: Mapping[str, int],
    actor: Any,
    ip_address: str | None = None,
) -> FilingVersion:
    """Save the two tables of an upload: both or neither. Each is an ordinary section save
    (an edit in the history, refused with EditConflict if the section was saved since
    ``base_revisions``); a refusal of the second undoes the first."""
    draft: FilingVersion | None = None
    for key in TABLE_SECTIONS:
        draft = filing_save_section(
            filing=filing, section=key, data=sections[key], base_revision=base_revisions[key],
            actor=actor, ip_address=ip_address,
        )  # fmt: skip
    assert draft is not None
    return draft
