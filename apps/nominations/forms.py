"""Forms of the nomination pages. They only shape the input; the services decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.enterprises.models import Industry
from apps.nominations.models import Nomination
from apps.nominations.workflow import SCORE_MAX, Resolution
from apps.plans.constants import ActionArea
from apps.stages.constants import DesignationKind
from apps.timeline.models import local_today


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class NominationForm(forms.Form):
    """What is nominated: the enterprise or one typical case of its filed report, with the
    industry and the action area it stands out in, and (required for an application) a
    summary of the case."""

    kind = forms.ChoiceField(
        label=_("Nominate as"), choices=DesignationKind.choices, widget=forms.RadioSelect
    )
    case_id = forms.ChoiceField(
        label=_("Typical case (for a benchmarking project)"), required=False
    )
    industry = forms.ChoiceField(label=_("Industry section"), choices=Industry.choices)
    field = forms.ChoiceField(
        label=_("Action area it stands out in"),
        required=False,
        help_text=_("For a benchmarking project, left blank: the case's own action area."),
    )
    case_summary = forms.CharField(
        label=_("Case summary"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Published on the public notice and the list only if the lead reviewer "
                    "approves it."),
    )  # fmt: skip

    def __init__(
        self, *args: Any, cases: list[dict[str, Any]], application: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        case_field: Any = self.fields["case_id"]
        case_field.choices = [("", "—")] + [(c["id"], str(c.get("title") or "")) for c in cases]
        field_field: Any = self.fields["field"]
        field_field.choices = [("", "—"), *ActionArea.choices]
        if application:
            self.fields["case_summary"].required = True
            self.fields["case_summary"].help_text = _(
                "Required for an application. Published only if the lead reviewer approves it."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == DesignationKind.BENCHMARK_PROJECT and not data.get("case_id"):
            self.add_error("case_id", _("Choose one of the report's typical cases."))
        if data.get("kind") == DesignationKind.MODEL_ENTERPRISE and not data.get("field"):
            self.add_error("field", _("Choose the action area it stands out in."))
        return data


class ScoreForm(forms.Form):
    score = forms.IntegerField(label=_("Score (0–100)"), min_value=0, max_value=SCORE_MAX)
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ProposeForm(forms.Form):
    publish_summary = forms.BooleanField(
        label=_("Publish the case summary on the notice and the list"), required=False
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is not proposed"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ObjectionForm(forms.Form):
    text = forms.CharField(label=_("Objection"), widget=forms.Textarea(attrs={"rows": 3}))
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())


class ResolveForm(forms.Form):
    resolution = forms.ChoiceField(
        label=_("Resolution"), choices=Resolution.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_on = forms.DateField(label=_("First day"), widget=DateInput())
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput())
    nominations = forms.ModelMultipleChoiceField(
        label=_("Proposals it lists"),
        queryset=Nomination.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, proposals: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["nominations"]
        field.queryset = proposals
        field.label_from_instance = lambda n: f"{n.enterprise.name} · {n.title}"
        if not self.is_bound:
            self.initial.setdefault("starts_on", local_today())
