from typing import Any

from django import template

from apps.plans.templatetags.plan_tags import figure
from apps.stages.content import section_display

register = template.Library()
# The same spelling of a figure as the plan's pages: {{ row.actual|figure:row }}.
register.filter("figure", figure)


@register.simple_tag
def stage_display(key: str, data: Any, filing: Any = None) -> dict[str, Any]:
    """A section's printable rows from its ``data``: ``{% stage_display "indicators" data
    filing as d %}``, so that every page (version, check, packet) passes only ``data`` and
    ``filing``."""
    return section_display(key, data if isinstance(data, dict) else {}, filing or None)
