"""Who may score an assessment report, name model enterprises and benchmarking projects, and
open a plan amendment from a stage summary. Review rights are those of apps.reviews: a
member of the filing's own enterprise never reviews it."""

from typing import Any

import rules

from apps.enterprises.models import Role
from apps.enterprises.scopes import scope_for
from apps.filings.workflow import State
from apps.reviews.rules import review_role
from apps.stages.constants import ASSESSMENT_REPORT, STAGE_SUMMARY

SCORABLE_STATES = frozenset({State.SUBMITTED, State.UNDER_REVIEW})


@rules.predicate
def can_score(user: Any, filing: Any) -> bool:
    """A reviewer or lead reviewer of the enterprise's authority."""
    return filing.kind == ASSESSMENT_REPORT and review_role(user, filing) is not None


@rules.predicate
def can_designate(user: Any, filing: Any) -> bool:
    """The lead reviewer of the enterprise's authority."""
    return filing.kind == ASSESSMENT_REPORT and review_role(user, filing) == Role.LEAD_REVIEWER


@rules.predicate
def can_open_amendment(user: Any, filing: Any) -> bool:
    return (
        filing.kind == STAGE_SUMMARY
        and scope_for(user).enterprise_role(filing.enterprise_id) == Role.LEAD
    )


rules.add_perm("stages.score", can_score)
rules.add_perm("stages.designate", can_designate)
rules.add_perm("stages.open_amendment", can_open_amendment)
