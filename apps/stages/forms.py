"""One form per section of a stage summary or an assessment report.

The same contract as the plan's forms (``FormClass(data=None, *, content=..., filing=...)``
and ``.to_content()``), built on the plan's table machinery. Rows of indicators and tasks
come from the approved plan and are matched by id: a POST can fill in what happened, never
add, remove or rename an indicator or a task, nor change a baseline or a target.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

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
    PROBLEMS,
    TASKS,
    TaskStatus,
)
from apps.stages.content import (
    default_year,
    expected_share,
    indicator_rows,
    plan_content,
    progress,
    progress_percent,
    section_year,
    suggest_on_track,
    task_rows,
)

ON_TRACK_CHOICES = [("", "—"), ("yes", _("On track")), ("no", _("Behind"))]


def on_track_value(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def on_track_from(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


# --- Indicators ----------------------------------------------------------------------------


class ResultRowForm(RowForm):
    """What happened to one indicator of the plan: the actual value, the enterprise's
    on-track flag and a note."""

    actual = FigureField(label=_("Actual"))
    on_track = forms.ChoiceField(label=_("On track"), required=False, choices=ON_TRACK_CHOICES)
    note = LineField(label=_("Note"), max_length=500)

    def __init__(self, *args: Any, share: Any, **kwargs: Any) -> None:
        self.share = share
        super().__init__(*args, **kwargs)

    def customise(self) -> None:
        # What happened is refused outside the indicator's plausible range, as the plan is.
        field = self.fields["actual"]
        assert isinstance(field, FigureField)
        field.set_bounds(
            figure_bounds(self.stored),
            indicator=localised_name(self.stored),
            unit=str(self.stored.get("unit") or ""),
        )

    @staticmethod
    def initial_from_row(row: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": row.get("id"),
            "actual": row.get("actual") or "",
            "on_track": on_track_value(row.get("on_track")),
            "note": row.get("note") or "",
        }

    def can_be_deleted(self) -> bool:
        return False  # the plan decides which indicators there are

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
    def progress_dom_id(self) -> str:
        return f"progress-{self.row_id or self.prefix}"

    @property
    def progress(self) -> Any:
        return progress({**self.stored, "actual": self["actual"].value()})

    @property
    def progress_percent(self) -> str:
        return progress_percent(self.progress)

    @property
    def suggested(self) -> bool | None:
        return suggest_on_track(self.progress, self.share)

    def to_row(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "id": self.row_id,
            "actual": data.get("actual") or "",
            "on_track": on_track_from(data.get("on_track") or ""),
            "note": data.get("note") or "",
        }


class IndicatorResultsForm(TableSectionForm):
    """The indicators section of both kinds: the year reported on, and one row per indicator
    of the approved plan."""

    section_key = INDICATORS
    row_form_class = ResultRowForm

    # Left out of a POST, the year stays what it was.
    year = forms.TypedChoiceField(
        label=_("Year reported on"), coerce=int, choices=[], required=False, empty_value=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        filing = kwargs["filing"]
        self.plan = plan_content(filing)
        self.year_value = section_year(kwargs.get("content"), filing)
        self.share = expected_share(filing, self.year_value)
        super().__init__(*args, **kwargs)
        years = campaign_years(filing) or [default_year(filing)]
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.ChoiceField)
        year_field.choices = [(y, str(y)) for y in years]
        year_field.help_text = _(
            "Targets are those of the plan for this year; save to show another year's targets."
        )
        self.initial["year"] = self.year_value

    def rows_from_content(self, content: dict[str, Any]) -> list[dict[str, Any]]:
        return indicator_rows(self.plan, self.year_value, content.get("rows"))

    def row_kwargs(self) -> dict[str, Any]:
        return {"share": self.share}

    def to_content(self) -> dict[str, Any]:
        year = int(self.cleaned_data.get("year") or self.year_value)
        share = expected_share(self.filing, year)
        posted = [
            form.to_row()
            for form in self.formset.forms
            if form.row_id is not None and not form.is_deleted
        ]
        rows = indicator_rows(self.plan, year, posted)
        for row in rows:
            # The enterprise's flag wins; left open, it takes the computed suggestion.
            if row["on_track"] is None:
                row["on_track"] = suggest_on_track(progress(row), share)
        return {"year": str(year), "rows": rows}


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
