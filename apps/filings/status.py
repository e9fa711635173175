"""Tells the timeline what state each obligation's filing is in (registered at start-up)."""

from apps.filings.models import Filing
from apps.filings.workflow import State
from apps.timeline.obligations import FilingInfo, ObligationStatus, register_status_source

# While an amendment is drafted or reviewed, the approved version stays in force, so the
# obligation is met: "approved".
_STATUS = {
    State.DRAFT: ObligationStatus.DRAFT,
    State.SUBMITTED: ObligationStatus.SUBMITTED,
    State.UNDER_REVIEW: ObligationStatus.UNDER_REVIEW,
    State.RETURNED: ObligationStatus.RETURNED,
    State.APPROVED: ObligationStatus.APPROVED,
}


def filing_statuses(
    enterprise_ids: list[int], deliverable_ids: list[int]
) -> dict[tuple[int, int], FilingInfo]:
    rows = Filing.objects.filter(
        enterprise_id__in=enterprise_ids, deliverable_id__in=deliverable_ids
    ).values_list("pk", "enterprise_id", "deliverable_id", "state", "approved_version_id",
                  "submitted_at")  # fmt: skip
    result = {}
    for pk, enterprise_id, deliverable_id, state, approved_id, submitted_at in rows:
        status = ObligationStatus.APPROVED if approved_id else _STATUS[State(state)]
        result[(enterprise_id, deliverable_id)] = FilingInfo(
            status=status, filing_id=pk, url=f"/filings/{pk}/", submitted_at=submitted_at
        )
    return result


register_status_source(filing_statuses)
