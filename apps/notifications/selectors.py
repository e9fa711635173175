"""Reads for notifications. A notification belongs to its recipient alone: anyone else,
administrators included, gets a 404."""

from typing import Any

from django.shortcuts import get_object_or_404

from apps.notifications.models import Notification, NotificationQuerySet


def for_user(user: Any) -> NotificationQuerySet:
    """The user's own notifications, newest first (ids follow the order of creation)."""
    return Notification.objects.for_user(user).order_by("-id")


def unread_count(user: Any) -> int:
    """One COUNT query (on the recipient, read_at index)."""
    return Notification.objects.for_user(user).unread().count()


def get_notification_for_user(user: Any, pk: int) -> Notification:
    return get_object_or_404(Notification.objects.for_user(user), pk=pk)
