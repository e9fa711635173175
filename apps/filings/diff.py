"""Field-by-field comparison of two versions' content, rows of tables included.

Content is {section: {field: value | {"rows": [...]}}}; rows are dicts with a stable "id", so
a row that moved, changed or disappeared is matched across versions by that id. Given the
kind, values compare as what they mean: figures by value ("1175000.00" is "1175000"), a
target per year year by year, and a reordered table as the few rows that moved rather than
every row changed.
"""

import difflib
from dataclasses import dataclass
from typing import Any

from apps.core.numbers import same_number
from apps.filings.kinds import (
    ATTACHMENTS_KEY,
    ROLLUP_KEY,
    FieldSpec,
    FilingKind,
    TableSpec,
    ValueType,
)

# How the attachments list compares: by file, named by its file name.
ATTACHMENT_IDENTITY = ("name",)


@dataclass(frozen=True)
class Change:
    section: str
    # The changed key: "key_factors"; in a table "rows.baseline", one year's target
    # "rows.targets.2024"; the table itself ("rows") for a row added, removed or moved.
    field: str
    row_id: str | None  # None for a plain field
    kind: str  # "changed", "added", "removed", "moved"
    before: Any  # a moved row: its position (1-based) before
    after: Any  # ... and after
    # For a change inside a table: the row (the newer one; the removed one), which names it.
    row: dict[str, Any] | None = None


def _is_rows(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(r, dict) and "id" in r for r in value)


def _same(spec: FieldSpec | None, before: Any, after: Any) -> bool:
    if spec is not None and spec.type == ValueType.NUMBER:
        return same_number(before, after)
    return bool(before == after)


def _diff_value(
    section: str,
    field: str,
    spec: FieldSpec | None,
    before: Any,
    after: Any,
    row_id: str | None = None,
    row: dict[str, Any] | None = None,
) -> list[Change]:
    """One key's change(s): a target per year becomes one change per year that changed."""
    if spec is not None and spec.type == ValueType.BY_YEAR:
        old = before if isinstance(before, dict) else {}
        new = after if isinstance(after, dict) else {}
        return [
            Change(section, f"{field}.{year}", row_id, "changed", old.get(year), new.get(year),
                   row=row)
            for year in sorted(set(old) | set(new))
            if not same_number(old.get(year), new.get(year))
        ]  # fmt: skip
    if _same(spec, before, after):
        return []
    return [Change(section, field, row_id, "changed", before, after, row=row)]


def _moves(
    section: str, table_key: str, old: list[dict[str, Any]], new: list[dict[str, Any]]
) -> list[Change]:
    """The rows whose place changed, as few as explain the new order: the rows kept in the
    longest common order stay put, the others moved."""
    old_ids = [str(r["id"]) for r in old]
    new_ids = [str(r["id"]) for r in new]
    common = set(old_ids) & set(new_ids)
    before = [i for i in old_ids if i in common]
    after = [i for i in new_ids if i in common]
    if before == after:
        return []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    staying = {
        after[block.b + k] for block in matcher.get_matching_blocks() for k in range(block.size)
    }
    new_by_id = {str(r["id"]): r for r in new}
    return [
        Change(section, table_key, row_id, "moved", old_ids.index(row_id) + 1,
               new_ids.index(row_id) + 1, row=new_by_id[row_id])
        for row_id in after
        if row_id not in staying
    ]  # fmt: skip


def _diff_rows(
    section: str,
    table_key: str,
    old: list[dict[str, Any]],
    new: list[dict[str, Any]],
    table: TableSpec | None,
) -> list[Change]:
    changes: list[Change] = []
    old_by_id = {str(r["id"]): r for r in old}
    new_by_id = {str(r["id"]): r for r in new}
    for row_id, row in new_by_id.items():
        previous = old_by_id.get(row_id)
        if previous is None:
            changes.append(Change(section, table_key, row_id, "added", None, row, row=row))
            continue
        for key in sorted(set(previous) | set(row)):
            if key == "id":
                continue
            spec = table.field(key) if table else None
            changes += _diff_value(section, f"{table_key}.{key}", spec, previous.get(key),
                                   row.get(key), row_id=row_id, row=row)  # fmt: skip
    for row_id, row in old_by_id.items():
        if row_id not in new_by_id:
            changes.append(Change(section, table_key, row_id, "removed", row, None, row=row))
    if table is None or table.ordered:
        changes += _moves(section, table_key, old, new)
    return changes


def content_diff(
    old: dict[str, Any], new: dict[str, Any], kind: FilingKind | None = None
) -> list[Change]:
    """What changed from ``old`` to ``new``, section by section in the kind's order (then
    any other key), fields in their declared order."""
    order = [s.key for s in kind.sections] if kind else []
    # The roll-up annex is generated, never typed: each version shows its own in full.
    keys = (set(old) | set(new)) - {ROLLUP_KEY}
    changes: list[Change] = []
    for section in [*[k for k in order if k in keys], *sorted(keys - set(order))]:
        spec = kind.section(section) if kind else None
        if section == ATTACHMENTS_KEY:
            files_before, files_after = old.get(section) or [], new.get(section) or []
            if _is_rows(files_before) and _is_rows(files_after):
                changes += _diff_rows(section, "", files_before, files_after, None)
                continue
        before_section = old.get(section) or {}
        after_section = new.get(section) or {}
        if not isinstance(before_section, dict) or not isinstance(after_section, dict):
            if before_section != after_section:
                changes.append(Change(section, "", None, "changed", before_section, after_section))
            continue
        declared = [f.key for f in spec.fields] if spec else []
        if spec and spec.table:
            declared.append(spec.table.key)
        names = set(before_section) | set(after_section)
        for name in [*[k for k in declared if k in names], *sorted(names - set(declared))]:
            before, after = before_section.get(name), after_section.get(name)
            if before == after:
                continue
            if _is_rows(before or []) and _is_rows(after or []):
                table = spec.table if spec and spec.table and spec.table.key == name else None
                changes += _diff_rows(section, name, before or [], after or [], table)
            else:
                changes += _diff_value(section, name, spec.field(name) if spec else None,
                                       before, after)  # fmt: skip
    return changes


def _identity(row: dict[str, Any] | None, keys: tuple[str, ...]) -> dict[str, Any] | None:
    if row is None:
        return None
    return {k: row.get(k) for k in ("id", *keys) if k in row}


def summarise(
    changes: list[Change], kind: FilingKind | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    """A compact, JSON-safe account of changes for the history: long texts clipped, rows
    kept by the values that name them (so that the history can name a row a later version
    removed), rendered in the reader's language when read."""

    def clip(value: Any) -> Any:
        if isinstance(value, str) and len(value) > 200:
            return value[:200] + "…"
        if isinstance(value, dict):
            return None  # a whole row: the history names it by its identity
        return value

    def identity_keys(section: str) -> tuple[str, ...]:
        if section == ATTACHMENTS_KEY:
            return ATTACHMENT_IDENTITY
        spec = kind.section(section) if kind else None
        return spec.table.identity if spec and spec.table else ()

    return [
        {
            "section": c.section,
            "field": c.field,
            "row": c.row_id,
            "kind": c.kind,
            "before": clip(c.before),
            "after": clip(c.after),
            **({"ident": _identity(c.row, identity_keys(c.section))} if c.row else {}),
        }
        for c in changes[:limit]
    ]


def from_summary(
    entries: list[dict[str, Any]], content: dict[str, Any] | None = None
) -> list[Change]:
    """The changes a history entry recorded (``summarise``'s output, or the older form that
    wrote "(row)" for a whole row and kept no row identity), ready to be described like a
    fresh comparison. ``content`` (the version the entry was made on) names the rows of
    entries that kept no identity; an older entry's whole-value change that kept neither
    side is left out rather than shown as "— → —"."""
    changes = []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        before, after = entry.get("before"), entry.get("after")
        before = None if before == "(row)" else before
        after = None if after == "(row)" else after
        kind = str(entry.get("kind") or "changed")
        if kind == "changed" and before is None and after is None:
            continue
        section, row_id = str(entry.get("section") or ""), entry.get("row")
        row = entry.get("ident")
        if row is None and row_id:
            row = _find_row(content, section, str(entry.get("field") or ""), str(row_id))
        changes.append(Change(section, str(entry.get("field") or ""), row_id, kind, before,
                              after, row=row))  # fmt: skip
    return changes


def _find_row(
    content: dict[str, Any] | None, section: str, field: str, row_id: str
) -> dict[str, Any]:
    data = (content or {}).get(section)
    table = field.split(".")[0] if field else "rows"
    rows = data if isinstance(data, list) else (data or {}).get(table)
    found = next(
        (r for r in rows or [] if isinstance(r, dict) and str(r.get("id")) == row_id), None
    )
    return found or {"id": row_id}
