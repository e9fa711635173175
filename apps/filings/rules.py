"""Who may do what to a filing. Transitions are governed by workflow.TRANSITIONS; these are
the reading and editing rights around them."""

from typing import Any

import rules

from apps.enterprises.models import Role
from apps.enterprises.rules import is_enterprise_member
from apps.enterprises.scopes import scope_for
from apps.filings.models import Filing
from apps.filings.workflow import EDITABLE_STATES


@rules.predicate
def is_filing_member(user: Any, filing: Any) -> bool:
    return scope_for(user).enterprise_role(filing.enterprise_id) is not None


@rules.predicate
def is_filing_lead(user: Any, filing: Any) -> bool:
    return scope_for(user).enterprise_role(filing.enterprise_id) == Role.LEAD


@rules.predicate
def is_filing_reviewer(user: Any, filing: Any) -> bool:
    """Reviewer of the body that reviews it (its group or its authority), once the filing
    has been submitted; or of the authority above a group, reading what the group accepted
    from its subsidiary (per the group's policy: Filing.objects.for_user says which)."""
    if filing.first_submitted_at is None:
        return False
    scope = scope_for(user)
    if scope.is_admin or scope.review_role(filing) is not None:
        return True
    if filing.reviewing_group_id and scope.authority_role(filing.enterprise.authority_id):
        return Filing.objects.for_user(user).filter(pk=filing.pk).exists()
    return False


@rules.predicate
def has_open_draft(user: Any, filing: Any) -> bool:
    return filing.state in EDITABLE_STATES and filing.draft_id is not None


rules.add_perm("filings.start_filing", is_enterprise_member)
rules.add_perm("filings.view_filing", is_filing_member | is_filing_reviewer)
rules.add_perm("filings.edit_draft", is_filing_member & has_open_draft)
rules.add_perm("filings.view_drafts", is_filing_member)
