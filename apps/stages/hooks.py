"""Follows the workflow: when a stage summary or an assessment report is submitted, its frozen
version's indicator results are written as rows the dashboards can count."""

from apps.filings.services import register_transition_hook
from apps.stages.services import indicator_results_write


@register_transition_hook
def write_indicator_results(filing_id: int, action: str, version_id: int | None) -> None:
    if action != "submit" or version_id is None:
        return
    indicator_results_write(version_id=version_id)
