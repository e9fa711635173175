"""Two-factor authentication pages: account security, enrolment, the verify step of the login,
and recovery codes.

They live in the people app (URLs under /accounts/) because enrolling and resetting are
audited, and the audit app sits above accounts in the import order."""

import base64
from typing import cast
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from apps.accounts.mfa import HAS_DEVICE_SESSION_KEY, has_confirmed_device, is_verified
from apps.accounts.models import User
from apps.core.http import client_ip
from apps.people import services
from apps.people.forms import MFAVerifyForm, TOTPConfirmForm
from apps.people.mfa import mfa_required, recovery_codes_left, totp_device_for

ENROL_KEY_SESSION = "people_mfa_enrol_key"
NEW_CODES_SESSION = "people_mfa_new_codes"


def _me(request: HttpRequest) -> User:
    """The signed-in user (every view using this is behind login_required)."""
    return cast(User, request.user)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@login_required
def security(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    device = totp_device_for(user)
    return render(
        request,
        "accounts/security.html",
        {
            "device": device,
            "codes_left": recovery_codes_left(user) if device else 0,
            "mfa_required": mfa_required(user),
        },
    )


@never_cache
@login_required
def mfa_enrol(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    if has_confirmed_device(user):
        messages.info(request, _("Two-factor authentication is already set up."))
        return redirect("people:security")
    # The secret waits in the session until a code proves the app holds it: nothing is
    # written for a visitor who never finishes, and a reload shows the same QR code.
    key_hex = request.session.get(ENROL_KEY_SESSION)
    if not key_hex:
        key_hex = random_hex(20)
        request.session[ENROL_KEY_SESSION] = key_hex
    form = TOTPConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = services.mfa_enrol(
            user=user,
            key_hex=key_hex,
            token="".join(form.cleaned_data["token"].split()),
            ip_address=client_ip(request),
        )
        if result is None:
            form.add_error(
                "token",
                _("That code is not right. Check that the phone's clock is correct and try again."),
            )
        else:
            device, codes = result
            del request.session[ENROL_KEY_SESSION]
            # The service ended every session of the user; keep this one (new key, new hash).
            update_session_auth_hash(request, _me(request))
            otp_login(request, device)
            request.session[HAS_DEVICE_SESSION_KEY] = True
            request.session[NEW_CODES_SESSION] = codes
            messages.success(request, _("Two-factor authentication is on."))
            query = urlencode({"next": _next_url(request)})
            return HttpResponseRedirect(f"{reverse('people:mfa_recovery_codes')}?{query}")
    uri = TOTPDevice(user=user, key=key_hex).config_url
    secret = base64.b32encode(bytes.fromhex(key_hex)).decode()
    return render(
        request,
        "accounts/mfa_enrol.html",
        {
            "form": form,
            "secret": _grouped(secret),
            "qr_data_uri": segno.make(uri, error="m").svg_data_uri(scale=5, border=2),
            "required": mfa_required(user),
            "next": _next_url(request),
        },
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
def mfa_verify(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    if is_verified(request):
        return HttpResponseRedirect(_next_url(request))
    if not has_confirmed_device(user):
        # Nothing to verify with; if their role needs a device, the middleware sends them on.
        return HttpResponseRedirect(_next_url(request))
    form = MFAVerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = services.mfa_verify(
            user=user, token=form.cleaned_data["token"], ip_address=client_ip(request)
        )
        if result.device is not None:
            # A new session key for the stronger login, as django.contrib.auth does at login.
            request.session.cycle_key()
            otp_login(request, result.device)
            return HttpResponseRedirect(_next_url(request))
        if result.locked_until is not None:
            form.add_error(
                "token",
                _("Too many wrong codes. Try again after %(time)s.")
                % {"time": formats.time_format(timezone.localtime(result.locked_until), "H:i:s")},
            )
        else:
            form.add_error("token", _("That code is not right."))
    return render(
        request,
        "accounts/mfa_verify.html",
        {"form": form, "next": _next_url(request)},
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
def mfa_recovery_codes(request: HttpRequest) -> HttpResponse:
    """The new codes, once: they stay in the session until the user says they saved them."""
    if request.method == "POST":
        request.session.pop(NEW_CODES_SESSION, None)
        return HttpResponseRedirect(_next_url(request))
    return render(
        request,
        "accounts/mfa_recovery_codes.html",
        {
            "codes": request.session.get(NEW_CODES_SESSION),
            "codes_left": recovery_codes_left(request.user),
            "next": _next_url(request),
        },
    )


@never_cache
@login_required
def mfa_recovery_codes_download(request: HttpRequest) -> HttpResponse:
    codes = request.session.get(NEW_CODES_SESSION)
    if not codes:
        raise Http404
    lines = [
        _("Recovery codes for the Value Creation Filing System"),
        _me(request).email,
        _("Each code works once. Keep them somewhere safe."),
        "",
        *codes,
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="recovery-codes.txt"'
    return response


@login_required
@require_POST
def mfa_recovery_codes_regenerate(request: HttpRequest) -> HttpResponse:
    try:
        codes = services.mfa_recovery_codes_regenerate(
            user=_me(request), ip_address=client_ip(request)
        )
    except services.Refused as refused:
        messages.error(request, refused.message)
        return redirect("people:security")
    request.session[NEW_CODES_SESSION] = codes
    messages.success(request, _("New recovery codes were made; the old ones no longer work."))
    return redirect("people:mfa_recovery_codes")


@login_required
@require_POST
def mfa_remove(request: HttpRequest) -> HttpResponse:
    try:
        services.mfa_remove(user=_me(request), ip_address=client_ip(request))
    except services.Refused as refused:
        messages.error(request, refused.message)
    else:
        request.session[HAS_DEVICE_SESSION_KEY] = False
        messages.success(request, _("Two-factor authentication is off."))
    return redirect("people:security")
