"""Notes beside the content of a version (the reviewers' comments, registered through
``apps.filings.panels.register_anchor_notes``), for the kinds' display templates.

A display template names the place: ``{% anchor_notes "indicators" row.id colspan=9 %}``
after a table row (a row of its own under it), ``{% anchor_notes "cases" row.id %}`` in a
list, ``{% anchor_notes section.key %}`` at a section's head. The page puts the notes in
the context as ``notes_by_anchor``; pages without it (a version's own page, the packet)
show none, so the templates stay the same everywhere.
"""

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("filings/_anchor_notes.html", takes_context=True)
def anchor_notes(
    context: template.Context, section: str, row_id: Any = "", colspan: int = 0
) -> dict[str, Any]:
    by_anchor = context.get("notes_by_anchor") or {}
    row = str(row_id or "")
    return {
        "notes": by_anchor.get((str(section), row), []),
        "section": section,
        "row_id": row,
        "colspan": colspan,
    }
