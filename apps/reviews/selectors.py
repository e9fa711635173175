"""Reads of the review side. Each takes the reading user where what it returns depends on who
reads: internal notes never leave the authority's reviewers."""

from typing import Any

from django.db.models import QuerySet

from apps.enterprises.models import ENTERPRISE_ROLES, Authority
from apps.enterprises.scopes import scope_for
from apps.filings.models import Filing, FilingVersion
from apps.filings.services import filing_roles
from apps.reviews.models import (
    Assignment,
    AuthorityReviewSettings,
    Comment,
    Decision,
    Recommendation,
)
from apps.reviews.rules import review_role


def review_settings_for(authority: Authority) -> AuthorityReviewSettings:
    """The authority's settings; the defaults (unsaved) while it has never changed them."""
    found = AuthorityReviewSettings.objects.filter(authority=authority).first()
    return found or AuthorityReviewSettings(authority=authority)


def comments_for(
    user: Any, filing: Filing, version: FilingVersion | None = None
) -> QuerySet[Comment]:
    """The comments on the filing (or on one of its versions) this user may read: all of them
    for its authority's reviewers; the non-internal ones for its enterprise's members and
    administrators; none for anyone else."""
    comments = Comment.objects.filter(filing=filing).select_related("author", "version")
    if version is not None:
        comments = comments.filter(version=version)
    if review_role(user, filing) is not None:
        return comments
    # Enterprise membership counts here, never a review role held for another authority.
    if filing_roles(user, filing) & set(ENTERPRISE_ROLES) or scope_for(user).is_admin:
        return comments.filter(internal=False)
    return comments.none()


def recommendations_for(user: Any, filing: Filing) -> QuerySet[Recommendation]:
    """Recommendations are advice inside the authority: its reviewers only."""
    recommendations = Recommendation.objects.filter(filing=filing).select_related(
        "reviewer", "version"
    )
    if review_role(user, filing) is None:
        return recommendations.none()
    return recommendations


def decisions_for(filing: Filing) -> QuerySet[Decision]:
    """Decisions, with their reasons and filing numbers, are the enterprise's to read too
    (callers have fetched the filing through ``get_filing_for_user``)."""
    return Decision.objects.filter(filing=filing).select_related("decided_by", "version")


def assignments_for(filing: Filing) -> QuerySet[Assignment]:
    """The filing's current reviewers."""
    return Assignment.objects.active().filter(filing=filing).select_related("reviewer")


def filings_assigned_to(user: Any) -> QuerySet[Filing]:
    """The filings the user is currently assigned to review (within what they may open)."""
    return Filing.objects.for_user(user).filter(
        assignments__reviewer=user, assignments__is_active=True
    )
