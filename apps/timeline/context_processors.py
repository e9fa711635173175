from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from apps.timeline.selectors import active_notice


def campaign_notice(request: HttpRequest) -> dict[str, Any]:
    """The active campaign's notice for the footer: read (from the cache) only when a page
    shows it."""
    return {"campaign_notice": SimpleLazyObject(active_notice)}
