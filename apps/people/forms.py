from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Language, User
from apps.audit.labels import action_choices
from apps.enterprises.models import AUTHORITY_ROLES, ENTERPRISE_ROLES, Authority, Enterprise, Role
from apps.people.selectors import ADMIN_ROLE

ROLE_LABELS = dict(Role.choices)


class InviteForm(forms.Form):
    """Invite someone into a role at the page's enterprise or authority. Only the roles the
    inviter may grant are offered; the service refuses the others even if posted."""

    email = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        required=False,
        help_text=_("Optional: they can correct it when they accept."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        error_messages={"invalid_choice": _("You may not invite people into this role here.")},
    )
    language = forms.ChoiceField(
        label=_("Language of the email"), choices=Language.choices, initial=Language.ZH_HANS
    )

    def __init__(self, *args: Any, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = [(r, ROLE_LABELS[r]) for r in roles]
        if len(roles) == 1:
            role_field.initial = roles[0]


class ScopeFieldsMixin(forms.Form):
    """Role plus where: an enterprise (by credit code) or an authority."""

    enterprise_code = forms.CharField(
        label=_("Enterprise (unified social credit code)"),
        max_length=18,
        required=False,
        help_text=_("For an enterprise role."),
    )
    authority = forms.ModelChoiceField(
        label=_("Authority"),
        queryset=Authority.objects.all(),
        required=False,
        help_text=_("For a reviewer role."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        role = cleaned.get("role")
        code = (cleaned.get("enterprise_code") or "").strip().upper()
        cleaned["enterprise"] = None
        if role in ENTERPRISE_ROLES:
            cleaned["authority"] = None
            if not code:
                self.add_error("enterprise_code", _("An enterprise role needs an enterprise."))
            else:
                enterprise = Enterprise.objects.filter(credit_code=code).first()
                if enterprise is None:
                    self.add_error(
                        "enterprise_code", _("No enterprise has this unified social credit code.")
                    )
                cleaned["enterprise"] = enterprise
        elif role in AUTHORITY_ROLES and cleaned.get("authority") is None:
            self.add_error("authority", _("A reviewer role needs an authority."))
        return cleaned


class AdminInviteForm(ScopeFieldsMixin, InviteForm):
    field_order = ["email", "full_name", "role", "enterprise_code", "authority", "language"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, roles=list(Role.values), **kwargs)


class MembershipGrantForm(ScopeFieldsMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    field_order = ["role", "enterprise_code", "authority"]


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or email"), required=False)
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("Any role")), (ADMIN_ROLE, _("Administrator")), *Role.choices],
    )
    authority = forms.ModelChoiceField(
        label=_("Authority"),
        queryset=Authority.objects.all(),
        required=False,
        empty_label=_("Any authority"),
    )
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Active and deactivated")), ("yes", _("Active")), ("no", _("Deactivated"))],
    )

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        active = {"yes": True, "no": False}.get(data.get("active") or "")
        return {
            "query": (data.get("q") or "").strip(),
            "role": data.get("role") or "",
            "authority": data.get("authority"),
            "active": active,
        }


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.CharField(label=_("By (email)"), required=False)
    target = forms.CharField(label=_("Object"), required=False)

    def __init__(self, *args: Any, actions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action_field = self.fields["action"]
        assert isinstance(action_field, forms.ChoiceField)
        # Labelled in the viewer's language; the code is what the filter matches.
        action_field.choices = [("", _("Any action")), *action_choices(actions)]


class InvitationSignupForm(forms.Form):
    """A new account from an invitation: the address is the invitation's."""

    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            # The unsaved user lets the similarity validator compare with name and address.
            candidate = User(email=self.email, full_name=cleaned.get("full_name") or "")
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class TOTPConfirmForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from the app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class MFAVerifyForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The six-digit code from your authenticator app, or one recovery code."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )
