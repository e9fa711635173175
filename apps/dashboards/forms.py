from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.enterprises.models import FunctionalCategory, Industry
from apps.timeline.models import Deliverable


@dataclass(frozen=True)
class Filters:
    deliverable: Deliverable | None = None
    category: str = ""
    industry: str = ""

    def params(self) -> dict[str, Any]:
        return {
            key: value
            for key, value in (
                ("deliverable", self.deliverable.pk if self.deliverable else ""),
                ("category", self.category),
                ("industry", self.industry),
            )
            if value
        }


class DashboardFilterForm(forms.Form):
    """The dashboards' GET filters. The deliverables come from the page (it has loaded them
    already), so the form costs no query of its own. An invalid value is reported and left
    out; the other filters still apply."""

    deliverable = forms.TypedChoiceField(
        label=_("Deliverable"), required=False, coerce=int, empty_value=None
    )
    category = forms.ChoiceField(
        label=_("Functional category"),
        required=False,
        choices=[("", _("All")), *FunctionalCategory.choices],
    )
    industry = forms.ChoiceField(
        label=_("Industry section"), required=False, choices=[("", _("All")), *Industry.choices]
    )

    def __init__(
        self,
        data: Any = None,
        *,
        deliverables: list[Deliverable],
        with_enterprise_filters: bool = True,
        allow_all: bool = True,
    ) -> None:
        super().__init__(data)
        self.deliverables = {d.pk: d for d in deliverables}
        choices: list[tuple[Any, Any]] = [("", _("All deliverables"))] if allow_all else []
        choices += [(d.pk, f"{d.title} · {d.campaign.code}") for d in deliverables]
        deliverable_field = self.fields["deliverable"]
        assert isinstance(deliverable_field, forms.ChoiceField)
        deliverable_field.choices = choices
        if not with_enterprise_filters:
            del self.fields["category"]
            del self.fields["industry"]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def filters(self) -> Filters:
        if not self.is_bound:
            return Filters()
        self.is_valid()
        data = self.cleaned_data
        return Filters(
            deliverable=self.deliverables.get(data.get("deliverable") or 0),
            category=data.get("category") or "",
            industry=data.get("industry") or "",
        )
