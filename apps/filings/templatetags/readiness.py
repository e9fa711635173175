"""``{% ready_for_lead_state filing draft as readiness %}``: the “ready for the lead” mark on
the filing's open draft, for ``filings/_ready_for_lead.html``, so that the filing page includes
the partial without its view having to know about marks (one query, only where it is shown)."""

from typing import Any

from django import template

from apps.filings.readiness import Readiness, readiness_for

register = template.Library()


@register.simple_tag
def ready_for_lead_state(filing: Any, draft: Any) -> Readiness | None:
    return readiness_for(filing, draft) if filing is not None and draft else None
