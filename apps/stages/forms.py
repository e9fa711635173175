"""One form per section of a stage summary or an assessment report.

The same contract as the plan's forms (``FormClass(data=None, *, content=..., filing=...)``
and ``.to_content()``), built on the plan's table machinery. Rows of indicators and tasks
come from the approved plan and are matched by id: a POST can fill in what happened, never
add, remove or rename an indicator or a task, nor change a baseline or a target.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.i18n import in_language
from apps.indicators.judging import band_text
from apps.plans.constants import ActionArea, Direction, figure_bounds, unit_label
from apps.plans.content import campaign_years, localised_name
from apps.plans.fields import FigureField, LineField, PlainTextField
from apps.plans.forms import RowForm, SectionForm, TableSectionForm
from apps.stages.constants import (
    ADJUSTMENTS,
    AREAS,
    CASES,
    EXPERIENCE,
    INDICATORS,
    MECHANISMS,
    PROBLEMS,
    TASKS,
    TaskStatus,
)
from apps.stages.content import (
    assessed_years,
    assessment_rows,
    default_year,
    indicator_rows,
    indicators_section,
    judged,
    judgement_display,
    outlook_year,
    plan_content,
    report_period,
    section_year,
    task_rows,
)

# --- Indicators ----------------------------------------------------------------------------


class _IndicatorRowMixin:
    """What the editor shows of a row copied from the plan."""

    stored: dict[str, Any]

    @property
    def name(self) -> str:
        return localised_name(self.stored)

    @property
    def unit_label(self) -> str:
        return unit_label(self.stored.get("unit") or "")

    @property
    def direction_label(self) -> str:
        direction = self.stored.get("direction") or Direction.HIGHER
        return str(dict(Direction.choices).get(direction, ""))

    @property
    def definition(self) -> str:
        return in_language(
            str(self.stored.get("definition_zh") or ""),
            str(self.stored.get("definition_en") or ""),
        )

    @property
    def band(self) -> str:
        return band_text(self.stored)

    @property
    def applicable(self) -> bool:
        return self.stored.get("applicable") is not False

    def _bound(self, field: Any) -> None:
        # What happened is refused outside the indicator's plausible range, as the plan is.
        assert isinstance(field, FigureField)
        field.set_bounds(
            figure_bounds(self.stored),
            indicator=localised_name(self.stored),
            unit=str(self.stored.get("unit") or ""),
        )


class ResultRowForm(_IndicatorRowMixin, RowForm):
    """What happened to one indicator of the plan in the period: the actual value, the same
    period's figure a year earlier and a note. On track is computed, never typed."""

    actual = FigureField(label=_("Actual"))
    previous = FigureField(label=_("Same period last year"))
    note = LineField(label=_("Note"), max_length=500)

    def __init__(self, *args: Any, filing: Any, **kwargs: Any) -> None:
        self.filing = filing
        super().__init__(*args, **kwargs)

    def customise(self) -> None:
        if not self.applicable:
            del self.fields["actual"], self.fields["previous"]
            return
        self._bound(self.fields["actual"])
        self._bound(self.fields["previous"])

    @staticmethod
    def initial_from_row(row: dict[str, Any]) -> dict[str, Any]:
        return {k: row.get(k) or "" for k in ("id", "actual", "previous", "note")}

    def can_be_deleted(self) -> bool:
        return False  # the plan decides which indicators there are

    @property
    def progress_dom_id(self) -> str:
        return f"progress-{self.row_id or self.prefix}"

    @property
    def judgement(self) -> dict[str, Any]:
        if not self.applicable:
            return judgement_display(judged({"applicable": False}, self.filing))
        typed = {"actual": self["actual"].value(), "previous": self["previous"].value()}
        return judgement_display(judged({**self.stored, **typed}, self.filing))

    def to_row(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "id": self.row_id,
            "actual": data.get("actual") or "",
            "previous": data.get("previous") or "",
            "note": data.get("note") or "",
        }


class AssessmentRowForm(_IndicatorRowMixin, RowForm):
    """One indicator over the years assessed: each year's actual, the outlook for the
    campaign's last year, a note."""

    outlook = FigureField(label=_("Outlook"))
    note = LineField(label=_("Note"), max_length=500)

    def __init__(
        self, *args: Any, years: list[int], outlook_year: int | None, **kwargs: Any
    ) -> None:
        self.years = years
        self.outlook_year = outlook_year
        super().__init__(*args, **kwargs)

    def customise(self) -> None:
        fields: dict[str, Any] = {"id": self.fields["id"]}
        if self.applicable:
            for year in self.years:
                fields[f"actual_{year}"] = FigureField(label=_("Actual %(year)s") % {"year": year})
                self._bound(fields[f"actual_{year}"])
            if self.outlook_year:
                fields["outlook"] = self.fields["outlook"]
                fields["outlook"].label = _("Outlook %(year)s") % {"year": self.outlook_year}
                self._bound(fields["outlook"])
        fields["note"] = self.fields["note"]
        self.fields = fields

    @staticmethod
    def initial_from_row(row: dict[str, Any]) -> dict[str, Any]:
        initial = {k: row.get(k) or "" for k in ("id", "outlook", "note")}
        for year, value in (row.get("actuals") or {}).items():
            initial[f"actual_{year}"] = value
        return initial

    def can_be_deleted(self) -> bool:
        return False

    @property
    def year_cells(self) -> list[dict[str, Any]]:
        """Per year assessed: the plan's target and the actual's input."""
        targets = self.stored.get("targets") or {}
        return [
            {"year": year, "target": targets.get(str(year), ""), "field": self[f"actual_{year}"]}
            for year in self.years
            if f"actual_{year}" in self.fields
        ]

    @property
    def outlook_target(self) -> str:
        if not self.outlook_year:
            return ""
        return str((self.stored.get("targets") or {}).get(str(self.outlook_year), ""))

    def to_row(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "id": self.row_id,
            "actuals": {str(y): data.get(f"actual_{y}") or "" for y in self.years},
            "outlook": data.get("outlook") or "",
            "note": data.get("note") or "",
        }


class IndicatorResultsForm(TableSectionForm):
    """A stage summary's indicators, one row per indicator of the approved plan, for the
    period the summary reports on (or, set up without one, a year it names)."""

    section_key = INDICATORS
    row_form_class = ResultRowForm

    # Left out of a POST, the year stays what it was. Only for a summary without a period.
    year = forms.TypedChoiceField(
        label=_("Year reported on"), coerce=int, choices=[], required=False, empty_value=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        filing = kwargs["filing"]
        self.plan = plan_content(filing)
        self.period = report_period(filing)
        self.year_value = section_year(kwargs.get("content"), filing)
        super().__init__(*args, **kwargs)
        if self.period is not None:
            del self.fields["year"]
            return
        years = campaign_years(filing) or [default_year(filing)]
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.ChoiceField)
        year_field.choices = [(y, str(y)) for y in years]
        year_field.help_text = _(
            "Targets are those of the plan for this year; save to show another year's targets."
        )
        self.initial["year"] = self.year_value

    @property
    def period_label(self) -> str:
        return self.period.label if self.period is not None else ""

    def rows_from_content(self, content: dict[str, Any]) -> list[dict[str, Any]]:
        return indicator_rows(self.plan, self.year_value, content.get("rows"))

    def row_kwargs(self) -> dict[str, Any]:
        return {"filing": self.filing}

    def posted_rows(self) -> list[dict[str, Any]]:
        return [
            form.to_row()
            for form in self.formset.forms
            if form.row_id is not None and not form.is_deleted
        ]

    def to_content(self) -> dict[str, Any]:
        year = self.cleaned_data.get("year") if "year" in self.fields else None
        return indicators_section(
            self.filing, {"year": str(year or self.year_value), "rows": self.posted_rows()}
        )


class AssessmentResultsForm(IndicatorResultsForm):
    """An assessment report's indicators: the actual of every year assessed against its
    target, and the outlook for the campaign's last year."""

    row_form_class = AssessmentRowForm  # type: ignore[assignment]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        filing = kwargs["filing"]
        self.years = assessed_years(filing)
        self.outlook_year = outlook_year(filing)
        super().__init__(*args, **kwargs)
        self.fields.pop("year", None)
        self.period = None

    def rows_from_content(self, content: dict[str, Any]) -> list[dict[str, Any]]:
        return assessment_rows(self.plan, self.years, self.outlook_year, content.get("rows"))

    def row_kwargs(self) -> dict[str, Any]:
        return {"years": self.years, "outlook_year": self.outlook_year}

    def to_content(self) -> dict[str, Any]:
        return indicators_section(self.filing, {"rows": self.posted_rows()})


# --- Tasks ---------------------------------------------------------------------------------


class TaskStatusRowForm(RowForm):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", "—"), *TaskStatus.choices]
    )
    evidence = PlainTextField(label=_("Evidence"), rows=2, max_length=4000)

    @staticmethod
    def initial_from_row(row: dict[str, Any]) -> dict[str, Any]:
        return {k: row.get(k) or "" for k in ("id", "status", "evidence")}

    def can_be_deleted(self) -> bool:
        return False

    @property
    def area_label(self) -> str:
        return str(dict(ActionArea.choices).get(self.stored.get("area") or "", ""))

    def to_row(self) -> dict[str, Any]:
        return {
            "id": self.row_id,
            "status": self.cleaned_data.get("status") or "",
            "evidence": self.cleaned_data.get("evidence") or "",
        }


class TaskStatusesForm(TableSectionForm):
    section_key = TASKS
    row_form_class = TaskStatusRowForm

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.plan = plan_content(kwargs["filing"])
        super().__init__(*args, **kwargs)

    def rows_from_content(self, content: dict[str, Any]) -> list[dict[str, Any]]:
        return task_rows(self.plan, content.get("rows"))

    def to_content(self) -> dict[str, Any]:
        posted = [form.to_row() for form in self.formset.forms if form.row_id is not None]
        return {"rows": task_rows(self.plan, posted)}


# --- Texts ---------------------------------------------------------------------------------


class ProblemsForm(SectionForm):
    section_key = PROBLEMS

    text = PlainTextField(
        label=_("Problems found"),
        help_text=_("What held progress back, and where the plan's measures fell short."),
    )


class AdjustmentsForm(SectionForm):
    section_key = ADJUSTMENTS

    text = PlainTextField(
        label=_("Adjustments"),
        help_text=_(
            "How measures are being adjusted. To change the plan's targets or tasks, open an "
            "amendment of the plan from this filing's page."
        ),
    )

    def to_content(self) -> dict[str, Any]:
        # The link to the amendment is set by opening it, never typed.
        return {
            "text": self.cleaned_data.get("text") or "",
            "amendment_filing_id": self.content.get("amendment_filing_id"),
        }


class AreaResultsForm(SectionForm):
    section_key = AREAS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for area in ActionArea:
            field = PlainTextField(label=area.label, rows=4)
            field.widget.attrs["class"] = "form-control"
            self.fields[area.value] = field
            self.initial[area.value] = self.content.get(area.value, "")


class MechanismsForm(SectionForm):
    section_key = MECHANISMS

    text = PlainTextField(
        label=_("Long-term mechanisms"),
        help_text=_(
            "The systems and habits that keep value creation going once the campaign ends: "
            "rules adopted, assessment and incentives, who is responsible."
        ),
    )


class ExperienceForm(SectionForm):
    section_key = EXPERIENCE

    text = PlainTextField(
        label=_("Experience"),
        help_text=_("What worked, what others could take from it, and what is still to do."),
    )


# --- Typical cases -------------------------------------------------------------------------


class CaseRowForm(RowForm):
    title = LineField(label=_("Title"), required=True)
    area = forms.ChoiceField(
        label=_("Action area"), required=False, choices=[("", "—"), *ActionArea.choices]
    )
    summary = PlainTextField(label=_("Summary"), rows=3, max_length=4000)

    @staticmethod
    def initial_from_row(row: dict[str, Any]) -> dict[str, Any]:
        return {k: row.get(k) or "" for k in ("id", "title", "area", "summary")}

    def to_row(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "id": self.kept_id(),
            "title": data["title"],
            "area": data["area"],
            "summary": data["summary"],
        }


class CasesForm(TableSectionForm):
    section_key = CASES
    row_form_class = CaseRowForm

    def to_content(self) -> dict[str, Any]:
        return {"rows": super().to_content()["rows"]}
