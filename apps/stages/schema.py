"""What each stored key of a stage summary and an assessment report means, for the
comparison, the history and the comment targets (see ``apps.filings.kinds.FieldSpec``)."""

from django.utils.translation import gettext_lazy as _

from apps.filings.kinds import FieldSpec, TableSpec, ValueType
from apps.plans.constants import ActionArea, figure_places
from apps.plans.schema import (
    INDICATOR_IDENTITY,
    INDICATOR_IDENTITY_FIELDS,
    figure,
    indicator_label,
)
from apps.stages.constants import TaskStatus

ACTION_AREAS = dict(ActionArea.choices)

RESULTS_FIELDS = (
    FieldSpec("year", _("Year reported on"), ValueType.YEAR),
    # The period the summary reported on, as its deliverable set it at the time.
    FieldSpec("period_start", _("Period starts on"), ValueType.DATE),
    FieldSpec("period_end", _("Period ends on"), ValueType.DATE),
)

ASSESSMENT_RESULTS_FIELDS = (
    FieldSpec("years", _("Years assessed"), internal=True),
    FieldSpec("outlook_year", _("Outlook year"), ValueType.YEAR),
)

RESULTS_TABLE = TableSpec(
    label=_("Indicator"),
    fields=(
        *INDICATOR_IDENTITY_FIELDS,
        figure("baseline", _("Baseline")),
        figure("target", _("Target")),
        figure("benchmark", _("Benchmark")),
        figure("actual", _("Actual")),
        figure("previous", _("Same period last year")),
        # Typed by the enterprise in versions filed before on track was computed.
        FieldSpec("on_track", _("On track"), ValueType.FLAG),
        FieldSpec("note", _("Note")),
    ),
    row_label=indicator_label,
    identity=INDICATOR_IDENTITY,
)  # fmt: skip

ASSESSMENT_RESULTS_TABLE = TableSpec(
    label=_("Indicator"),
    fields=(
        *INDICATOR_IDENTITY_FIELDS,
        figure("baseline", _("Baseline")),
        FieldSpec("targets", _("Targets"), ValueType.BY_YEAR, unit_key="unit",
                  item_label=_("Target %(year)s"), places=figure_places),
        figure("benchmark", _("Benchmark")),
        FieldSpec("actuals", _("Actuals"), ValueType.BY_YEAR, unit_key="unit",
                  item_label=_("Actual %(year)s"), places=figure_places),
        figure("outlook", _("Outlook")),
        FieldSpec("note", _("Note")),
    ),
    row_label=indicator_label,
    identity=INDICATOR_IDENTITY,
)  # fmt: skip

TASKS_TABLE = TableSpec(
    label=_("Key task"),
    fields=(
        FieldSpec("area", _("Action area"), ValueType.CHOICE, choices=ACTION_AREAS),
        FieldSpec("title", _("Task")),
        FieldSpec("due", _("Due"), ValueType.DATE),
        FieldSpec("status", _("Status"), ValueType.CHOICE, choices=dict(TaskStatus.choices)),
        FieldSpec("evidence", _("Evidence"), ValueType.LONG_TEXT),
    ),
    row_label=lambda row: str(row.get("title") or ""),
    identity=("title",),
)

PROBLEMS_FIELDS = (FieldSpec("text", _("Problems found"), ValueType.LONG_TEXT),)

ADJUSTMENTS_FIELDS = (
    FieldSpec("text", _("Adjustments"), ValueType.LONG_TEXT),
    # Set by opening the amendment from the summary, never typed.
    FieldSpec("amendment_filing_id", _("Plan amendment"), ValueType.LINK, internal=True),
)

AREAS_FIELDS = tuple(FieldSpec(area.value, area.label, ValueType.LONG_TEXT) for area in ActionArea)

EXPERIENCE_FIELDS = (FieldSpec("text", _("Experience"), ValueType.LONG_TEXT),)

MECHANISMS_FIELDS = (FieldSpec("text", _("Long-term mechanisms"), ValueType.LONG_TEXT),)

CASES_TABLE = TableSpec(
    label=_("Typical case"),
    fields=(
        FieldSpec("title", _("Title")),
        FieldSpec("area", _("Action area"), ValueType.CHOICE, choices=ACTION_AREAS),
        FieldSpec("summary", _("Summary"), ValueType.LONG_TEXT),
    ),
    row_label=lambda row: str(row.get("title") or ""),
    identity=("title",),
)
