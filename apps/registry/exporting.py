"""Enterprise export (CSV, XLSX) and the import template, in the import file's columns, so
that an exported file can be edited and imported again."""

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from apps.core.exports import Sheet, csv_lines, neutralise
from apps.core.exports import xlsx_bytes as write_xlsx
from apps.enterprises.models import Enterprise
from apps.registry.importing import CATEGORY_ZH, COLUMNS

EXPORT_CHUNK = 2000
EXAMPLE_ROW = {
    "credit_code": "91350100M000100Y43",
    "name_zh": "福建示范投资集团有限公司",
    "name_en": "Fujian Demo Investment Group Co., Ltd.",
    "authority_code": "35",
    "category": "commercial_1",
    "industry": "L",
    "parent_credit_code": "",
    "listed": False,
}


def header(lang: str) -> list[str]:
    return [c.label_zh if lang == "zh" else c.key for c in COLUMNS]


def _row(values: dict[str, Any], lang: str) -> list[str]:
    """One enterprise in the import columns; Chinese spellings for a Chinese file."""
    category = str(values["category"])
    listed = bool(values["listed"])
    if lang == "zh":
        category_text = CATEGORY_ZH.get(category, category)
        listed_text = "是" if listed else "否"
    else:
        category_text = category
        listed_text = "yes" if listed else "no"
    out = {
        **values,
        "category": category_text,
        "listed": listed_text,
        "parent_credit_code": values["parent_credit_code"] or "",
    }
    return [neutralise(str(out[c.key] or "")) for c in COLUMNS]


def export_rows(queryset: "QuerySet[Enterprise]", lang: str) -> Iterator[list[str]]:
    """The rows, read in chunks: one query (with its joins) however many enterprises."""
    fields = (
        "credit_code",
        "name_zh",
        "name_en",
        "authority__code",
        "category",
        "industry",
        "parent__credit_code",
        "listed",
    )
    rows = queryset.values_list(*fields).iterator(chunk_size=EXPORT_CHUNK)
    for credit_code, name_zh, name_en, authority, category, industry, parent, listed in rows:
        yield _row(
            {
                "credit_code": credit_code,
                "name_zh": name_zh,
                "name_en": name_en,
                "authority_code": authority,
                "category": category,
                "industry": industry,
                "parent_credit_code": parent,
                "listed": listed,
            },
            lang,
        )


def csv_stream(rows: Iterable[list[str]], lang: str) -> Iterator[bytes]:
    return (line.encode() for line in csv_lines(header(lang), rows))


def xlsx_bytes(rows: Iterable[list[str]], lang: str, *, notes: bool = False) -> bytes:
    sheets = [Sheet(_("Enterprises"), header(lang), rows, as_text=True)]
    if notes:
        guide = [
            [c.key, c.label_zh, _("yes") if c.required else _("no"), str(c.description)]
            for c in COLUMNS
        ]
        sheets.append(
            Sheet(
                _("Columns"), [_("Column"), _("Chinese name"), _("Required"), _("Meaning")], guide
            )
        )
    return write_xlsx(sheets)


def template_rows(lang: str) -> list[list[str]]:
    return [_row(EXAMPLE_ROW, lang)]


def template_csv(lang: str) -> bytes:
    return b"".join(csv_stream(template_rows(lang), lang))


def template_xlsx(lang: str) -> bytes:
    return xlsx_bytes(template_rows(lang), lang, notes=True)
