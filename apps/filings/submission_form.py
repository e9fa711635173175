"""The formal submission on the check-your-answers page: the fields only read what was
typed; the service decides what is missing (one rule, whoever submits)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from apps.filings.error_summary import ErrorLink
from apps.filings.models import DecisionBody
from apps.filings.services import Submission


class SubmissionForm(forms.Form):
    document_number = forms.CharField(
        label=gettext_lazy("Document number (报送文号)"),
        help_text=gettext_lazy(
            "The enterprise's own number for this submission, e.g. 中能集团〔2023〕12号."
        ),
        required=False,
        max_length=100,
    )
    signatory_name = forms.CharField(
        label=gettext_lazy("Signatory (签发人)"),
        help_text=gettext_lazy("The company leader who signed the submission off."),
        required=False,
        max_length=100,
    )
    signatory_title = forms.CharField(
        label=gettext_lazy("Signatory's title"),
        help_text=gettext_lazy("For example 董事长 or 总经理."),
        required=False,
        max_length=100,
    )
    decision_body = forms.ChoiceField(
        label=gettext_lazy("Decided by"),
        choices=DecisionBody.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    decision_on = forms.DateField(
        label=gettext_lazy("Date of the decision"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        required=False,
    )

    def submission(self) -> Submission:
        self.is_valid()  # whatever parsed is kept; the service names what is missing
        data: dict[str, Any] = getattr(self, "cleaned_data", {})
        return Submission(
            document_number=data.get("document_number", "") or "",
            signatory_name=data.get("signatory_name", "") or "",
            signatory_title=data.get("signatory_title", "") or "",
            decision_body=data.get("decision_body", "") or "",
            decision_on=data.get("decision_on"),
        )


def submission_error_links(
    form: SubmissionForm, errors: dict[str, str], attachment_target: str
) -> list[ErrorLink]:
    """The error summary: one line per gap, in the order of the page, each linking to its
    input (a missing attachment to its line in the list of attachment types)."""
    links: list[ErrorLink] = []
    for name in form.fields:
        if name in errors:
            bound = form[name]
            target = f"{bound.auto_id}_0" if name == "decision_body" else bound.auto_id
            links.append(ErrorLink(target=str(target), text=errors[name]))
    if "confirm" in errors:
        links.append(ErrorLink(target="confirm", text=errors["confirm"]))
    for key, message in errors.items():
        if key.startswith("attachment:"):
            code = key.split(":", 1)[1]
            links.append(ErrorLink(target=f"{attachment_target}-{code}", text=message))
    return links


def submission_form_errors(form: SubmissionForm, errors: dict[str, str]) -> None:
    """Put the service's messages beside their inputs."""
    for name in form.fields:
        if name in errors:
            form.add_error(name, errors[name])
