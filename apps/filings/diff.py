"""Field-by-field comparison of two versions' content, rows of tables included.

Content is {section: {field: value | [rows]}}; rows are dicts with a stable "id", so a row
that moved, changed or disappeared is matched across versions by that id.
"""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Change:
    section: str
    field: str
    row_id: str | None  # None for a plain field
    kind: str  # "changed", "added", "removed"
    before: Any
    after: Any


def _is_rows(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(r, dict) and "id" in r for r in value)


def _diff_rows(
    section: str, field: str, old: list[dict[str, Any]], new: list[dict[str, Any]]
) -> list[Change]:
    changes: list[Change] = []
    old_by_id = {str(r["id"]): r for r in old}
    new_by_id = {str(r["id"]): r for r in new}
    for row_id, row in new_by_id.items():
        before = old_by_id.get(row_id)
        if before is None:
            changes.append(Change(section, field, row_id, "added", None, row))
            continue
        for key in sorted(set(before) | set(row)):
            if key != "id" and before.get(key) != row.get(key):
                changes.append(
                    Change(
                        section, f"{field}.{key}", row_id, "changed", before.get(key), row.get(key)
                    )
                )
    for row_id, row in old_by_id.items():
        if row_id not in new_by_id:
            changes.append(Change(section, field, row_id, "removed", row, None))
    return changes


def content_diff(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes: list[Change] = []
    for section in sorted(set(old) | set(new)):
        before_section = old.get(section) or {}
        after_section = new.get(section) or {}
        if not isinstance(before_section, dict) or not isinstance(after_section, dict):
            if before_section != after_section:
                changes.append(Change(section, "", None, "changed", before_section, after_section))
            continue
        for field in sorted(set(before_section) | set(after_section)):
            before, after = before_section.get(field), after_section.get(field)
            if before == after:
                continue
            if _is_rows(before or []) and _is_rows(after or []):
                changes.extend(_diff_rows(section, field, before or [], after or []))
            else:
                changes.append(Change(section, field, None, "changed", before, after))
    return changes


def summarise(changes: list[Change], limit: int = 50) -> list[dict[str, Any]]:
    """A compact, JSON-safe account of changes for the history (long texts clipped)."""

    def clip(value: Any) -> Any:
        if isinstance(value, str) and len(value) > 200:
            return value[:200] + "…"
        return value

    return [
        {
            "section": c.section,
            "field": c.field,
            "row": c.row_id,
            "kind": c.kind,
            "before": clip(c.before) if not isinstance(c.before, dict) else "(row)",
            "after": clip(c.after) if not isinstance(c.after, dict) else "(row)",
        }
        for c in changes[:limit]
    ]
