"""Reading and checking an enterprise import file (CSV or XLSX).

Two steps, both without writes: ``read_import_file`` turns bytes into rows (or says why the
file cannot be read), ``validate_import`` checks every row against the registry's rules and
plans the creates and updates. ``apps.registry.services.enterprises_import`` runs the check
again inside its transaction and writes.

The checks here stand in for ``Enterprise.full_clean()`` (too slow per row for 20,000 rows):
credit code, required fields, lengths, choices, a group under the same authority as its
subsidiaries, no enterprise its own (indirect) group. Keep them in step with the model.
"""

import csv
import hashlib
import io
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from apps.enterprises.creditcode import validate_credit_code
from apps.enterprises.models import Authority, Enterprise, FunctionalCategory, Industry

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
# Unpacked size of an XLSX we are willing to open: a 10 MB upload that unzips to gigabytes
# is a zip bomb, not a registry.
MAX_XLSX_UNPACKED = 200 * 1024 * 1024
# Rows per `credit_code__in` query: keeps each query's parameter list modest on every backend.
LOOKUP_CHUNK = 1000
# How much of an unreadable file charset-normalizer looks at to name its encoding.
ENCODING_SAMPLE = 64 * 1024

XLSX_MAGIC = b"PK\x03\x04"
# Files people upload by mistake, named so the refusal says what the file actually is.
BINARY_SIGNATURES: tuple[tuple[bytes, Promise], ...] = (
    (b"\x89PNG\r\n\x1a\n", gettext_lazy("a PNG image")),
    (b"%PDF-", gettext_lazy("a PDF document")),
    (b"\xff\xd8\xff", gettext_lazy("a JPEG image")),
    (b"GIF87a", gettext_lazy("a GIF image")),
    (b"GIF89a", gettext_lazy("a GIF image")),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        gettext_lazy("an Excel 97-2003 (.xls) or other OLE file"),
    ),
    (b"\x1f\x8b", gettext_lazy("a gzip archive")),
    (b"7z\xbc\xaf\x27\x1c", gettext_lazy("a 7-Zip archive")),
    (b"Rar!\x1a\x07", gettext_lazy("a RAR archive")),
    (b"PK\x05\x06", gettext_lazy("an empty ZIP archive")),
)
# UTF-16/32 text carries NUL bytes: name it as a wrong encoding rather than as binary junk.
WIDE_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
# C0 controls other than tab, LF and CR never occur in a spreadsheet export.
CONTROL_CHARACTERS = frozenset(chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
FORMULA_PREFIXES = ("=", "+", "-", "@")


@dataclass(frozen=True)
class Column:
    key: str
    label_zh: str
    required: bool
    description: Promise


COLUMNS: tuple[Column, ...] = (
    Column(
        "credit_code",
        "统一社会信用代码",
        True,
        gettext_lazy("Unified social credit code, 18 characters. Identifies the enterprise."),
    ),
    Column("name_zh", "企业名称", True, gettext_lazy("Registered Chinese name.")),
    Column("name_en", "英文名称", False, gettext_lazy("English name (may be empty).")),
    Column(
        "authority_code",
        "监管机构代码",
        True,
        gettext_lazy(
            "Supervising authority: SASAC, a two-digit province code (11 to 65), 2102 Dalian, "
            "3702 Qingdao, 3302 Ningbo, 3502 Xiamen, 4403 Shenzhen, XPCC, or the six-digit "
            "code of a registered city commission (for example 440100 Guangzhou)."
        ),
    ),
    Column(
        "category",
        "功能类别",
        True,
        gettext_lazy(
            "Functional category: commercial_1, commercial_2 or public_welfare "
            "(or 商业一类, 商业二类, 公益类)."
        ),
    ),
    Column(
        "industry", "行业门类", True, gettext_lazy("Industry: GB/T 4754 section letter, A to T.")
    ),
    Column(
        "parent_credit_code",
        "上级企业统一社会信用代码",
        False,
        gettext_lazy(
            "Credit code of the group this enterprise belongs to; empty for a group. The group "
            "must be in the same file (on any line) or already registered, under the same "
            "authority."
        ),
    ),
    Column(
        "listed",
        "是否上市",
        False,
        gettext_lazy("Listed company: yes or no (是 or 否; true/false and 1/0 also work)."),
    ),
)
COLUMN_KEYS = tuple(c.key for c in COLUMNS)
REQUIRED_KEYS = tuple(c.key for c in COLUMNS if c.required)
HEADER_ALIASES: dict[str, str] = {
    **{c.key: c.key for c in COLUMNS},
    **{c.label_zh: c.key for c in COLUMNS},
}
CATEGORY_ALIASES: dict[str, str] = {
    "commercial_1": FunctionalCategory.COMMERCIAL_1,
    "commercial_2": FunctionalCategory.COMMERCIAL_2,
    "public_welfare": FunctionalCategory.PUBLIC_WELFARE,
    "商业一类": FunctionalCategory.COMMERCIAL_1,
    "商业二类": FunctionalCategory.COMMERCIAL_2,
    "公益类": FunctionalCategory.PUBLIC_WELFARE,
}
CATEGORY_ZH = {"commercial_1": "商业一类", "commercial_2": "商业二类", "public_welfare": "公益类"}
LISTED_VALUES: dict[str, bool] = {
    "": False,
    "yes": True,
    "no": False,
    "是": True,
    "否": False,
    "true": True,
    "false": False,
    "1": True,
    "0": False,
}
INDUSTRIES = frozenset(Industry.values)
NAME_ZH_MAX = Enterprise._meta.get_field("name_zh").max_length or 200
NAME_EN_MAX = Enterprise._meta.get_field("name_en").max_length or 300


# --- Results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issue:
    """One problem: where (spreadsheet line, column as the file names it) and why."""

    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.line is not None and self.column:
            return _("line %(line)d, column %(column)s: %(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        if self.line is not None:
            return _("line %(line)d: %(message)s") % {"line": self.line, "message": self.message}
        return self.message


@dataclass(frozen=True)
class SourceRow:
    """A data row as read: canonical column key → trimmed text, for the columns present."""

    line: int
    cells: dict[str, str]


@dataclass
class ParsedFile:
    name: str
    sha256: str
    size: int
    format: str = ""  # "csv" or "xlsx"; empty when the file could not be read
    encoding: str = ""
    headers: dict[str, str] = field(default_factory=dict)  # key → header text in the file
    rows: list[SourceRow] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return bool(self.format) and not self.errors

    def label(self, key: str) -> str:
        """How the file itself names a column, so that messages match what the user sees."""
        return self.headers.get(key, key)


@dataclass(frozen=True)
class EnterpriseValues:
    """An enterprise as it will be after the import."""

    credit_code: str
    name_zh: str
    name_en: str
    authority_code: str
    category: str
    industry: str
    parent_credit_code: str  # "" for a group
    listed: bool


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class PlannedCreate:
    line: int
    values: EnterpriseValues


@dataclass(frozen=True)
class PlannedUpdate:
    line: int
    pk: int
    values: EnterpriseValues
    changes: tuple[FieldChange, ...]
    parent_changed: bool


@dataclass(frozen=True)
class ImportCounts:
    rows: int
    create: int
    update: int
    unchanged: int
    errors: int
    warnings: int


@dataclass
class ImportResult:
    file_name: str
    sha256: str
    creates: list[PlannedCreate] = field(default_factory=list)
    updates: list[PlannedUpdate] = field(default_factory=list)
    unchanged: list[PlannedUpdate] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    rows: int = 0
    # What the write needs and the check already loaded: authority code → id, code → pk.
    authority_ids: dict[str, int] = field(default_factory=dict)
    existing_pks: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def counts(self) -> ImportCounts:
        return ImportCounts(
            rows=self.rows,
            create=len(self.creates),
            update=len(self.updates),
            unchanged=len(self.unchanged),
            errors=len(self.errors),
            warnings=len(self.warnings),
        )


# --- Reading ------------------------------------------------------------------------------


def read_import_file(
    source: IO[bytes] | bytes,
    *,
    name: str,
    size: int | None = None,
    columns: tuple[Column, ...] = COLUMNS,
) -> ParsedFile:
    """Read an uploaded file. Never raises for bad content: the reasons are in ``.errors``.

    ``size`` (an upload's ``.size``, a file's ``st_size``) lets an oversize file be refused
    before it is read into memory. ``columns``: the enterprise registry's, unless another
    file (the authorities', apps.registry.authorities) is read the same way.
    """
    if size is not None and size > MAX_BYTES:
        return _refused(name, "", size, oversize_message(size))
    # Reading one byte over the limit is enough to know a file is too big.
    data = source if isinstance(source, bytes) else source.read(MAX_BYTES + 1)
    sha256 = hashlib.sha256(data).hexdigest()
    if len(data) > MAX_BYTES:
        return _refused(name, sha256, len(data), oversize_message(len(data)))
    if not data.strip():
        return _refused(name, sha256, len(data), _("The file is empty."))
    if data.startswith(XLSX_MAGIC):
        return _read_xlsx(data, name=name, sha256=sha256, columns=columns)
    for signature, kind in BINARY_SIGNATURES:
        if data.startswith(signature):
            return _refused(
                name,
                sha256,
                len(data),
                _("This is %(kind)s, not a CSV or Excel (.xlsx) file.") % {"kind": kind},
            )
    return _read_csv(data, name=name, sha256=sha256, columns=columns)


def _refused(name: str, sha256: str, size: int, message: str) -> ParsedFile:
    return ParsedFile(name=name, sha256=sha256, size=size, errors=[Issue(None, None, message)])


def oversize_message(size: int) -> str:
    return _(
        "The file is %(size).1f MB, over the limit of %(limit)d MB. Split it into smaller files."
    ) % {
        "size": size / 1024 / 1024,
        "limit": MAX_BYTES // 1024 // 1024,
    }


def _binary_message() -> str:
    return _("The file contains binary data: it is not a CSV text file or an Excel workbook.")


def _encoding_message(guess: str | None) -> str:
    if guess:
        return _(
            "Cannot read the file's encoding (it looks like %(encoding)s); save it as UTF-8 or GBK."
        ) % {"encoding": guess}
    return _("Cannot read the file's encoding; save it as UTF-8 or GBK.")


def _decode(data: bytes) -> tuple[str, str] | str:
    """(text, encoding), or the message saying why the bytes are not text we accept."""
    for bom, encoding in WIDE_BOMS:
        if data.startswith(bom):
            return _encoding_message(encoding)
    if b"\x00" in data:
        return _binary_message()
    # Strict decoding in a fixed order: UTF-8 (with or without BOM) first, because valid UTF-8
    # is almost never accidental; then GB18030, a superset of GBK and GB2312 (Excel's "CSV"
    # on a Chinese Windows).
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    # Only to say what the file seems to be: guessing and then importing would turn a
    # mis-guess into silently garbled names.
    from charset_normalizer import from_bytes

    best = from_bytes(data[:ENCODING_SAMPLE]).best()
    if best is None:
        return _binary_message()
    return _encoding_message(best.encoding)


def _sniff_delimiter(text: str) -> str:
    """Comma, tab or semicolon, whichever the header line uses most (comma on a tie)."""
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _read_csv(
    data: bytes, *, name: str, sha256: str, columns: tuple[Column, ...] = COLUMNS
) -> ParsedFile:
    decoded = _decode(data)
    if isinstance(decoded, str):
        return _refused(name, sha256, len(data), decoded)
    text, encoding = decoded
    if any(ch in CONTROL_CHARACTERS for ch in text):
        return _refused(name, sha256, len(data), _binary_message())
    parsed = ParsedFile(name=name, sha256=sha256, size=len(data), format="csv", encoding=encoding)
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    # Line numbers are records, as a spreadsheet numbers its rows (a quoted cell with a line
    # break inside is still one row).
    try:
        _read_table(parsed, (row for row in reader), columns)
    except csv.Error as exc:
        parsed.rows = []
        parsed.errors.append(
            Issue(
                reader.line_num or None,
                None,
                _("The CSV file cannot be read: %(reason)s") % {"reason": exc},
            )
        )
    return parsed


def _xlsx_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        # Excel stores "11" typed into a cell as the number 11.0.
        return str(int(value))
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _read_xlsx(
    data: bytes, *, name: str, sha256: str, columns: tuple[Column, ...] = COLUMNS
) -> ParsedFile:
    not_xlsx = _("This is a ZIP archive but not an Excel workbook (.xlsx).")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return _refused(name, sha256, len(data), not_xlsx)
    if "xl/workbook.xml" not in {info.filename for info in infos}:
        return _refused(name, sha256, len(data), not_xlsx)
    if sum(info.file_size for info in infos) > MAX_XLSX_UNPACKED:
        return _refused(
            name, sha256, len(data), _("The Excel workbook unpacks to too much data to be read.")
        )

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises anything from KeyError to XML errors on a bad file
        return _refused(
            name,
            sha256,
            len(data),
            _("The Excel workbook cannot be opened; it may be damaged or password-protected."),
        )
    parsed = ParsedFile(name=name, sha256=sha256, size=len(data), format="xlsx")
    try:
        if not workbook.worksheets:
            parsed.errors.append(Issue(None, None, _("The Excel workbook has no worksheet.")))
            return parsed
        sheet = workbook.worksheets[0]
        # Some writers declare a wrong sheet size ("A1"); read what is really there.
        sheet.reset_dimensions()
        rows = ([_xlsx_text(v) for v in row] for row in sheet.iter_rows(values_only=True))
        _read_table(parsed, rows, columns)
    except Exception:  # a damaged sheet fails while streaming, not when opening
        parsed.rows = []
        parsed.errors.append(
            Issue(None, None, _("The Excel workbook cannot be read; it may be damaged."))
        )
    finally:
        workbook.close()
    return parsed


def _clean_cell(value: str) -> str:
    value = value.strip()
    # Our exports put an apostrophe before a formula-like value (see exporting.py); take it
    # off again so that an exported file imports unchanged.
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_PREFIXES:
        value = value[1:]
    return value


def _read_table(
    parsed: ParsedFile, records: Iterable[list[str]], columns: tuple[Column, ...] = COLUMNS
) -> None:
    """Header on line 1, data from line 2; fills ``parsed`` (rows, headers, issues)."""
    aliases = (
        HEADER_ALIASES
        if columns is COLUMNS
        else {**{c.key: c.key for c in columns}, **{c.label_zh: c.key for c in columns}}
    )
    required = [c.key for c in columns if c.required]
    iterator: Iterator[list[str]] = iter(records)
    header = next(iterator, None)
    if header is None or not any(cell.strip() for cell in header):
        parsed.errors.append(
            Issue(1, None, _("The first line must be the header row with the column names."))
        )
        return
    positions: dict[str, int] = {}
    for index, raw in enumerate(header):
        text = raw.strip().lstrip("\ufeff").strip()
        if not text:
            continue
        key = aliases.get(text) or aliases.get(text.lower())
        if key is None:
            parsed.warnings.append(
                Issue(
                    1,
                    text,
                    _("Column “%(column)s” is not recognised and is ignored.") % {"column": text},
                )
            )
            continue
        if key in positions:
            parsed.errors.append(
                Issue(
                    1,
                    text,
                    _("This column appears twice in the header (columns %(first)d and %(second)d).")
                    % {"first": positions[key] + 1, "second": index + 1},
                )
            )
            continue
        positions[key] = index
        parsed.headers[key] = text
    missing = [key for key in required if key not in positions]
    if missing:
        by_key = {c.key: c for c in columns}
        parsed.errors.append(
            Issue(
                1,
                None,
                _(
                    "Required column(s) missing: %(columns)s. The first line must name the "
                    "columns (see the template)."
                )
                % {"columns": ", ".join(f"{k} ({by_key[k].label_zh})" for k in missing)},
            )
        )
    if parsed.errors:
        return
    count = 0
    for line, record in enumerate(iterator, start=2):
        if not any(cell.strip() for cell in record):
            continue  # blank lines between or after the data are common in spreadsheets
        count += 1
        if count > MAX_ROWS:
            parsed.rows = []
            parsed.errors.append(
                Issue(
                    line,
                    None,
                    _(
                        "The file has more than %(limit)d data rows; split it into files of "
                        "at most %(limit)d rows."
                    )
                    % {"limit": MAX_ROWS},
                )
            )
            return
        cells = {
            key: _clean_cell(record[index]) if index < len(record) else ""
            for key, index in positions.items()
        }
        parsed.rows.append(SourceRow(line=line, cells=cells))
    if count == 0:
        parsed.errors.append(Issue(None, None, _("The file has no data rows.")))


# --- Checking -----------------------------------------------------------------------------


@dataclass
class _DbEnterprise:
    pk: int
    credit_code: str
    name_zh: str
    name_en: str
    authority_id: int
    category: str
    industry: str
    parent_id: int | None
    listed: bool


DB_FIELDS = (
    "pk",
    "credit_code",
    "name_zh",
    "name_en",
    "authority_id",
    "category",
    "industry",
    "parent_id",
    "listed",
)


def _chunks(items: list[Any], size: int = LOOKUP_CHUNK) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _fetch(lookup: str, values: Iterable[Any], *, lock: bool) -> list[_DbEnterprise]:
    """Enterprises whose ``lookup`` is in ``values``: one query per LOOKUP_CHUNK values."""
    found: list[_DbEnterprise] = []
    for chunk in _chunks(sorted(set(values))):
        qs = Enterprise.objects.filter(**{f"{lookup}__in": chunk}).order_by()
        if lock:
            # Rows the import reads stay as read until it commits.
            qs = qs.select_for_update()
        found.extend(_DbEnterprise(*row) for row in qs.values_list(*DB_FIELDS))
    return found


def _code(value: str) -> str:
    """Codes typed in full-width characters (as Chinese input methods do) or in lower case are
    still codes."""
    return unicodedata.normalize("NFKC", value).strip().upper()


def _credit_code_problem(code: str) -> str | None:
    try:
        validate_credit_code(code)
    except ValidationError as exc:
        return _("“%(code)s” is not a valid credit code: %(reason)s") % {
            "code": code,
            "reason": " ".join(exc.messages),
        }
    return None


@dataclass
class _FileRow:
    line: int
    credit_code: str
    name_zh: str
    name_en: str | None  # None: column absent, keep what is registered
    authority_code: str
    category: str
    industry: str
    parent_credit_code: str | None  # None: column absent; "": a group
    listed: bool | None


def _check_cells(
    row: SourceRow, parsed: ParsedFile, authority_ids: dict[str, int], errors: list[Issue]
) -> tuple[str | None, _FileRow | None]:
    """The row's credit code if it is valid, and the whole row if every cell is valid."""
    cells = row.cells
    ok = True

    def fail(key: str, message: str) -> None:
        nonlocal ok
        ok = False
        errors.append(Issue(row.line, parsed.label(key), message))

    required = _("The value is missing; this column is required.")
    for key in REQUIRED_KEYS:
        if not cells.get(key):
            fail(key, required)

    credit_code: str | None = None
    raw_code = cells.get("credit_code", "")
    if raw_code:
        code = _code(raw_code)
        problem = _credit_code_problem(code)
        if problem and parsed.format == "xlsx" and code.isdigit():
            # Excel keeps 15 significant digits of a number: an all-digit code typed into a
            # number cell comes back with its last digits changed.
            problem += " " + _(
                "If Excel shows this code as a number, format the column as text and type "
                "the code again."
            )
        if problem:
            fail("credit_code", problem)
        else:
            credit_code = code

    name_zh = cells.get("name_zh", "")
    if len(name_zh) > NAME_ZH_MAX:
        fail(
            "name_zh",
            _("The name has %(n)d characters; at most %(max)d are allowed.")
            % {"n": len(name_zh), "max": NAME_ZH_MAX},
        )
    name_en = cells.get("name_en") if "name_en" in parsed.headers else None
    if name_en is not None and len(name_en) > NAME_EN_MAX:
        fail(
            "name_en",
            _("The name has %(n)d characters; at most %(max)d are allowed.")
            % {"n": len(name_en), "max": NAME_EN_MAX},
        )

    authority_code = _code(cells.get("authority_code", ""))
    if authority_code and authority_code not in authority_ids:
        fail(
            "authority_code",
            _(
                "Unknown authority code “%(value)s”. Use SASAC, a two-digit province code "
                "(11 to 65), 2102, 3702, 3302, 3502, 4403, XPCC or a registered city "
                "commission's six-digit code."
            )
            % {"value": cells.get("authority_code", "")},
        )

    raw_category = cells.get("category", "")
    category = CATEGORY_ALIASES.get(raw_category) or CATEGORY_ALIASES.get(raw_category.lower(), "")
    if raw_category and not category:
        fail(
            "category",
            _(
                "Unknown functional category “%(value)s”. Use commercial_1, commercial_2 or "
                "public_welfare (商业一类, 商业二类, 公益类)."
            )
            % {"value": raw_category},
        )

    industry = _code(cells.get("industry", ""))
    if industry and industry not in INDUSTRIES:
        fail(
            "industry",
            _("Unknown industry section “%(value)s”. Use one GB/T 4754 section letter, A to T.")
            % {"value": cells.get("industry", "")},
        )

    parent_code: str | None = None
    if "parent_credit_code" in parsed.headers:
        parent_code = _code(cells.get("parent_credit_code", ""))
        if parent_code:
            problem = _credit_code_problem(parent_code)
            if problem:
                fail("parent_credit_code", problem)
            elif parent_code == credit_code:
                fail("parent_credit_code", _("An enterprise cannot be its own group."))

    listed: bool | None = None
    if "listed" in parsed.headers:
        raw_listed = cells.get("listed", "")
        listed = LISTED_VALUES.get(raw_listed.lower())
        if listed is None:
            fail(
                "listed",
                _(
                    "“%(value)s” is not a yes/no value. Use yes or no (是 or 否); "
                    "an empty cell means no."
                )
                % {"value": raw_listed},
            )

    if not ok or credit_code is None:
        return credit_code, None
    return credit_code, _FileRow(
        line=row.line,
        credit_code=credit_code,
        name_zh=name_zh,
        name_en=name_en,
        authority_code=authority_code,
        category=category,
        industry=industry,
        parent_credit_code=parent_code,
        listed=listed,
    )


def validate_import(parsed: ParsedFile, *, lock: bool = False) -> ImportResult:
    """Check every row and plan the writes. Reads only, in a bounded number of queries:
    one for the authorities, one per 1,000 credit codes, one per level of group ancestry
    and, when an update moves a group to another authority, one per 1,000 such groups.

    ``lock`` takes row locks on the registered enterprises it reads (the service's
    transaction), so that nothing changes between this check and the write.
    """
    result = ImportResult(
        file_name=parsed.name,
        sha256=parsed.sha256,
        errors=list(parsed.errors),
        warnings=list(parsed.warnings),
        rows=len(parsed.rows),
    )
    if not parsed.readable:
        return result

    authority_ids = dict(Authority.objects.values_list("code", "id"))
    authority_codes = {pk: code for code, pk in authority_ids.items()}
    result.authority_ids = authority_ids
    errors = result.errors

    # 1. Each row on its own.
    first_line: dict[str, int] = {}  # credit code → first line it is on
    file_rows: dict[str, _FileRow] = {}  # valid rows, by credit code
    for source in parsed.rows:
        code, row = _check_cells(source, parsed, authority_ids, errors)
        if code is None:
            continue
        if code in first_line:
            errors.append(
                Issue(
                    source.line,
                    parsed.label("credit_code"),
                    _(
                        "Credit code %(code)s is also on line %(first)d; "
                        "an enterprise may appear only once in a file."
                    )
                    % {"code": code, "first": first_line[code]},
                )
            )
            continue
        first_line[code] = source.line
        if row is not None:
            file_rows[code] = row

    # 2. What the registry already holds: the file's enterprises, the groups they name, and
    # every ancestor of those (a cycle may run through registered enterprises).
    parent_codes = {r.parent_credit_code for r in file_rows.values() if r.parent_credit_code}
    db_by_code: dict[str, _DbEnterprise] = {}
    db_by_pk: dict[int, _DbEnterprise] = {}
    for found in _fetch("credit_code", set(first_line) | parent_codes, lock=lock):
        db_by_code[found.credit_code] = found
        db_by_pk[found.pk] = found
    missing_ids = {e.parent_id for e in db_by_pk.values() if e.parent_id} - set(db_by_pk)
    while missing_ids:
        for found in _fetch("pk", missing_ids, lock=False):
            db_by_code[found.credit_code] = found
            db_by_pk[found.pk] = found
        missing_ids = {e.parent_id for e in db_by_pk.values() if e.parent_id} - set(db_by_pk)
    result.existing_pks = {code: e.pk for code, e in db_by_code.items()}

    def db_parent_code(e: _DbEnterprise) -> str:
        return db_by_pk[e.parent_id].credit_code if e.parent_id else ""

    # 3. The enterprises as they will be after the import.
    final: dict[str, EnterpriseValues] = {}
    for code, row in file_rows.items():
        db = db_by_code.get(code)
        final[code] = EnterpriseValues(
            credit_code=code,
            name_zh=row.name_zh,
            name_en=row.name_en if row.name_en is not None else (db.name_en if db else ""),
            authority_code=row.authority_code,
            category=row.category,
            industry=row.industry,
            parent_credit_code=(
                row.parent_credit_code
                if row.parent_credit_code is not None
                else (db_parent_code(db) if db else "")
            ),
            listed=row.listed if row.listed is not None else (db.listed if db else False),
        )

    def final_authority(code: str) -> str | None:
        if code in final:
            return final[code].authority_code
        if code in db_by_code and code not in first_line:
            return authority_codes[db_by_code[code].authority_id]
        return None  # on a line with errors: already reported

    def final_parent(code: str) -> str:
        if code in final:
            return final[code].parent_credit_code
        if code in db_by_code and code not in first_line:
            return db_parent_code(db_by_code[code])
        return ""

    parent_label = parsed.label("parent_credit_code")
    bad_lines: set[int] = set()

    # 4. Each subsidiary's group exists and is under the same authority.
    for code, values in final.items():
        parent = values.parent_credit_code
        line = file_rows[code].line
        if not parent:
            continue
        if parent not in first_line and parent not in db_by_code:
            bad_lines.add(line)
            errors.append(
                Issue(
                    line,
                    parent_label,
                    _("Group %(code)s is neither in this file nor registered in the system.")
                    % {"code": parent},
                )
            )
            continue
        parent_authority = final_authority(parent)
        if parent_authority is not None and parent_authority != values.authority_code:
            where = (
                _("line %(line)d") % {"line": first_line[parent]}
                if parent in first_line
                else _("registered in the system")
            )
            bad_lines.add(line)
            errors.append(
                Issue(
                    line,
                    parent_label,
                    _(
                        "A subsidiary belongs to the same authority as its group: this "
                        "enterprise would be under %(authority)s, its group %(parent)s "
                        "(%(where)s) under %(parent_authority)s."
                    )
                    % {
                        "authority": values.authority_code,
                        "parent": parent,
                        "where": where,
                        "parent_authority": parent_authority,
                    },
                )
            )

    # 5. No enterprise is its own group, directly or through others. The graph is the
    # registry with the file applied; every cycle in it runs through a row of the file.
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in final:
        path: list[str] = []
        node = start
        while node and state.get(node) is None:
            state[node] = 1
            path.append(node)
            node = final_parent(node)
        if node and state.get(node) == 1:
            cycle = path[path.index(node) :]
            chain = " → ".join([*cycle, node])
            for member in cycle:
                if member in file_rows:
                    bad_lines.add(file_rows[member].line)
                    errors.append(
                        Issue(
                            file_rows[member].line,
                            parent_label,
                            _(
                                "The groups form a cycle: %(chain)s. An enterprise cannot be "
                                "its own group, directly or indirectly."
                            )
                            % {"chain": chain},
                        )
                    )
        for visited in path:
            state[visited] = 2

    # 6. A group moved to another authority must not leave registered subsidiaries behind.
    moved = {
        db_by_code[code].pk: code
        for code, values in final.items()
        if code in db_by_code
        and authority_codes[db_by_code[code].authority_id] != values.authority_code
    }
    if moved:
        left_behind: dict[str, list[str]] = {}
        for child in _fetch("parent_id", moved, lock=False):
            if child.credit_code in first_line:
                continue  # the file says where it goes; its own row was checked above
            group = moved[child.parent_id or 0]
            if authority_codes[child.authority_id] != final[group].authority_code:
                left_behind.setdefault(group, []).append(child.credit_code)
        for group, children in left_behind.items():
            line = file_rows[group].line
            bad_lines.add(line)
            shown = ", ".join(sorted(children)[:10]) + (" …" if len(children) > 10 else "")
            errors.append(
                Issue(
                    line,
                    parsed.label("authority_code"),
                    ngettext(
                        "A subsidiary belongs to the same authority as its group: %(n)d "
                        "registered subsidiary (%(codes)s) would stay under another "
                        "authority. Add it to this file with authority %(authority)s.",
                        "A subsidiary belongs to the same authority as its group: %(n)d "
                        "registered subsidiaries (%(codes)s) would stay under another "
                        "authority. Add them to this file with authority %(authority)s.",
                        len(children),
                    )
                    % {
                        "n": len(children),
                        "codes": shown,
                        "authority": final[group].authority_code,
                    },
                )
            )

    # 7. The plan. Rows with errors are left out; the file is refused anyway, but the
    # preview still shows what the good rows would do.
    for code, values in final.items():
        row = file_rows[code]
        if row.line in bad_lines:
            continue
        db = db_by_code.get(code)
        if db is None:
            result.creates.append(PlannedCreate(line=row.line, values=values))
            continue
        before = EnterpriseValues(
            credit_code=code,
            name_zh=db.name_zh,
            name_en=db.name_en,
            authority_code=authority_codes[db.authority_id],
            category=db.category,
            industry=db.industry,
            parent_credit_code=db_parent_code(db),
            listed=db.listed,
        )
        changes = tuple(_changes(before, values))
        update = PlannedUpdate(
            line=row.line,
            pk=db.pk,
            values=values,
            changes=changes,
            parent_changed=before.parent_credit_code != values.parent_credit_code,
        )
        (result.updates if changes else result.unchanged).append(update)
    errors.sort(key=lambda issue: issue.line or 0)
    return result


COMPARED_FIELDS = (
    "name_zh",
    "name_en",
    "authority_code",
    "category",
    "industry",
    "parent_credit_code",
    "listed",
)


def _display(field_name: str, value: Any) -> str:
    if field_name == "listed":
        return _("yes") if value else _("no")
    return str(value)


def _changes(before: EnterpriseValues, after: EnterpriseValues) -> Iterator[FieldChange]:
    for name in COMPARED_FIELDS:
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            yield FieldChange(name, _display(name, old), _display(name, new))


def check_import_file(
    source: IO[bytes] | bytes, *, name: str, size: int | None = None
) -> tuple[ParsedFile, ImportResult]:
    """Read and check in one go (the preview and the command's dry run)."""
    parsed = read_import_file(source, name=name, size=size)
    return parsed, validate_import(parsed)
