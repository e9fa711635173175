"""Registers the stage summary (阶段性总结) and the assessment report (总结评估) with the
filing workflow. Nothing else: states, versions, review, packets and reminders are the
generic ones of apps.filings."""

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.filings.kinds import FilingKind, Section, register_kind
from apps.stages import forms
from apps.stages.constants import (
    ADJUSTMENTS,
    AREAS,
    ASSESSMENT_REPORT,
    CASES,
    EXPERIENCE,
    INDICATORS,
    MECHANISMS,
    PROBLEMS,
    STAGE_SUMMARY,
    TASKS,
)
from apps.stages.content import can_start, completeness, initial_content
from apps.stages.schema import (
    ADJUSTMENTS_FIELDS,
    AREAS_FIELDS,
    ASSESSMENT_RESULTS_FIELDS,
    ASSESSMENT_RESULTS_TABLE,
    CASES_TABLE,
    EXPERIENCE_FIELDS,
    MECHANISMS_FIELDS,
    PROBLEMS_FIELDS,
    RESULTS_FIELDS,
    RESULTS_TABLE,
    TASKS_TABLE,
)


def editor_context(section: str, filing: Any) -> dict[str, Any]:
    """The indicator editor's live progress column posts to ``progress_url``."""
    if section != INDICATORS or filing is None or filing.pk is None:
        return {}
    try:
        return {"progress_url": reverse("stages:progress", kwargs={"pk": filing.pk})}
    except NoReverseMatch:
        return {}


def _section(
    key: str, title: Promise, form_class: type, help_text: Promise, **schema: Any
) -> Section:
    return Section.in_templates("stages", key, title, form_class, help_text, **schema)


RESULTS_HELP = _(
    "Identity, baseline, target and benchmark come from the approved plan; enter the actual "
    "value. Progress toward the target is computed."
)

STAGE_SUMMARY_KIND = register_kind(
    FilingKind(
        key=STAGE_SUMMARY,
        label=_("Stage summary"),
        sections=[
            _section(
                INDICATORS,
                _("Indicator results"),
                forms.IndicatorResultsForm,
                RESULTS_HELP,
                fields=RESULTS_FIELDS,
                table=RESULTS_TABLE,
            ),
            _section(
                TASKS,
                _("Key task progress"),
                forms.TaskStatusesForm,
                _("The status of each key task of the plan, with evidence when done or delayed."),
                table=TASKS_TABLE,
            ),
            _section(
                PROBLEMS,
                _("Problems found"),
                forms.ProblemsForm,
                _("What held progress back during the period."),
                fields=PROBLEMS_FIELDS,
            ),
            _section(
                ADJUSTMENTS,
                _("Adjustments"),
                forms.AdjustmentsForm,
                _("Dynamic adjustment of measures, and the plan amendment when one is opened."),
                fields=ADJUSTMENTS_FIELDS,
            ),
        ],
        initial_content=initial_content,
        completeness=completeness,
        editor_context=editor_context,
        can_start=can_start,
        on_record=False,
    )
)

ASSESSMENT_REPORT_KIND = register_kind(
    FilingKind(
        key=ASSESSMENT_REPORT,
        label=_("Assessment report"),
        sections=[
            _section(
                INDICATORS,
                _("Results against targets"),
                forms.AssessmentResultsForm,
                _(
                    "Identity, baseline, targets and benchmark come from the approved plan; "
                    "enter each year's actual value and the outlook for the campaign's last "
                    "year."
                ),
                fields=ASSESSMENT_RESULTS_FIELDS,
                table=ASSESSMENT_RESULTS_TABLE,
            ),
            _section(
                AREAS,
                _("Results per action area"),
                forms.AreaResultsForm,
                _("What was achieved in each of the seven action areas."),
                fields=AREAS_FIELDS,
            ),
            _section(
                EXPERIENCE,
                _("Experience"),
                forms.ExperienceForm,
                _("The experience gained, for the enterprise and for others."),
                fields=EXPERIENCE_FIELDS,
            ),
            _section(
                MECHANISMS,
                _("Long-term mechanisms"),
                forms.MechanismsForm,
                _("What keeps value creation going after the campaign (长效机制)."),
                fields=MECHANISMS_FIELDS,
            ),
            _section(
                CASES,
                _("Typical cases"),
                forms.CasesForm,
                _(
                    "Cases that show value creation at work; a case may be named a benchmarking "
                    "project."
                ),
                table=CASES_TABLE,
            ),
        ],
        initial_content=initial_content,
        completeness=completeness,
        editor_context=editor_context,
        can_start=can_start,
    )
)
