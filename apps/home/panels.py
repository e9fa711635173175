"""The “what's due” section at the top of an enterprise's page, for its own people."""

from typing import Any

from django.http import HttpRequest

from apps.enterprises.models import Enterprise
from apps.enterprises.panels import Panel, register_enterprise_panel
from apps.enterprises.scopes import scope_for
from apps.home.due import NEXT_ROLES, due_context, due_items


def enterprise_due_panel(request: HttpRequest, enterprise: Enterprise) -> Panel | None:
    """Before the campaign timeline (order 10): the overdue banner must be the first thing
    the enterprise's editors and leads see. Reviewers read the timeline's statuses instead."""
    user: Any = request.user
    role = scope_for(user).enterprise_role(enterprise.pk)
    if role not in NEXT_ROLES or not enterprise.files_for_group:
        return None
    items = due_items([enterprise], {enterprise.pk: role})
    if not items:
        return None
    return Panel("home/_due_panel.html", due_context(items), order=5)


register_enterprise_panel(enterprise_due_panel)
