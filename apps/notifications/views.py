"""The notification centre. Views are thin: a user reaches only their own notifications
(anyone else's is a 404), and the services do the writing."""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.models import User
from apps.core.pagination import keyset_paginate
from apps.notifications import selectors, services

PAGE_SIZE = 50
# Newest first. By id alone: ids are handed out in insertion order, and a created_at cursor
# would lose its microseconds in the shared cursor encoding (DjangoJSONEncoder keeps
# milliseconds), skipping rows made within the same millisecond.
ORDERING = ["-id"]


def _me(request: HttpRequest) -> User:
    """The signed-in user (every view here is behind login_required)."""
    return cast(User, request.user)


@login_required
@require_GET
@never_cache
def centre(request: HttpRequest) -> HttpResponse:
    page = keyset_paginate(
        selectors.for_user(_me(request)),
        ordering=ORDERING,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        page_size=PAGE_SIZE,
    )
    return render(request, "notifications/centre.html", {"page": page})


@login_required
@require_GET
@never_cache
def bell(request: HttpRequest) -> HttpResponse:
    """The header's bell alone, for htmx to refresh it (on a ``notifications-changed``
    event) without reloading the page."""
    return render(request, "notifications/_bell.html")


@login_required
@require_GET
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification: mark it read and go to what it is about. A GET, so that it
    works as a plain link (in the centre and in the email); marking read is idempotent."""
    notification = selectors.get_notification_for_user(_me(request), pk)
    services.notification_mark_read(notification=notification)
    if url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return redirect("notifications:centre")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    if services.notification_mark_all_read(user=_me(request)):
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:centre")
