from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404

from apps.enterprises.scopes import scope_for
from apps.filings.models import Attachment, Filing, FilingVersion
from apps.filings.workflow import State


def get_filing_for_user(user: Any, pk: int, *, perm: str | None = None) -> Filing:
    """The filing, or 404 for anyone outside its enterprise or supervising authority (and
    for reviewers while it has never been submitted), and, with ``perm``, for anyone who
    may see it but not do that to it: a refusal reveals no more than a missing filing."""
    filing = get_object_or_404(
        Filing.objects.for_user(user).select_related(
            "enterprise__authority", "deliverable__campaign", "deliverable__stage"
        ),
        pk=pk,
    )
    if perm is not None and not user.has_perm(perm, filing):
        raise Http404
    return filing


def visible_versions(user: Any, filing: Filing) -> "Any":
    """Enterprise members see every version, the open draft included; reviewers only the
    frozen (submitted) ones."""
    versions = filing.versions.select_related("created_by", "submitted_by").order_by("number")
    if scope_for(user).enterprise_role(filing.enterprise_id) is None:
        versions = versions.frozen()
    return versions


# The states in which a submitted version awaits, or has just had, the authority's word.
REVIEW_STATES = frozenset({State.SUBMITTED, State.UNDER_REVIEW, State.RETURNED})


def version_in_question(user: Any, filing: Filing) -> FilingVersion | None:
    """The version the filing page is about for this user: its content, number and
    fingerprint are what the page shows, and its review panel comments on.

    - The enterprise's members: their open draft while there is one (what they are working
      on), else the latest submitted version.
    - Everyone else (reviewers, administrators), who never read drafts: while the filing is
      submitted, under review or returned, the latest submitted version (the one the review
      is about, or was about when it was returned); otherwise, with no review under way
      (approved, an amendment being drafted, a submission withdrawn), the version in force,
      or, with none, the latest submitted.

    The version in force (``filing.approved_version``) may be another one; the page names it
    separately, never under this version's heading.
    """
    if scope_for(user).enterprise_role(filing.enterprise_id) is not None:
        return filing.draft if filing.draft_id else filing.latest_submitted
    if filing.state in REVIEW_STATES:
        return filing.latest_submitted
    return filing.approved_version or filing.latest_submitted


def version_standing(filing: Filing, version: FilingVersion) -> str:
    """Where ``version`` stands in the filing's life, for its heading: "draft", "in_force",
    "submitted", "under_review", "returned", "withdrawn" or "superseded"."""
    if not version.is_frozen:
        return "draft"
    if version.pk == filing.approved_version_id:
        return "in_force"
    if version.pk == filing.latest_submitted_id:
        if filing.state in REVIEW_STATES:
            return str(filing.state)
        if filing.state == State.DRAFT:
            return "withdrawn"
    return "superseded"


def get_version_for_user(user: Any, filing: Filing, number: int) -> FilingVersion:
    return get_object_or_404(visible_versions(user, filing), number=number)


def get_attachment_for_user(user: Any, filing: Filing, pk: int) -> Attachment:
    """An attachment of a filing the user may see; a reviewer only one listed in a submitted
    version."""
    attachment = get_object_or_404(Attachment, filing=filing, pk=pk)
    if scope_for(user).enterprise_role(filing.enterprise_id) is not None:
        return attachment
    for content in visible_versions(user, filing).values_list("content", flat=True):
        if any(a.get("id") == attachment.pk for a in content.get("_attachments", [])):
            return attachment
    raise Http404


def reviewer_memberships(filing: Filing) -> "Any":
    """The memberships of the people who review ``filing`` for the body that reviews it:
    its group headquarters' group reviewers, or its authority's reviewers (for assigning,
    and for telling them it was submitted)."""
    from apps.enterprises.models import AUTHORITY_ROLES, GROUP_ROLES, Membership

    memberships = Membership.objects.active()
    if filing.reviewing_group_id:
        return memberships.filter(enterprise_id=filing.reviewing_group_id, role__in=GROUP_ROLES)
    return memberships.filter(authority_id=filing.enterprise.authority_id, role__in=AUTHORITY_ROLES)
