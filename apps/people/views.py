"""People pages: the administrators' user list, user detail and audit trail; the
enterprise lead's and the lead reviewer's people pages; accepting an invitation.

Views are thin: fetch-and-authorize through selectors (404 outside the user's scope), call a
service (which checks again and audits), redirect."""

from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from apps.accounts.models import User
from apps.core.http import client_ip
from apps.enterprises.models import AUTHORITY_ROLES, ENTERPRISE_ROLES, Authority, Enterprise
from apps.enterprises.selectors import get_authority_for_user, get_enterprise_for_user
from apps.people import selectors, services
from apps.people.forms import (
    AdminInviteForm,
    AuditFilterForm,
    InvitationSignupForm,
    InviteForm,
    MembershipGrantForm,
    PeopleFilterForm,
)
from apps.people.models import InvitationStatus
from apps.people.rules import invitable_roles

PAGE_SIZE = 50


def _me(request: HttpRequest) -> User:
    """The signed-in user (every view using this is behind login_required)."""
    return cast(User, request.user)


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _next_or(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _require_admin(request: HttpRequest) -> None:
    if not request.user.has_perm("people.manage_users"):
        raise Http404


def _language_choice(request: HttpRequest) -> str:
    return getattr(request.user, "preferred_language", None) or settings.LANGUAGE_CODE


# --- Administrators -----------------------------------------------------------------------


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = PeopleFilterForm(request.GET or None)
    users = selectors.user_list(**form.filters())
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/user_list.html", {"form": form, "page": page})


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = selectors.get_user_for_admin(request.user, pk)
    return _render_user_detail(request, user, MembershipGrantForm())


def _render_user_detail(
    request: HttpRequest, user: User, grant_form: MembershipGrantForm, status: int = 200
) -> HttpResponse:
    invitations = selectors.invitations_for_email(user.email)
    events = selectors.user_events(user)
    return render(
        request,
        "people/user_detail.html",
        {
            "person": user,
            "grant_form": grant_form,
            "invitations": invitations,
            "events": events,
        },
        status=status,
    )


@login_required
@require_POST
def user_grant(request: HttpRequest, pk: int) -> HttpResponse:
    user = selectors.get_user_for_admin(request.user, pk)
    form = MembershipGrantForm(request.POST)
    if not form.is_valid():
        return _render_user_detail(request, user, form, status=400)
    data = form.cleaned_data
    try:
        services.membership_grant_checked(
            actor=_me(request),
            user=user,
            role=data["role"],
            enterprise=data["enterprise"],
            authority=data["authority"],
            ip_address=client_ip(request),
        )
    except services.Refused as refused:
        form.add_error(None, refused.message)
        return _render_user_detail(request, user, form, status=400)
    messages.success(request, _("The role was granted."))
    return redirect("people:user_detail", pk=user.pk)


@login_required
@require_POST
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    user = selectors.get_user_for_admin(request.user, pk)
    try:
        services.user_deactivate(actor=_me(request), user=user, ip_address=client_ip(request))
    except services.Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("%(name)s is deactivated and has been signed out everywhere.")
            % {"name": user.full_name},
        )
    return redirect("people:user_detail", pk=user.pk)


@login_required
@require_POST
def user_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    user = selectors.get_user_for_admin(request.user, pk)
    services.user_reactivate(actor=_me(request), user=user, ip_address=client_ip(request))
    messages.success(request, _("%(name)s is active again.") % {"name": user.full_name})
    return redirect("people:user_detail", pk=user.pk)


@login_required
@require_POST
def user_mfa_reset(request: HttpRequest, pk: int) -> HttpResponse:
    user = selectors.get_user_for_admin(request.user, pk)
    services.mfa_reset(actor=_me(request), user=user, ip_address=client_ip(request))
    messages.success(
        request,
        _("Two-factor authentication of %(name)s was reset; they will set it up again.")
        % {"name": user.full_name},
    )
    return redirect("people:user_detail", pk=user.pk)


@login_required
def invite(request: HttpRequest) -> HttpResponse:
    """Administrators invite anyone into any role."""
    _require_admin(request)
    form = AdminInviteForm(request.POST or None, initial={"language": _language_choice(request)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.invitation_create(
                actor=_me(request),
                email=data["email"],
                full_name=data["full_name"],
                role=data["role"],
                enterprise=data["enterprise"],
                authority=data["authority"],
                language=data["language"],
                base_url=_base_url(request),
                ip_address=client_ip(request),
            )
        except services.Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request, _("An invitation was sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("people:invite")
    page = Paginator(selectors.open_invitations(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/invite.html", {"form": form, "page": page})


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("people.view_audit"):
        raise Http404
    form = AuditFilterForm(request.GET or None, actions=selectors.audit_actions())
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {k: (v or "").strip() for k, v in form.cleaned_data.items()}
    events = selectors.audit_events(**filters)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "people/audit_list.html",
        {"form": form, "page": page, "time_zone": _utc_offset_label()},
    )


def _utc_offset_label() -> str:
    """The zone the trail's times are shown in (TIME_ZONE), as people read it: "UTC+08:00"."""
    offset = timezone.localtime().strftime("%z")  # "+0800"
    return f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"


# --- Enterprise leads and lead reviewers --------------------------------------------------


def _scope_people(
    request: HttpRequest,
    *,
    enterprise: Enterprise | None = None,
    authority: Authority | None = None,
) -> HttpResponse:
    scope: Any = enterprise or authority
    roles = invitable_roles(
        request.user, scope, ENTERPRISE_ROLES if enterprise is not None else AUTHORITY_ROLES
    )
    form = InviteForm(
        request.POST or None, roles=roles, initial={"language": _language_choice(request)}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                invitation = services.invitation_create(
                    actor=_me(request),
                    email=data["email"],
                    full_name=data["full_name"],
                    role=data["role"],
                    enterprise=enterprise,
                    authority=authority,
                    language=data["language"],
                    base_url=_base_url(request),
                    ip_address=client_ip(request),
                )
            except services.Refused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(
                    request,
                    _("An invitation was sent to %(email)s.") % {"email": invitation.email},
                )
                return HttpResponseRedirect(request.get_full_path())
        status = 400
    memberships = selectors.scope_memberships(enterprise=enterprise, authority=authority)
    page = Paginator(memberships, PAGE_SIZE).get_page(request.GET.get("page"))
    invitations = selectors.scope_invitations(enterprise=enterprise, authority=authority)
    return render(
        request,
        "people/scope_people.html",
        {
            "scope": scope,
            "enterprise": enterprise,
            "authority": authority,
            "page": page,
            "invitations": invitations,
            "form": form,
        },
        status=status,
    )


@login_required
def enterprise_people(request: HttpRequest, credit_code: str) -> HttpResponse:
    enterprise = get_enterprise_for_user(
        request.user, credit_code, perm="people.manage_enterprise_people"
    )
    return _scope_people(request, enterprise=enterprise)


@login_required
def authority_people(request: HttpRequest, code: str) -> HttpResponse:
    authority = get_authority_for_user(request.user, code, perm="people.manage_authority_people")
    return _scope_people(request, authority=authority)


def _scope_page(request: HttpRequest, obj: Any) -> str:
    if obj.enterprise_id:
        return reverse("people:enterprise_people", args=[obj.enterprise.credit_code])
    return reverse("people:authority_people", args=[obj.authority.code])


@login_required
@require_POST
def membership_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    membership = selectors.get_membership_for_manager(request.user, pk)
    services.membership_deactivate(
        actor=_me(request), membership=membership, ip_address=client_ip(request)
    )
    messages.success(
        request,
        _("%(name)s no longer has the role %(role)s here.")
        % {"name": membership.user.full_name, "role": membership.get_role_display()},
    )
    return redirect(_next_or(request, _scope_page(request, membership)))


@login_required
@require_POST
def membership_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    membership = selectors.get_membership_for_manager(request.user, pk)
    services.membership_reactivate(
        actor=_me(request), membership=membership, ip_address=client_ip(request)
    )
    messages.success(
        request,
        _("%(name)s has the role %(role)s here again.")
        % {"name": membership.user.full_name, "role": membership.get_role_display()},
    )
    return redirect(_next_or(request, _scope_page(request, membership)))


@login_required
@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.get_invitation_for_manager(request.user, pk)
    try:
        services.invitation_resend(
            actor=_me(request),
            invitation=invitation,
            base_url=_base_url(request),
            ip_address=client_ip(request),
        )
    except services.Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("A new link was sent to %(email)s; the previous one no longer works.")
            % {"email": invitation.email},
        )
    return redirect(_next_or(request, _scope_page(request, invitation)))


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.get_invitation_for_manager(request.user, pk)
    try:
        services.invitation_revoke(
            actor=_me(request), invitation=invitation, ip_address=client_ip(request)
        )
    except services.Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("The invitation to %(email)s was revoked.") % {"email": invitation.email},
        )
    return redirect(_next_or(request, _scope_page(request, invitation)))


# --- Accepting an invitation --------------------------------------------------------------


def _unavailable(request: HttpRequest, status: str, http_status: int) -> HttpResponse:
    return render(
        request, "people/invitation_unavailable.html", {"status": status}, status=http_status
    )


@never_cache
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_for_token(token)
    if invitation is None:
        return _unavailable(request, "unknown", 404)
    if not request.user.is_authenticated and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        # A first visit reads the page in the language the invitation was written in.
        translation.activate(invitation.language)
        request.LANGUAGE_CODE = invitation.language
    if invitation.status != InvitationStatus.PENDING:
        return _unavailable(request, invitation.status, 410)

    account = selectors.account_for_email(invitation.email)
    context: dict[str, Any] = {"invitation": invitation, "account": account}
    if request.user.is_authenticated and (account is None or request.user.pk != account.pk):
        return render(request, "people/invitation_wrong_user.html", context)
    if account is not None and not request.user.is_authenticated:
        context["login_url"] = f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': request.path})}"
        return render(request, "people/invitation_login.html", context)

    form = (
        None
        if account is not None
        else InvitationSignupForm(
            request.POST or None,
            email=invitation.email,
            initial={"full_name": invitation.full_name},
        )
    )
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            user = services.invitation_accept(
                invitation=invitation,
                user=account,
                full_name=form.cleaned_data["full_name"] if form else "",
                password=form.cleaned_data["password1"] if form else "",
                ip_address=client_ip(request),
            )
        except services.InvitationUnavailable as gone:
            return _unavailable(request, gone.status, 410)
        except services.Refused as refused:
            messages.error(request, refused.message)
            return HttpResponseRedirect(request.path)
        if account is None:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Welcome. You are now %(role)s of %(scope)s.")
            % {"role": invitation.get_role_display(), "scope": invitation.scope.name},
        )
        return redirect("home")
    context["form"] = form
    return render(request, "people/invitation_accept.html", context)
