from typing import Any

from django import forms
from django.forms import BaseModelFormSet, modelformset_factory
from django.utils.translation import gettext_lazy as _

from apps.reminders.models import KIND_HELP, ReminderRule, RuleKind


class PreferencesForm(forms.Form):
    """One switch per kind of reminder. Mandatory kinds are shown on and disabled: Django
    ignores whatever is posted for a disabled field (and the service would too)."""

    def __init__(self, *args: Any, rows: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in rows:
            self.fields[row["kind"]] = forms.BooleanField(
                label=row["label"],
                required=False,
                initial=row["enabled"],
                disabled=row["mandatory"],
                help_text=KIND_HELP[RuleKind(row["kind"])],
            )
        self.rows = {row["kind"]: row for row in rows}

    def disabled_kinds(self) -> list[str]:
        return [
            kind
            for kind, value in self.cleaned_data.items()
            if not value and not self.rows[kind]["mandatory"]
        ]


class RuleForm(forms.ModelForm[ReminderRule]):
    class Meta:
        model = ReminderRule
        fields = ["kind", "days", "every_days", "mandatory", "is_active"]
        widgets = {
            "kind": forms.Select(attrs={"class": "form-select form-select-sm"}),
            "days": forms.NumberInput(attrs={"class": "form-control form-control-sm", "min": 0}),
            "every_days": forms.NumberInput(
                attrs={"class": "form-control form-control-sm", "min": 1}
            ),
            "mandatory": forms.CheckboxInput(attrs={"class": "form-check-input"}),
            "is_active": forms.CheckboxInput(attrs={"class": "form-check-input"}),
        }


class BaseRuleFormSet(BaseModelFormSet[ReminderRule, RuleForm]):
    def clean(self) -> None:
        super().clean()
        seen: set[tuple[object, object]] = set()
        for form in self.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue
            data = getattr(form, "cleaned_data", None) or {}
            key = (data.get("kind"), data.get("days"))
            if None in key:
                continue
            if key in seen:
                raise forms.ValidationError(_("Two rows describe the same reminder."))
            seen.add(key)


RuleFormSet = modelformset_factory(
    ReminderRule, form=RuleForm, formset=BaseRuleFormSet, extra=1, can_delete=False
)
