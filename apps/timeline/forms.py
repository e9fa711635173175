import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.enterprises.models import Authority
from apps.timeline.models import STAGE_ORDER, Campaign, Deliverable, Stage, StageKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        # The date check (working day or holiday) is fetched by htmx when the date changes.
        base = {
            "hx-get": "/timeline/check-date/",
            "hx-trigger": "change",
            "hx-target": "#date-check",
            "hx-swap": "innerHTML",
        }
        super().__init__(attrs={**base, **(attrs or {})}, format="%Y-%m-%d")


class CampaignForm(forms.ModelForm[Campaign]):
    class Meta:
        model = Campaign
        fields = [
            "code",
            "name_zh",
            "name_en",
            "notice",
            "notice_title",
            "notice_issuer",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        existing = {s.kind: s for s in self.instance.stages.all()} if self.instance.pk else {}
        for kind in STAGE_ORDER:
            stage = existing.get(kind)
            label = StageKind(kind).label
            self.fields[f"{kind}_starts_on"] = forms.DateField(
                label=_("%(stage)s: starts on") % {"stage": label},
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                initial=stage.starts_on if stage else None,
            )
            self.fields[f"{kind}_ends_on"] = forms.DateField(
                label=_("%(stage)s: ends on") % {"stage": label},
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                initial=stage.ends_on if stage else None,
            )

    def stage_dates(self) -> dict[str, tuple[dt.date, dt.date]]:
        data = self.cleaned_data
        return {k: (data[f"{k}_starts_on"], data[f"{k}_ends_on"]) for k in STAGE_ORDER}

    def campaign_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class DeliverableForm(forms.ModelForm[Deliverable]):
    """A deliverable of a campaign: its due date and, for a stage summary, the period it
    reports on; an authority's own deliverable (its half-yearly summaries) names it."""

    class Meta:
        model = Deliverable
        fields = [
            "stage",
            "kind",
            "title_zh",
            "title_en",
            "due_on",
            "period_starts_on",
            "period_ends_on",
            "authority",
            "expected_share",
        ]
        widgets = {
            "due_on": DateInput(),
            "period_starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "period_ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.campaign = campaign
        self.fields["stage"].queryset = Stage.objects.filter(campaign=campaign)  # type: ignore[attr-defined]
        self.fields["authority"].queryset = Authority.objects.order_by("sort_order", "code")  # type: ignore[attr-defined]
        self.fields["authority"].empty_label = _("Every enterprise of the campaign")  # type: ignore[attr-defined]

    def deliverable_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class AuthorityDeadlineForm(forms.Form):
    due_on = forms.DateField(
        label=_("Local due date"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty to use the campaign's date."),
    )
    note = forms.CharField(label=_("Note for the enterprises"), required=False, max_length=300)


class ExtensionForm(forms.Form):
    due_on = forms.DateField(label=_("Extended due date"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Recorded in the audit trail and shown to the enterprise."),
    )
