from typing import Any

from django import template
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def render_panel(context: template.Context, panel: Any) -> SafeString:
    """Render a registered panel with the page's context plus its own."""
    flat: dict[str, Any] = {str(k): v for k, v in context.flatten().items()}
    flat.update(panel.context)
    return mark_safe(get_template(panel.template).render(flat, context.get("request")))  # noqa: S308 - rendered by the template engine, already escaped
