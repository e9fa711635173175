"""Who may review what. One place for views, templates and the services alike.

Review rights come from an authority membership and count only toward filings of the
enterprises that authority supervises. Someone who also belongs to the filing's own
enterprise gets no review rights on it: nobody reviews their own enterprise's filing, or
reads the reviewers' internal notes about it.
"""

from typing import Any

import rules

from apps.enterprises.models import ENTERPRISE_ROLES, Role
from apps.enterprises.rules import is_admin, is_lead_reviewer
from apps.filings.models import Filing
from apps.filings.services import filing_roles


def review_role(user: Any, filing: Filing) -> str | None:
    """``Role.REVIEWER`` or ``Role.LEAD_REVIEWER`` if the user reviews this filing for its
    supervising authority, else None."""
    roles = filing_roles(user, filing)
    if roles & set(ENTERPRISE_ROLES):
        return None
    if Role.LEAD_REVIEWER in roles:
        return Role.LEAD_REVIEWER
    if Role.REVIEWER in roles:
        return Role.REVIEWER
    return None


@rules.predicate
def is_filing_reviewer(user: Any, filing: Filing) -> bool:
    """Reviewer or lead reviewer of the filing's authority."""
    return review_role(user, filing) is not None


@rules.predicate
def is_filing_lead_reviewer(user: Any, filing: Filing) -> bool:
    return review_role(user, filing) == Role.LEAD_REVIEWER


@rules.predicate
def was_submitted(user: Any, filing: Filing) -> bool:
    """Reviewers never work on a filing before its first submission (they cannot open it)."""
    return filing.first_submitted_at is not None


rules.add_perm("reviews.assign", is_filing_lead_reviewer & was_submitted)
rules.add_perm("reviews.comment", is_filing_reviewer & was_submitted)
rules.add_perm("reviews.recommend", is_filing_reviewer & was_submitted)
rules.add_perm("reviews.decide", is_filing_lead_reviewer)
rules.add_perm("reviews.view_internal", is_filing_reviewer)
# Object: an Authority.
rules.add_perm("reviews.change_settings", is_admin | is_lead_reviewer)
