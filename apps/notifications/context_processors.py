from functools import cached_property
from typing import Any

from django.http import HttpRequest

from apps.notifications.selectors import unread_count


class NotificationBell:
    """The header's unread count, counted on first use (one COUNT query) and then
    remembered for the rest of the request; pages that never render the header (JSON,
    downloads) pay nothing."""

    def __init__(self, user: Any) -> None:
        self._user = user

    @cached_property
    def unread(self) -> int:
        return unread_count(self._user)


def notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notification_bell": NotificationBell(user)}
