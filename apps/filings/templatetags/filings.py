from django import template
from django.utils.translation import gettext_lazy

from apps.filings.workflow import Action, State

register = template.Library()


@register.filter
def state_label(value: str) -> str:
    try:
        return str(State(value).label)
    except ValueError:
        return value


# What the history says for each kind of event; transitions use the workflow's own labels.
EVENT_LABELS = {
    "create": gettext_lazy("Started the filing"),
    "edit": gettext_lazy("Edited the draft"),
    "attachments": gettext_lazy("Changed the attachments"),
    "assign": gettext_lazy("Assigned a reviewer"),
    "unassign": gettext_lazy("Removed a reviewer"),
    "comment": gettext_lazy("Commented"),
    "recommend": gettext_lazy("Recommended a decision"),
    "ready_for_lead": gettext_lazy("Marked ready for the lead to review"),
}


@register.filter
def event_label(action: str) -> str:
    if action in EVENT_LABELS:
        return str(EVENT_LABELS[action])
    try:
        return str(Action(action).label)
    except ValueError:
        return action
