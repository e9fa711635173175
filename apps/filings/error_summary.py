"""The error summary above a section form whose save was refused (GOV.UK's "error summary"
pattern): one line per message, each a link to the input it is about, a table cell's
included (``#field-indicators-2-baseline``), so that the person goes straight to it.

A cell's message names its row and its column ("Net profit, Baseline: ..."), since beside
the summary nothing else says which of forty cells is meant. Rows are named as the section's
table names them (``TableSpec.row_label``), from what the row holds or was typed into it.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.forms import BoundField
from django.utils.translation import gettext as _

from apps.filings.kinds import Section

# Bookkeeping fields of a table row: never a link target, never part of its name.
_ROW_BOOKKEEPING = {"id", "DELETE"}


@dataclass(frozen=True)
class ErrorLink:
    # The id of the input to go to ("" when there is no input to point at).
    target: str
    text: str


def _first_input(form: Any) -> str:
    for bound in form:
        if not bound.is_hidden and bound.name not in _ROW_BOOKKEEPING:
            return str(bound.id_for_label or "")
    return ""


def _row_name(section: Section, row: Any, index: int) -> str:
    values: dict[str, Any] = dict(getattr(row, "stored", None) or {})
    for bound in row:
        if bound.name in _ROW_BOOKKEEPING:
            continue
        value = bound.value()
        if value not in (None, ""):
            values[bound.name] = value
    name = section.table.row_label(values).strip() if section.table else ""
    if name:
        return name
    what = section.table.label if section.table else _("Row")
    return _("%(what)s %(number)d") % {"what": what, "number": index + 1}


def _field_links(form: Any, row: str = "") -> list[ErrorLink]:
    """The messages of ``form`` (a section form, or the row of a table named ``row``)."""
    links: list[ErrorLink] = []
    for name, messages in form.errors.items():
        if name == NON_FIELD_ERRORS or name not in form.fields:
            target = _first_input(form)
            texts = [
                _("%(row)s: %(message)s") % {"row": row, "message": m} if row else str(m)
                for m in messages
            ]
        else:
            bound: BoundField = form[name]
            target = "" if bound.is_hidden else str(bound.id_for_label or "")
            texts = [
                _("%(row)s, %(field)s: %(message)s")
                % {"row": row, "field": bound.label, "message": m}
                if row
                else _("%(field)s: %(message)s") % {"field": bound.label, "message": m}
                for m in messages
            ]
        links.extend(ErrorLink(target=target, text=text) for text in texts)
    return links


def error_summary(form: Any, section: Section) -> list[ErrorLink]:
    """Every message of a bound section form (its fields, then its table's rows), in the
    order they appear on the page."""
    links = _field_links(form, "")
    formset = getattr(form, "formset", None)
    if formset is None:
        return links
    rows = list(formset.forms)
    first_cell = _first_input(rows[0]) if rows else ""
    links.extend(ErrorLink(target=first_cell, text=str(m)) for m in formset.non_form_errors())
    for index, row in enumerate(rows):
        if row.errors:
            links.extend(_field_links(row, _row_name(section, row, index)))
    return links
