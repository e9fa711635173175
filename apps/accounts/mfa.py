"""Two-factor authentication gate.

Runs after django-otp's OTPMiddleware, which tells whether this session was verified by a
device. A signed-in user who is not verified is sent

* to the verify step if they have a confirmed TOTP device (anyone who enrolled, including an
  enterprise user who opted in), or
* to the enrol step if the MFA policy says their role requires a second factor,

except on a short allow-list (logout, the MFA pages themselves, language switch, password
change, health check). The policy and the page names come from settings so that this module,
at the bottom of the import order, depends on nothing above it.

Whether the user has a device is noted in the session at login, so that an enterprise user
who never enrolled costs no extra query per request. The note cannot go stale: enrolling
ends the user's other sessions (the enrolling session is updated), and an administrator's
reset ends them all.
"""

from collections.abc import Callable
from functools import cache
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.module_loading import import_string
from django_otp.plugins.otp_totp.models import TOTPDevice


@cache
def _policy() -> Callable[[Any], bool]:
    return import_string(settings.MFA_REQUIRED_POLICY)


def mfa_required(user: Any) -> bool:
    """Whether this user's role obliges them to use a second factor."""
    return bool(user.is_authenticated and _policy()(user))


HAS_DEVICE_SESSION_KEY = "mfa_has_device"


def has_confirmed_device(user: Any) -> bool:
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def note_device_at_login(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    """user_logged_in receiver (connected in AccountsConfig.ready)."""
    if request is not None and hasattr(request, "session"):
        request.session[HAS_DEVICE_SESSION_KEY] = has_confirmed_device(user)


def session_has_device(request: HttpRequest) -> bool:
    noted = request.session.get(HAS_DEVICE_SESSION_KEY)
    if noted is None:  # a session from before this was noted at login
        noted = has_confirmed_device(request.user)
        request.session[HAS_DEVICE_SESSION_KEY] = noted
    return bool(noted)


def is_verified(request: HttpRequest) -> bool:
    verified = getattr(request.user, "is_verified", None)
    return bool(verified and verified())


def _is_exempt(request: HttpRequest) -> bool:
    static_url = settings.STATIC_URL or "/static/"
    if request.path_info.startswith(static_url):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return True  # let the 404 page render
    return match.view_name in settings.MFA_EXEMPT_URL_NAMES


class MFARequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not is_verified(request) and not _is_exempt(request):
            if session_has_device(request):
                return self._redirect(request, settings.MFA_VERIFY_URL)
            if mfa_required(user):
                return self._redirect(request, settings.MFA_ENROL_URL)
        return self.get_response(request)

    @staticmethod
    def _redirect(request: HttpRequest, url_name: str) -> HttpResponse:
        url = reverse(url_name)
        # Come back to the page asked for, unless it was a form post (which cannot be replayed).
        if request.method == "GET":
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            # an htmx swap would otherwise put the whole MFA page inside a fragment
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return HttpResponseRedirect(url)
