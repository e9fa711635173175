"""Registers the implementation plan (实施方案) with the filing workflow."""

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.filings.kinds import FilingKind, Section, register_kind
from apps.plans import forms
from apps.plans.constants import ASSURANCE, BENCHMARKS, DIAGNOSIS, INDICATORS, MEASURES, TASKS
from apps.plans.content import completeness, display_context, initial_content, warnings
from apps.plans.schema import (
    ASSURANCE_FIELDS,
    BENCHMARKS_TABLE,
    DIAGNOSIS_FIELDS,
    INDICATORS_TABLE,
    MEASURES_FIELDS,
    TASKS_TABLE,
)

PLAN = "plan"


def editor_context(section: str, filing: Any) -> dict[str, Any]:
    """The indicator editor's live gap column posts to ``gap_url``."""
    if section != INDICATORS or filing is None or filing.pk is None:
        return {}
    try:
        return {"gap_url": reverse("plans:indicator_gap", kwargs={"pk": filing.pk})}
    except NoReverseMatch:
        # Without the URL the column still shows the gap of what was last saved.
        return {}


def _section(
    key: str, title: Promise, form_class: type, help_text: Promise, **schema: Any
) -> Section:
    return Section.in_templates("plans", key, title, form_class, help_text, **schema)


PLAN_KIND = register_kind(
    FilingKind(
        key=PLAN,
        label=_("Implementation plan"),
        sections=[
            _section(
                DIAGNOSIS,
                _("Value diagnosis"),
                forms.DiagnosisForm,
                _("The key factors of value creation, and the shortcomings and weak links."),
                fields=DIAGNOSIS_FIELDS,
            ),
            _section(
                BENCHMARKS,
                _("Benchmark enterprises"),
                forms.BenchmarksForm,
                _("World-class and industry-advanced enterprises the plan measures itself by."),
                table=BENCHMARKS_TABLE,
            ),
            _section(
                INDICATORS,
                _("Core indicators"),
                forms.IndicatorsForm,
                _("Baseline, yearly targets and benchmark values; the gap is computed."),
                table=INDICATORS_TABLE,
            ),
            _section(
                MEASURES,
                _("Measures under the seven action areas"),
                forms.MeasuresForm,
                _("What the enterprise will do in each of the seven action areas."),
                fields=MEASURES_FIELDS,
            ),
            _section(
                TASKS,
                _("Key tasks"),
                forms.TasksForm,
                _("Each task with its action area, who is responsible, dates and result."),
                table=TASKS_TABLE,
            ),
            _section(
                ASSURANCE,
                _("Assurance measures"),
                forms.AssuranceForm,
                _("Organisation, incentives and constraints."),
                fields=ASSURANCE_FIELDS,
            ),
        ],
        initial_content=initial_content,
        completeness=completeness,
        display_context=display_context,
        editor_context=editor_context,
        warnings=warnings,
    )
)
