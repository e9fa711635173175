"""Who may nominate, apply, score, propose, publish a notice, record and resolve objections,
and designate. One place for views, templates and services.

Rights come from an authority membership and count only toward the enterprises that
authority supervises; a member of the nominated enterprise never judges it (as in
apps.reviews.rules). The step rights follow apps.nominations.workflow.
"""

from typing import Any

import rules

from apps.enterprises.models import Role
from apps.enterprises.scopes import scope_for
from apps.nominations.workflow import REVIEWERS, Source, Step, allows
from apps.reviews.rules import review_role
from apps.stages.constants import ASSESSMENT_REPORT


def nomination_role(user: Any, nomination: Any) -> str | None:
    """``Role.REVIEWER`` or ``Role.LEAD_REVIEWER`` if the user judges this nomination for
    its authority, else None."""
    scope = scope_for(user)
    if scope.enterprise_role(nomination.enterprise_id) is not None:
        return None
    return scope.authority_role(nomination.authority_id)


def _filed_report(filing: Any) -> bool:
    return filing.kind == ASSESSMENT_REPORT and filing.approved_version_id is not None


@rules.predicate
def can_nominate(user: Any, filing: Any) -> bool:
    """A reviewer or lead reviewer of the enterprise's authority, on a filed assessment
    report."""
    return _filed_report(filing) and review_role(user, filing) in REVIEWERS


@rules.predicate
def can_apply(user: Any, filing: Any) -> bool:
    """The enterprise's filing officer, on its own filed assessment report."""
    return _filed_report(filing) and (
        scope_for(user).enterprise_role(filing.enterprise_id) == Role.LEAD
    )


@rules.predicate
def can_view(user: Any, nomination: Any) -> bool:
    """The authority's reviewers; the enterprise's members, for their own application."""
    if nomination_role(user, nomination) is not None:
        return True
    return (
        nomination.source == Source.APPLICATION
        and scope_for(user).enterprise_role(nomination.enterprise_id) is not None
    )


@rules.predicate
def is_judge(user: Any, nomination: Any) -> bool:
    """Sees the reviewers' side of the nomination: scores, objections, history."""
    return nomination_role(user, nomination) is not None


def _step(step: Step) -> Any:
    @rules.predicate(name=f"nominations.{step.value}")
    def predicate(user: Any, nomination: Any) -> bool:
        return allows(step, nomination.status, nomination_role(user, nomination))

    return predicate


@rules.predicate
def reviews_for(user: Any, authority: Any) -> bool:
    """A reviewer or lead reviewer of this authority (object: an Authority)."""
    return scope_for(user).authority_role(authority.pk) is not None


@rules.predicate
def leads_for(user: Any, authority: Any) -> bool:
    """The lead reviewer of this authority (object: an Authority)."""
    return scope_for(user).authority_role(authority.pk) == Role.LEAD_REVIEWER


@rules.predicate
def manages_notice(user: Any, notice: Any) -> bool:
    """A reviewer of the notice's authority sees how its proposals stand."""
    return scope_for(user).authority_role(notice.authority_id) is not None


@rules.predicate
def leads_notice(user: Any, notice: Any) -> bool:
    return scope_for(user).authority_role(notice.authority_id) == Role.LEAD_REVIEWER


# Object: a Filing.
rules.add_perm("nominations.nominate", can_nominate)
rules.add_perm("nominations.apply", can_apply)
# Object: a Nomination.
rules.add_perm("nominations.view", can_view)
rules.add_perm("nominations.judge", is_judge)
for _s in Step:
    rules.add_perm(f"nominations.{_s.value}", _step(_s))
# Object: an Authority.
rules.add_perm("nominations.list", reviews_for)
rules.add_perm("nominations.publish_notice", leads_for)
# Object: a PublicNotice.
rules.add_perm("nominations.manage_notice", manages_notice)
rules.add_perm("nominations.designate_notice", leads_notice)
