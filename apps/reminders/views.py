"""Reminder preferences (every user, their own only) and a campaign's reminder rules
(administrators). Views are thin: selectors fetch and authorize, services write."""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.accounts.models import User
from apps.core.http import client_ip
from apps.reminders import selectors, services
from apps.reminders.forms import PreferencesForm, RuleFormSet
from apps.reminders.models import KIND_HELP, ReminderRule


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """Always the signed-in user's own preferences: there is no user in the URL to change."""
    user = cast(User, request.user)
    form = PreferencesForm(request.POST or None, rows=selectors.preference_rows(user))
    if request.method == "POST" and form.is_valid():
        services.preferences_save(
            user=user, disabled_kinds=form.disabled_kinds(), ip_address=client_ip(request)
        )
        messages.success(request, _("Your reminder settings are saved."))
        return redirect("reminders:preferences")
    return render(request, "reminders/preferences.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_rules(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.get_campaign_for_rules(request.user, pk)
    queryset = ReminderRule.objects.filter(campaign=campaign).order_by("kind", "-days", "id")
    formset = RuleFormSet(request.POST or None, queryset=queryset, prefix="rules")
    if request.method == "POST" and "install_defaults" in request.POST:
        added = services.rules_install_defaults(campaign=campaign, actor=request.user)
        messages.success(request, _("%(count)d default reminders added.") % {"count": added})
        return redirect("reminders:campaign_rules", pk=campaign.pk)
    if request.method == "POST" and formset.is_valid():
        changed = [form.instance for form in formset.forms if form.has_changed()]
        try:
            services.rules_save(
                campaign=campaign, rules=changed, actor=request.user, ip_address=client_ip(request)
            )
        except ValidationError as exc:
            formset._non_form_errors = formset.error_class(exc.messages)  # type: ignore[attr-defined]
        else:
            messages.success(request, _("The reminder rules are saved."))
            return redirect("reminders:campaign_rules", pk=campaign.pk)
    return render(
        request,
        "reminders/campaign_rules.html",
        {"campaign": campaign, "formset": formset, "kind_help": list(KIND_HELP.items())},
    )
