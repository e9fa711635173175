"""View helpers shared by the pages that act on a filing (review, stages)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from apps.filings.services import FilingError


def run_action(
    request: HttpRequest, target: Any, action: Callable[[], Any], done: str
) -> HttpResponse:
    """Call a service for a POST; say what happened, or why it was refused, as a message;
    go back to ``target`` (a model with get_absolute_url, or a URL). A refused action
    changes nothing: the service raised before writing."""
    try:
        action()
    except FilingError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect(target)
