from typing import Any

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

from apps.core.numbers import format_cell
from apps.plans.constants import figure_places
from apps.plans.content import section_display

register = template.Library()


@register.filter
def figure(value: Any, row: Any = None) -> str:
    """A stored figure of an indicator ``row`` for a table cell: thousands grouped, at the
    indicator's precision, "%" kept on percentages (``{{ row.baseline|figure:row }}`` →
    "1,175,000.00", "62.50%"); "" when empty, so that ``|default:"—"`` follows. Stored
    digits beyond the precision are shown, never rounded away."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    row = row if isinstance(row, dict) else {}
    return format_cell(value, str(row.get("unit") or ""), figure_places(row))


@register.simple_tag
def plan_display(key: str, data: Any, filing: Any = None) -> dict[str, Any]:
    """A section's printable rows from its ``data``: ``{% plan_display "tasks" data filing
    as d %}``. Computed here so that every page (version, check, packet) needs to pass only
    ``data`` and ``filing``."""
    return section_display(key, data if isinstance(data, dict) else {}, filing or None)


@register.simple_tag
def plan_widget(field: BoundField, gap_url: str = "", gap_target: str = "") -> SafeString:
    """A field's widget, marked invalid when it has errors and, given ``gap_url``, wired to
    refresh the row's gap cell through htmx (no inline script under our CSP)."""
    attrs: dict[str, Any] = {}
    if field.errors:
        attrs["class"] = f"{field.field.widget.attrs.get('class', '')} is-invalid".strip()
    if gap_url and gap_target:
        attrs.update(
            {
                "hx-post": gap_url,
                "hx-trigger": "change",
                # One request per row at a time, the latest change queued after it: replies
                # could otherwise arrive out of order and show a stale gap.
                "hx-sync": "closest tr:queue last",
                "hx-target": f"#{gap_target}",
                "hx-include": "closest tr",
                "hx-swap": "innerHTML",
            }
        )
    return field.as_widget(attrs=attrs)
