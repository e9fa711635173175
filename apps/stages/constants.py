"""Fixed data of stage summaries and assessment reports: kind keys, section keys, choices."""

from django.db import models
from django.utils.translation import gettext_lazy as _

STAGE_SUMMARY = "stage_summary"
ASSESSMENT_REPORT = "assessment_report"
STAGE_KINDS = (STAGE_SUMMARY, ASSESSMENT_REPORT)

# Section keys. Both kinds keep their indicator results under "indicators", in the same row
# shape, so that IndicatorResult rows and the dashboards read them one way.
INDICATORS = "indicators"
TASKS = "tasks"
PROBLEMS = "problems"
ADJUSTMENTS = "adjustments"
AREAS = "areas"
EXPERIENCE = "experience"
CASES = "cases"
# The notice's 长效机制: what the enterprise keeps doing once the campaign ends.
MECHANISMS = "mechanisms"


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DELAYED = "delayed", _("Delayed")


# A task in one of these states must show its evidence (what was delivered, or why it slipped).
EVIDENCE_REQUIRED = frozenset({TaskStatus.DONE, TaskStatus.DELAYED})


class DesignationKind(models.TextChoices):
    MODEL_ENTERPRISE = "model_enterprise", _("Value-creation model enterprise")
    BENCHMARK_PROJECT = "benchmark_project", _("Benchmarking project")
