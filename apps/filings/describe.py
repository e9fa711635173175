"""Content in plain words: what a change, a comment's target or a stored value is called, in
the reader's language, from the kind's declared fields (see ``kinds.FieldSpec``).

One rendering serves the comparison of two versions, the history's draft edits, the
reviewer's "changes since the last decision" and the comment targets, so that none of them
shows a storage key ("key_factors", "rows.baseline") to a person.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from apps.core.numbers import format_figure
from apps.filings.diff import Change
from apps.filings.kinds import ATTACHMENTS_KEY, FieldSpec, FilingKind, Section, ValueType

# Text longer than this is compared word by word even where no type says it is prose.
LONG_TEXT = 40
# Unchanged text kept around a change, in characters, on each side; longer runs are cut.
CONTEXT = 30
# One token of a word-level comparison: a CJK character (Chinese has no spaces between
# words), a run of Latin letters or digits, a run of spaces, or any other character.
TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W_]+|\s+|.", re.UNICODE | re.DOTALL)


@dataclass(frozen=True)
class WordPiece:
    op: str  # "equal", "delete", "insert"
    text: str


@dataclass
class Described:
    """One change, as a person reads it."""

    kind: str  # "changed", "added", "removed", "moved"
    row_label: str  # the row's name ("资产负债率"), or "" for a plain field
    table_label: str  # what a row is ("核心指标"), or ""
    what: str  # the field's label ("基期值", "2024 年目标"), or "" for a whole row
    before: str
    after: str
    words: list[WordPiece] | None = None  # long text: insertions and deletions in context


@dataclass
class SectionChanges:
    key: str
    title: str
    changes: list[Described] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"changes-{self.key.strip('_') or 'other'}"

    @property
    def count(self) -> int:
        return len(self.changes)


# --- Labels ---------------------------------------------------------------------------------


def section_title(kind: FilingKind | None, key: str) -> str:
    spec = kind.section(key) if kind else None
    if spec is not None:
        return str(spec.title)
    if key == ATTACHMENTS_KEY:
        return _("Attachments")
    return _("Other content")


def row_label(spec: Section | None, section: str, row: dict[str, Any] | None) -> str:
    """The row's name from its own values, or a plain "unnamed row"."""
    if row:
        if section == ATTACHMENTS_KEY:
            name = str(row.get("name") or "")
        elif spec is not None and spec.table is not None:
            name = spec.table.row_label(row)
        else:
            name = str(row.get("name_zh") or row.get("name") or row.get("title") or "")
        if name.strip():
            return name.strip()
    return _("an unnamed row")


def _field_spec(spec: Section | None, path: list[str]) -> tuple[FieldSpec | None, str]:
    """The spec of a change's key and, for one year of a per-year field, the year."""
    if spec is None or not path:
        return None, ""
    if spec.table is not None and path[0] == spec.table.key and len(path) > 1:
        found = spec.table.field(path[1])
        return found, path[2] if len(path) > 2 else ""
    found = spec.field(path[0])
    return found, path[1] if len(path) > 1 else ""


def field_label(found: FieldSpec | None, item: str) -> str:
    if found is None:
        return _("Other content")
    if item and found.item_label:
        return str(found.item_label) % {"year": item}
    return str(found.label)


# --- Values ---------------------------------------------------------------------------------


def show(found: FieldSpec | None, value: Any, row: dict[str, Any] | None = None) -> str:
    """A stored value for people: figures grouped with their unit, a choice by its label,
    a flag as yes or no, nothing as a dash."""
    if value is None or value == "":
        return "—"
    kind = found.type if found else None
    if kind in (ValueType.NUMBER, ValueType.BY_YEAR) and not isinstance(value, dict):
        assert found is not None
        unit = found.unit
        if not unit and found.unit_key:
            unit = str((row or {}).get(found.unit_key) or "")
        places = found.places(row) if found.places and row else None
        return format_figure(value, unit, places=places) or "—"
    if kind == ValueType.CHOICE and found is not None and found.choices is not None:
        return str(found.choices.get(str(value), value))
    if kind == ValueType.LINK:
        return _("linked")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict):
        return _("(%(n)d entries)") % {"n": len(value)}
    if isinstance(value, list):
        return _("%(n)d rows") % {"n": len(value)}
    return str(value)


def row_summary(spec: Section | None, row: dict[str, Any] | None) -> str:
    """A row added or removed, in words: its filled fields with their labels."""
    if not row or spec is None or spec.table is None:
        return ""
    parts = []
    for found in spec.table.fields:
        if found.internal or found.key in spec.table.identity:
            continue
        value = row.get(found.key)
        if value in (None, "", {}) or (isinstance(value, dict) and not any(value.values())):
            continue
        if found.type == ValueType.BY_YEAR and isinstance(value, dict):
            parts += [labelled(field_label(found, y), show(found, v, row))
                      for y, v in sorted(value.items()) if v not in (None, "")]  # fmt: skip
        else:
            parts.append(labelled(str(found.label), show(found, value, row)))
    # Translators: what separates the fields of a row listed on one line.
    return _("; ").join(parts)


def labelled(label: str, value: str) -> str:
    """ "Label: value", with the colon of the reader's language."""
    return _("%(label)s: %(value)s") % {"label": label, "value": value}


def word_diff(before: str, after: str) -> list[WordPiece]:
    """Word-level insertions and deletions (characters for Chinese)."""
    import difflib

    old, new = TOKEN.findall(before), TOKEN.findall(after)
    pieces: list[WordPiece] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    opcodes = matcher.get_opcodes()
    for index, (op, a1, a2, b1, b2) in enumerate(opcodes):
        if op == "equal":
            text = "".join(old[a1:a2])
            last = index == len(opcodes) - 1
            pieces.append(WordPiece("equal", _context(text, first=index == 0, last=last)))
            continue
        if op in ("delete", "replace"):
            pieces.append(WordPiece("delete", "".join(old[a1:a2])))
        if op in ("insert", "replace"):
            pieces.append(WordPiece("insert", "".join(new[b1:b2])))
    return pieces


def _context(text: str, *, first: bool, last: bool) -> str:
    """Unchanged text between changes, cut to its ends when long: only the end before the
    first change, only the start after the last, both ends between two changes."""
    if len(text) <= 2 * CONTEXT + 1:
        return text
    if first and last:
        return text
    if first:
        return "…" + text[-CONTEXT:]
    if last:
        return text[:CONTEXT] + "…"
    return text[:CONTEXT] + "…" + text[-CONTEXT:]


def _is_prose(found: FieldSpec | None, before: Any, after: Any) -> bool:
    if not (isinstance(before, str) and isinstance(after, str)) or not (before and after):
        return False
    if found is not None:
        return found.type == ValueType.LONG_TEXT
    return max(len(before), len(after)) > LONG_TEXT


# --- Changes --------------------------------------------------------------------------------


def describe_change(kind: FilingKind | None, change: Change) -> Described:
    spec = kind.section(change.section) if kind else None
    in_table = change.row_id is not None
    name = row_label(spec, change.section, change.row) if in_table else ""
    table_label = ""
    if in_table:
        if change.section == ATTACHMENTS_KEY:
            table_label = _("Attachment")
        elif spec is not None and spec.table is not None:
            table_label = str(spec.table.label)
    if change.kind in ("added", "removed"):
        summary = row_summary(spec, change.row)
        return Described(change.kind, name, table_label, "",
                         summary if change.kind == "removed" else "",
                         summary if change.kind == "added" else "")  # fmt: skip
    if change.kind == "moved":
        return Described("moved", name, table_label, _("Position in the table"),
                         _("no. %(n)s") % {"n": change.before},
                         _("no. %(n)s") % {"n": change.after})  # fmt: skip
    path = [p for p in change.field.split(".") if p]
    found, item = _field_spec(spec, path)
    words = word_diff(change.before, change.after) if _is_prose(found, change.before,
                                                                change.after) else None  # fmt: skip
    return Described(
        "changed",
        name,
        table_label,
        field_label(found, item) if path else "",
        show(found, change.before, change.row),
        show(found, change.after, change.row),
        words,
    )


def describe(kind: FilingKind | None, changes: list[Change]) -> list[SectionChanges]:
    """Changes grouped by section, in the order they came (the kind's order of sections)."""
    grouped: dict[str, SectionChanges] = {}
    for change in changes:
        if change.section not in grouped:
            grouped[change.section] = SectionChanges(
                change.section, section_title(kind, change.section)
            )
        grouped[change.section].changes.append(describe_change(kind, change))
    return list(grouped.values())


# --- Comment targets ------------------------------------------------------------------------


def anchor_value(section: str = "", field: str = "", row_id: str = "") -> str:
    """The form value of a comment target: ``section|field|row``."""
    return f"{section}|{field}|{row_id}" if section else ""


def anchor_label(
    kind: FilingKind | None,
    content: dict[str, Any] | None,
    *,
    section: str,
    field: str = "",
    row_id: str = "",
) -> str:
    """What a comment is about, in words: "核心指标 · 资产负债率", "价值诊断 · 关键因素"."""
    if not section:
        return _("The filing as a whole")
    spec = kind.section(section) if kind else None
    parts = [section_title(kind, section)]
    row = None
    if row_id:
        data = (content or {}).get(section)
        rows = data.get(spec.table.key if spec and spec.table else "rows") if isinstance(
            data, dict) else None  # fmt: skip
        if isinstance(rows, list):
            row = next((r for r in rows if isinstance(r, dict) and str(r.get("id")) == row_id),
                       None)  # fmt: skip
        parts.append(row_label(spec, section, row))
    # The table itself (an older comment's "rows") is the section: nothing to add.
    if field and not (spec and spec.table and field == spec.table.key and not row_id):
        found = (spec.table.field(field) if row_id and spec and spec.table
                 else spec.field(field) if spec else None)  # fmt: skip
        parts.append(field_label(found, ""))
    return " · ".join(parts)


def anchor_choices(
    kind: FilingKind, content: dict[str, Any]
) -> list[tuple[str, list[tuple[str, str]]]]:
    """What a comment on a version can be about, grouped by section: the section itself, each
    of its declared fields, and each row of its table (by the row's name)."""
    groups: list[tuple[str, list[tuple[str, str]]]] = [("", [("", _("The filing as a whole"))])]
    for spec in kind.sections:
        data = content.get(spec.key)
        title = str(spec.title)
        options = [(anchor_value(spec.key), _("%(section)s (the whole section)") % {
            "section": title})]  # fmt: skip
        if isinstance(data, dict):
            for found in spec.fields:
                if not found.internal and found.key in data:
                    options.append((anchor_value(spec.key, found.key), f"{title} · {found.label}"))
            if spec.table is not None:
                for row in data.get(spec.table.key) or []:
                    if isinstance(row, dict) and row.get("id"):
                        options.append((anchor_value(spec.key, "", str(row["id"])),
                                        f"{title} · {row_label(spec, spec.key, row)}"))  # fmt: skip
        groups.append((title, options))
    return groups
