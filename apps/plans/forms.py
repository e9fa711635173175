"""One form per section of the plan.

Every section form is built as ``FormClass(data=None, *, content=<the section's dict>,
filing=<Filing>)`` and, once valid, gives the section's new dict with ``.to_content()``.
Table sections hold a formset (prefixed with the section key): a POST with ``add_row`` comes
back with one blank row more and ``wants_more_rows`` set, and must not be saved.

Rows are matched to the stored ones by their ``id``; an id the draft does not hold is never
trusted (the row is new and gets a fresh id), so a tampered POST cannot forge or duplicate
rows, nor remove or rename the core indicators.
"""

from collections.abc import Mapping
from functools import cached_property
from typing import Any, ClassVar, cast

from django import forms
from django.forms.formsets import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from apps.indicators.catalogue import IndicatorSpec
from apps.indicators.judging import band_text
from apps.indicators.models import Requirement
from apps.plans.consistency import Issue, check_indicators
from apps.plans.constants import (
    ACTION_AREA_HELP,
    ASSURANCE,
    BENCHMARKS,
    CUSTOM_DIRECTIONS,
    DIAGNOSIS,
    INDICATORS,
    MAX_ROWS,
    MEASURES,
    TASKS,
    ActionArea,
    BenchmarkLevel,
    Direction,
    Kind,
    unit_label,
)
from apps.plans.content import (
    Concern,
    campaign_years,
    custom_code,
    indicator_rows,
    indicator_specs,
    localised_name,
    new_row_id,
    row_anchor_field,
    row_field_id,
    with_core_fixed,
)
from apps.plans.fields import FigureField, ISODateInput, LineField, PlainTextField
from apps.plans.gaps import Gap, indicator_gap

ADD_ROW = "add_row"


def _style(field: forms.Field, *, small: bool = False) -> None:
    """Bootstrap classes on a widget (widgets are copied per form, so this is local)."""
    widget = field.widget
    if isinstance(widget, forms.HiddenInput):
        return
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select form-select-sm" if small else "form-select"
    else:
        css = "form-control form-control-sm" if small else "form-control"
    widget.attrs["class"] = css


class SectionForm(forms.Form):
    """A section made of plain fields: the content is exactly the cleaned data."""

    section_key: ClassVar[str]
    # Table sections set this when the user asked for another row instead of saving.
    wants_more_rows: bool = False

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        files: Mapping[str, Any] | None = None,
        *,
        content: dict[str, Any] | None,
        filing: Any,
        version: Any = None,
    ) -> None:
        self.content = dict(content or {})
        self.filing = filing
        self.version = version
        super().__init__(
            data,
            files,  # type: ignore[arg-type]
            initial=self.initial_from_content(self.content),
            # The completeness checklist links to #field-<section>-<field>.
            auto_id=f"field-{self.section_key}-%s",
        )
        for field in self.fields.values():
            _style(field)

    def initial_from_content(self, content: dict[str, Any]) -> dict[str, Any]:
        return {name: content.get(name, "") for name in self.base_fields}

    def to_content(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name, "") for name in self.fields}

    def error_count(self) -> int:
        """Fields in error, rows included (for a summary above the form)."""
        return len(self.errors)


class DiagnosisForm(SectionForm):
    section_key = DIAGNOSIS

    key_factors = PlainTextField(
        label=_("Key factors of value creation"),
        help_text=_("What creates value in this enterprise, and where it stands today."),
    )
    shortcomings = PlainTextField(
        label=_("Shortcomings and weak links"),
        help_text=_("Where the enterprise falls short of world-class peers, and why."),
    )


class MeasuresForm(SectionForm):
    section_key = MEASURES

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Fields follow ActionArea so that a new area needs no change here.
        for area in ActionArea:
            self.fields[area.value] = PlainTextField(
                label=area.label, help_text=ACTION_AREA_HELP[area]
            )
            _style(self.fields[area.value])
            self.initial[area.value] = self.content.get(area.value, "")


class AssuranceForm(SectionForm):
    section_key = ASSURANCE

    organisation = PlainTextField(
        label=_("Organisation"),
        help_text=_("Who leads the action, who coordinates it, how progress is followed up."),
    )
    incentives = PlainTextField(
        label=_("Incentives"),
        help_text=_("How results count in performance assessment and pay."),
    )
    constraints = PlainTextField(
        label=_("Constraints"),
        help_text=_("Accountability and supervision (optional)."),
    )


# --- Tables --------------------------------------------------------------------------------


class RowForm(forms.Form):
    """One row of a table. ``row_id`` is the stored row it edits (None for a new row)."""

    # The browser must not block "Add a row" or "Save" over a blank row: rows are checked
    # here, and a blank new row is simply dropped.
    use_required_attribute = False

    id = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        section: str,
        index: int,
        row_id: str | None,
        stored: dict[str, Any] | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.section = section
        self.index = index
        self.row_id = row_id
        self.stored = stored or {}
        self.customise()
        for name, field in self.fields.items():
            _style(field, small=True)
            field.widget.attrs["id"] = row_field_id(section, index, name)

    def customise(self) -> None:
        """Per-row changes to the fields (core indicators lose their identity fields)."""

    @property
    def is_blank_new_row(self) -> bool:
        return self.row_id is None and not self.has_changed()

    @property
    def is_deletable(self) -> bool:
        return "DELETE" in self.fields

    @property
    def is_deleted(self) -> bool:
        return self.is_deletable and bool(self.cleaned_data.get("DELETE"))

    def kept_id(self) -> str:
        return self.row_id or new_row_id()

    @staticmethod
    def initial_from_row(row: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def can_be_deleted(self) -> bool:
        return True

    def to_row(self) -> dict[str, Any]:
        raise NotImplementedError


class RowFormSet(BaseFormSet[RowForm]):
    """Gives each row form its index, its resolved stored row, and the section's extras."""

    def __init__(
        self,
        *args: Any,
        section: str,
        row_ids: list[str | None],
        stored_by_id: dict[str, dict[str, Any]],
        row_kwargs: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self.section = section
        self.row_ids = row_ids
        self.stored_by_id = stored_by_id
        self.row_kwargs = row_kwargs or {}
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        row_id = self.row_ids[index] if index is not None and index < len(self.row_ids) else None
        return {
            **super().get_form_kwargs(index),
            **self.row_kwargs,
            "section": self.section,
            "index": index if index is not None else 0,
            "row_id": row_id,
            "stored": self.stored_by_id.get(row_id) if row_id else None,
        }

    def add_fields(self, form: RowForm, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            if not form.can_be_deleted():
                del form.fields["DELETE"]
            else:
                form.fields["DELETE"].label = _("Delete")
                _style(form.fields["DELETE"], small=True)
                form.fields["DELETE"].widget.attrs["id"] = row_field_id(
                    self.section, form.index, "DELETE"
                )


class TableSectionForm(SectionForm):
    """A section holding one table ``{"rows": [...]}`` edited through a formset."""

    row_form_class: ClassVar[type[RowForm]]

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        files: Mapping[str, Any] | None = None,
        *,
        content: dict[str, Any] | None,
        filing: Any,
        version: Any = None,
    ) -> None:
        super().__init__(data, files, content=content, filing=filing, version=version)
        self.stored_rows = self.rows_from_content(self.content)
        self._extra = 0
        if data is not None and data.get(ADD_ROW):
            self.add_row()
        else:
            self.formset = self._build_formset()

    # Sections override these.
    def rows_from_content(self, content: dict[str, Any]) -> list[dict[str, Any]]:
        return [dict(r) for r in content.get("rows") or [] if isinstance(r, dict) and r.get("id")]

    def finish_rows(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return rows

    def row_kwargs(self) -> dict[str, Any]:
        return {}

    @property
    def prefix_key(self) -> str:
        return self.section_key

    def _total_posted(self) -> int:
        assert self.data is not None
        try:
            total = int(self.data.get(f"{self.prefix_key}-TOTAL_FORMS") or 0)
        except (TypeError, ValueError):
            return 0
        return max(0, min(total, MAX_ROWS + 1))

    def _resolve_ids(self) -> list[str | None]:
        """Which stored row each posted row edits: an id the draft holds, once at most."""
        if not self.is_bound:
            return [r["id"] for r in self.stored_rows]
        known = {r["id"] for r in self.stored_rows}
        seen: set[str] = set()
        resolved: list[str | None] = []
        for i in range(self._total_posted()):
            posted = str(self.data.get(f"{self.prefix_key}-{i}-id") or "")
            if posted in known and posted not in seen:
                seen.add(posted)
                resolved.append(posted)
            else:
                resolved.append(None)
        return resolved

    def _build_formset(self, data: Mapping[str, Any] | None = None) -> RowFormSet:
        row_ids = self._resolve_ids()
        stored_by_id = {r["id"]: r for r in self.stored_rows}
        formset_class: Any = formset_factory(
            self.row_form_class,
            formset=RowFormSet,
            # An empty table shows one blank row, so the checklist's link has a target.
            extra=self._extra + (0 if self.stored_rows else 1),
            can_delete=True,
            max_num=MAX_ROWS,
            absolute_max=MAX_ROWS,
            validate_max=True,
        )
        initial = [
            self.row_form_class.initial_from_row(stored_by_id[rid]) if rid else {}
            for rid in row_ids
        ]
        return cast(
            RowFormSet,
            formset_class(
                data if data is not None else self.data if self.is_bound else None,
                prefix=self.prefix_key,
                initial=initial,
                section=self.section_key,
                row_ids=row_ids,
                stored_by_id=stored_by_id,
                row_kwargs=self.row_kwargs(),
            ),
        )

    def add_row(self) -> None:
        """Show one more blank row (the data typed so far stays); nothing is saved."""
        self.wants_more_rows = True
        if self.is_bound:
            data: Any = cast(Any, self.data).copy()  # a QueryDict's copy is mutable
            total = self._total_posted()
            data[f"{self.prefix_key}-TOTAL_FORMS"] = str(total + 1)
            # The new row carries its fields' defaults (a select's first choice), as the
            # browser will send them: so it counts as blank, not as a row missing its name.
            for name, field in self.row_form_class.base_fields.items():
                if field.initial is not None:
                    data[f"{self.prefix_key}-{total}-{name}"] = str(field.initial)
            self.formset = self._build_formset(data)
        else:
            self._extra += 1
            self.formset = self._build_formset()

    def is_valid(self) -> bool:
        # Both, always: the errors of the rows are shown even when the rest is fine.
        fields_valid = super().is_valid()
        rows_valid = self.formset.is_valid()
        return fields_valid and rows_valid

    def error_count(self) -> int:
        return super().error_count() + self.formset.total_error_count()

    def to_content(self) -> dict[str, Any]:
        rows: list[dict[str, Any]] = []
        for form in self.formset.forms:
            if form.is_blank_new_row or form.is_deleted:
                continue
            rows.append(form.to_row())
        return {**super().to_content(), "rows": self.finish_rows(rows)}


# --- Benchmarks ----------------------------------------------------------------------------


class BenchmarkRowForm(RowForm):
    name = LineField(label=_("Enterprise"), required=True)
    country = LineField(label=_("Country or region"), max_length=100)
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", "—"), *BenchmarkLevel.choices]
    )
    source = LineField(label=_("Source"), max_length=500)

    @staticmethod
    def initial_from_row(row: dict[str, Any]) -> dict[str, Any]:
        return {k: row.get(k, "") for k in ("id", "name", "country", "level", "source")}

    def to_row(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "id": self.kept_id(),
            "name": data["name"],
            "country": data["country"],
            "level": data["level"],
            "source": data["source"],
        }


class BenchmarksForm(TableSectionForm):
    section_key = BENCHMARKS
    row_form_class = BenchmarkRowForm


# --- Indicators ----------------------------------------------------------------------------


class IndicatorRowForm(RowForm):
    name_zh = LineField(label=_("Indicator (Chinese)"), max_length=100)
    name_en = LineField(label=_("Indicator (English)"), max_length=200)
    unit = LineField(label=_("Unit"), max_length=50)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Kind.choices, initial=Kind.AMOUNT, required=False
    )
    direction = forms.ChoiceField(
        label=_("Better when"), choices=CUSTOM_DIRECTIONS, initial=Direction.HIGHER
    )
    # An optional core indicator (for the enterprise's category) may be left out, with why.
    not_applicable = forms.BooleanField(label=_("Does not apply to us"), required=False)
    na_reason = LineField(label=_("Why it does not apply"), max_length=500)
    baseline_year = forms.IntegerField(
        label=_("Baseline year"), required=False, min_value=1990, max_value=2100
    )
    baseline = FigureField(label=_("Baseline"))
    benchmark = FigureField(label=_("Benchmark"))
    benchmark_source = LineField(label=_("Source of the benchmark"), max_length=500)

    IDENTITY = ("name_zh", "name_en", "unit", "kind", "direction")
    LEAVE_OUT = ("not_applicable", "na_reason")

    def __init__(
        self, *args: Any, years: list[int], specs: dict[str, IndicatorSpec], **kwargs: Any
    ) -> None:
        self.years = years
        self.specs = specs
        super().__init__(*args, **kwargs)

    @property
    def core(self) -> IndicatorSpec | None:
        """The campaign's indicator this row is (None for a custom row). Decided by the
        stored row, never by what was posted."""
        if self.stored.get("core"):
            return self.specs.get(self.stored.get("code") or "")
        return None

    @property
    def requirement(self) -> str:
        core = self.core
        return core.requirement if core is not None else Requirement.REQUIRED

    @property
    def is_not_applicable_to_category(self) -> bool:
        """The campaign leaves this indicator out for the enterprise's category: nothing
        to type."""
        return self.requirement == Requirement.NOT_APPLICABLE

    def customise(self) -> None:
        # Target fields sit between the baseline and the benchmark, one per campaign year.
        fields = dict(self.fields)
        ordered = {k: v for k, v in fields.items() if k not in ("benchmark", "benchmark_source")}
        for year in self.years:
            ordered[f"target_{year}"] = FigureField(label=_("Target %(year)s") % {"year": year})
        ordered["benchmark"] = fields["benchmark"]
        ordered["benchmark_source"] = fields["benchmark_source"]
        self.fields = ordered
        core = self.core
        if core is None:
            for name in self.LEAVE_OUT:
                del self.fields[name]
            return
        # Name, unit, kind and direction of a core indicator are the campaign's.
        for name in self.IDENTITY:
            del self.fields[name]
        if core.requirement != Requirement.OPTIONAL:
            for name in self.LEAVE_OUT:
                del self.fields[name]
        else:
            self.fields["na_reason"].widget.attrs["placeholder"] = _("Why it does not apply")
        if core.requirement == Requirement.NOT_APPLICABLE:
            for name in [*self.figure_names, "baseline_year", "benchmark_source"]:
                del self.fields[name]
            return
        # So is the plausible range of its figures.
        for name in self.figure_names:
            field = self.fields[name]
            assert isinstance(field, FigureField)
            field.set_bounds(core.bounds, indicator=core.name, unit=core.unit)

    @property
    def figure_names(self) -> list[str]:
        return ["baseline", *(f"target_{year}" for year in self.years), "benchmark"]

    @staticmethod
    def initial_from_row(row: dict[str, Any]) -> dict[str, Any]:
        initial = {
            k: row.get(k)
            for k in (
                "id", "name_zh", "name_en", "unit", "kind", "direction", "na_reason",
                "baseline_year", "baseline", "benchmark", "benchmark_source",
            )
        }  # fmt: skip
        initial["not_applicable"] = row.get("applicable") is False
        for year, value in (row.get("targets") or {}).items():
            initial[f"target_{year}"] = value
        return initial

    def can_be_deleted(self) -> bool:
        return self.core is None

    # What the editor shows for the row.
    @property
    def display_name(self) -> str:
        return localised_name(self.stored) if self.core is not None else ""

    @property
    def definition(self) -> str:
        core = self.core
        return core.definition if core is not None else ""

    @property
    def band(self) -> str:
        core = self.core
        return band_text(core.row_fields()) if core is not None else ""

    @property
    def unit_label(self) -> str:
        return unit_label(self.core.unit) if self.core is not None else ""

    @property
    def direction_value(self) -> str:
        if self.core is not None:
            return str(self.core.direction)
        return str(self["direction"].value() or Direction.HIGHER)

    @property
    def direction_label(self) -> str:
        return str(Direction(self.direction_value).label)

    @property
    def target_fields(self) -> list[forms.BoundField]:
        return [self[f"target_{year}"] for year in self.years if f"target_{year}" in self.fields]

    @property
    def gap_dom_id(self) -> str:
        """Where the gap fragment goes (``gap-<row id>``; a new row uses its prefix)."""
        return f"gap-{self.row_id or self.prefix}"

    @property
    def gap(self) -> Gap | None:
        """The gap for what the row shows now, typed or stored."""
        if self.is_not_applicable_to_category:
            return None
        core = self.core
        return indicator_gap(
            {
                "baseline": self["baseline"].value(),
                "benchmark": self["benchmark"].value(),
                "direction": self.direction_value,
                "targets": {str(y): self[f"target_{y}"].value() for y in self.years},
                # For the precision the gap is shown with.
                "code": core.code if core else "",
                "core": core is not None,
                "precision": core.precision if core else None,
                "unit": core.unit if core else str(self["unit"].value() or ""),
            }
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.core is None and not (data.get("name_zh") or data.get("name_en")):
            self.add_error("name_zh", _("Name the indicator, or tick Delete."))
        return data

    def to_row(self) -> dict[str, Any]:
        data = self.cleaned_data
        row_id = self.kept_id()
        core = self.core
        row: dict[str, Any] = {
            "id": row_id,
            "baseline_year": data.get("baseline_year"),
            # Figures as FigureField cleaned them: the digits typed, separators out.
            "baseline": data.get("baseline") or "",
            "targets": {str(y): data.get(f"target_{y}") or "" for y in self.years},
            "benchmark": data.get("benchmark") or "",
            "benchmark_source": data.get("benchmark_source", ""),
        }
        if core is not None:
            left_out = bool(data.get("not_applicable"))
            row |= {"applicable": not left_out, "na_reason": data.get("na_reason", "")}
            return with_core_fixed(row, core)
        return {
            **row,
            "code": custom_code(row_id),
            "core": False,
            "name_zh": data.get("name_zh", ""),
            "name_en": data.get("name_en", ""),
            "unit": data.get("unit", ""),
            "kind": data.get("kind") or Kind.AMOUNT.value,
            "direction": str(data.get("direction") or Direction.HIGHER),
        }


class IndicatorsForm(TableSectionForm):
    """The indicator table. Besides each cell's own checks, the consistency rules
    (``apps.plans.constants.CONSISTENCY_RULES``) run over the whole table on save: an error
    (net profit above total profit) stops the save and is shown in its cell; a warning (a
    target below the baseline where higher is better) lets the save through and is listed
    above the table, after the save and whenever the section is opened."""

    section_key = INDICATORS
    row_form_class = IndicatorRowForm

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.years = campaign_years(kwargs["filing"])
        self.specs = indicator_specs(kwargs["filing"])
        self._consistent: bool | None = None
        self._issues: list[Issue] = []
        self._index_by_id: dict[str, int] = {}
        super().__init__(*args, **kwargs)

    def is_valid(self) -> bool:
        if self._consistent is None:
            valid = super().is_valid()
            if valid and not self.wants_more_rows:
                valid = self._check_consistency()
            self._consistent = valid
        return self._consistent

    def _check_consistency(self) -> bool:
        """Run the rules over the rows as they would be saved; put each error in its cell
        (or above the table, for a row the POST did not carry)."""
        posted: list[dict[str, Any]] = []
        forms_by_id: dict[str, RowForm] = {}
        for form in self.formset.forms:
            if form.is_blank_new_row or form.is_deleted:
                continue
            row = form.to_row()
            posted.append(row)
            forms_by_id[row["id"]] = form
        self._index_by_id = {row_id: form.index for row_id, form in forms_by_id.items()}
        self._issues = check_indicators(self.finish_rows(posted))
        consistent = True
        for issue in self._issues:
            if not issue.is_error:
                continue
            consistent = False
            row_form = forms_by_id.get(issue.row_id)
            if row_form is not None and issue.field in row_form.fields:
                row_form.add_error(issue.field, issue.message)
            else:
                self.add_error(None, issue.message)
        return consistent

    @cached_property
    def warnings(self) -> list[Concern]:
        """The warnings of the rows shown: those stored (after a save, the form is built
        again from what was saved) or, for a POST that could not be saved for another
        reason (an edit conflict), those typed."""
        if self.is_bound:
            if not self.is_valid():
                return []
            issues, index_by_id = self._issues, self._index_by_id
        else:
            issues = check_indicators(self.stored_rows)
            index_by_id = {row["id"]: i for i, row in enumerate(self.stored_rows)}
        return [
            Concern(
                INDICATORS,
                row_anchor_field(index_by_id.get(issue.row_id, issue.row), issue.field),
                issue.message,
            )
            for issue in issues
            if not issue.is_error
        ]

    def rows_from_content(self, content: dict[str, Any]) -> list[dict[str, Any]]:
        return indicator_rows(content, self.years, self.specs)

    def finish_rows(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        # Core rows missing from the POST come back as stored; identity and order are fixed.
        sent = {r["id"] for r in rows}
        restored = [r for r in self.stored_rows if r["core"] and r["id"] not in sent]
        return indicator_rows({"rows": rows + restored}, self.years, self.specs)

    def row_kwargs(self) -> dict[str, Any]:
        return {"years": self.years, "specs": {spec.code: spec for spec in self.specs}}


# --- Key tasks -----------------------------------------------------------------------------


class TaskRowForm(RowForm):
    area = forms.ChoiceField(
        label=_("Action area"), required=False, choices=[("", "—"), *ActionArea.choices]
    )
    title = LineField(label=_("Task"), required=True)
    department = LineField(label=_("Responsible department"), max_length=200)
    person = LineField(label=_("Responsible person"), max_length=100)
    start = forms.DateField(label=_("Start"), required=False, widget=ISODateInput())
    due = forms.DateField(label=_("Due"), required=False, widget=ISODateInput())
    result = PlainTextField(label=_("Expected result (measurable)"), rows=2, max_length=2000)

    @staticmethod
    def initial_from_row(row: dict[str, Any]) -> dict[str, Any]:
        return {
            k: row.get(k, "")
            for k in ("id", "area", "title", "department", "person", "start", "due", "result")
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, due = data.get("start"), data.get("due")
        if start and due and due < start:
            self.add_error("due", _("The due date cannot be before the start date."))
        return data

    def to_row(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "id": self.kept_id(),
            "area": data["area"],
            "title": data["title"],
            "department": data["department"],
            "person": data["person"],
            "start": data["start"].isoformat() if data.get("start") else "",
            "due": data["due"].isoformat() if data.get("due") else "",
            "result": data["result"],
        }


class TasksForm(TableSectionForm):
    section_key = TASKS
    row_form_class = TaskRowForm
