"""CSV and XLSX downloads of tables, safe to open in Excel.

A cell that starts with = + - or @ would be read by a spreadsheet as a formula (CSV/formula
injection), so such text gets a leading apostrophe. Numbers and dates are written as values:
a figure is a number in the spreadsheet, never text, so that it sums and sorts; in XLSX it
carries a number format (``#,##0.00``) that shows it grouped at its precision.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV
# injection"); tab and carriage return can smuggle one past a naive check.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Make a text cell inert in Excel, LibreOffice and WPS: a leading apostrophe shows the
    text as typed instead of evaluating it."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        # A number, whatever its sign ("-5" is no formula); a non-finite one is no figure.
        return value if value.is_finite() else ""
    if isinstance(value, int | float | dt.date):
        return value
    return neutralise(str(value))


def _csv_cell(value: Any) -> Any:
    value = _cell(value)
    # Positional digits as stored ("1175000.50"), never "1.1750005E+6".
    return format(value, "f") if isinstance(value, Decimal) else value


def decimal_format(number: Decimal) -> str:
    """The XLSX number format for a figure: thousands grouped, its own decimal places
    (``#,##0.00`` for 1175000.00, ``#,##0`` for 1175000)."""
    exponent = number.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return "#,##0." + "0" * places if places else "#,##0"


class _Echo:
    """A file-like that hands back what csv.writer writes, so rows can be streamed."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """A CSV file line by line, UTF-8 BOM first: without it Excel reads Chinese text in the
    local code page."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([neutralise(h) for h in header])
    for row in rows:
        yield writer.writerow([_csv_cell(v) for v in row])


@dataclass
class Sheet:
    title: str
    header: Sequence[Any]
    rows: Iterable[Sequence[Any]]
    # Every cell stored as text: keeps Excel from turning an all-digit code into a rounded
    # number when someone edits it (the import round trip needs this).
    as_text: bool = False
    # Number formats by column index, for numeric cells ("0.0" for a rate); a Decimal
    # without one gets its own (decimal_format).
    number_formats: Mapping[int, str] = field(default_factory=dict)


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    for spec in sheets:
        worksheet = workbook.create_sheet(title=spec.title[:31])

        def cell(
            value: Any,
            column: int = -1,
            *,
            as_text: bool = spec.as_text,
            ws: Any = worksheet,
            formats: Mapping[int, str] = spec.number_formats,
        ) -> Any:
            value = _cell(value)
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            if as_text:
                c = WriteOnlyCell(ws, value=value)
                c.number_format = "@"
                return c
            numeric = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
            number_format = formats.get(column) if numeric else None
            if number_format is None and isinstance(value, Decimal):
                number_format = decimal_format(value)
            if number_format is None:
                return value
            c = WriteOnlyCell(ws, value=value)
            c.number_format = number_format
            return c

        worksheet.append([cell(neutralise(h)) for h in spec.header])
        for row in spec.rows:
            worksheet.append([cell(v, i) for i, v in enumerate(row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    """Streamed row by row."""
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet: str = "Sheet1",
    number_formats: Mapping[int, str] | None = None,
) -> HttpResponse:
    spec = Sheet(sheet, header, rows, number_formats=number_formats or {})
    response = HttpResponse(xlsx_bytes([spec]), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
