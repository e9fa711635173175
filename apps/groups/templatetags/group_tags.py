from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """``{{ cells|get_item:year }}``: a year's figure of a roll-up cell."""
    return mapping.get(key, "") if isinstance(mapping, dict) else ""
