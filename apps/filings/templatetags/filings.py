from typing import Any

from django import template
from django.utils.translation import gettext as _

from apps.filings.workflow import State

register = template.Library()


@register.filter
def show_value(value: Any) -> str:
    """A content value as text for the comparison page (escaped by the template)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {show_value(v)}" for k, v in value.items() if k != "id")
    if isinstance(value, list):
        return _("%(n)d rows") % {"n": len(value)}
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


@register.filter
def state_label(value: str) -> str:
    try:
        return str(State(value).label)
    except ValueError:
        return value
