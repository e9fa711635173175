"""Writes of the review side: assignments, comments, recommendations, decisions.

Every write records a filing event and an audit row in its own transaction. Refusals raise
``NotAllowed`` (who), ``IllegalTransition`` (when) or ``ValidationError`` (what), before
anything is written.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_log
from apps.core.i18n import in_both_languages
from apps.enterprises.models import Authority
from apps.filings.describe import anchor_label, section_title
from apps.filings.kinds import FieldSpec, FilingKind, get_kind
from apps.filings.models import Filing, FilingEvent, FilingVersion
from apps.filings.services import IllegalTransition, NotAllowed, filing_transition
from apps.filings.workflow import State
from apps.reviews.models import (
    Assignment,
    AuthorityReviewSettings,
    Comment,
    Decision,
    FilingNumberSequence,
    Outcome,
    Recommendation,
)
from apps.reviews.rules import (
    is_filing_lead_reviewer,
    is_filing_reviewer,
    review_role,
    was_submitted,
)
from apps.reviews.selectors import review_settings_for
from apps.timeline.models import Campaign


def _lock_filing(filing: Filing) -> Filing:
    """The filing, row-locked for the rest of the transaction: review writes on one filing
    happen one at a time, in the same order as the workflow's own lock."""
    return (
        Filing.objects.select_for_update(of=("self",))
        .select_related("enterprise__authority", "deliverable__campaign")
        .get(pk=filing.pk)
    )


def _record(
    filing: Filing,
    *,
    action: str,
    actor: Any,
    target: Any,
    data: dict[str, Any],
    internal: bool,
    ip_address: str | None,
    version: FilingVersion | None = None,
) -> None:
    """The filing's history row and the audit row of one review write."""
    FilingEvent.objects.create(
        filing=filing,
        version=version,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        data=data,
        internal=internal,
        ip_address=ip_address,
    )
    audit_log(
        actor=actor,
        action=f"review.{action}",
        target=target,
        data={"filing": filing.pk, **data},
        ip_address=ip_address,
    )


# --- Settings ------------------------------------------------------------------------------


@transaction.atomic
def review_settings_update(
    *,
    authority: Authority,
    reviewers_may_self_assign: bool,
    actor: Any,
    ip_address: str | None = None,
) -> AuthorityReviewSettings:
    """Change how the authority organises reviews: its lead reviewer or an administrator."""
    if not actor.has_perm("reviews.change_settings", authority):
        raise NotAllowed(_("Only the authority's lead reviewer can change its review settings."))
    found, _created = AuthorityReviewSettings.objects.select_for_update().get_or_create(
        authority=authority
    )
    before = found.reviewers_may_self_assign
    found.reviewers_may_self_assign = reviewers_may_self_assign
    found.full_clean()
    found.save()
    audit_log(
        actor=actor,
        action="review.settings",
        target=found,
        data={"reviewers_may_self_assign": [before, reviewers_may_self_assign]},
        ip_address=ip_address,
    )
    return found


# --- Assignments ---------------------------------------------------------------------------


def _check_reviewers(filing: Filing, reviewers: list[Any]) -> None:
    if not reviewers:
        raise ValidationError({"reviewers": _("Choose at least one reviewer.")})
    outsiders = [r for r in reviewers if review_role(r, filing) is None]
    if outsiders:
        raise ValidationError(
            {
                "reviewers": _(
                    "%(names)s cannot review this filing: not a reviewer of %(authority)s."
                )
                % {
                    "names": ", ".join(r.full_name or r.email for r in outsiders),
                    "authority": filing.enterprise.authority,
                }
            }
        )


# Called after commit with (filing id, reviewer id, assigned by id) for each new assignment:
# notifications hang off it, registered by their app, so this module never imports it.
AssignmentHook = Callable[[int, int, int | None], None]
_assignment_hooks: list[AssignmentHook] = []


def register_assignment_hook(hook: AssignmentHook) -> AssignmentHook:
    if hook not in _assignment_hooks:
        _assignment_hooks.append(hook)
    return hook


def _assign(
    filing: Filing, reviewer: Any, *, actor: Any, ip_address: str | None, self_assigned: bool
) -> Assignment:
    assignment = Assignment(filing=filing, reviewer=reviewer, assigned_by=actor)
    assignment.full_clean()
    assignment.save()
    data: dict[str, Any] = {"reviewer": reviewer.pk, "reviewer_name": reviewer.full_name}
    if self_assigned:
        data["self"] = True
    _record(filing, action="assign", actor=actor, target=assignment, data=data, internal=True,
            ip_address=ip_address)  # fmt: skip
    actor_id = getattr(actor, "pk", None)
    for hook in _assignment_hooks:
        transaction.on_commit(
            lambda hook=hook: hook(filing.pk, reviewer.pk, actor_id)  # type: ignore[misc]
        )
    return assignment


@transaction.atomic
def assignment_create(
    *, filing: Filing, reviewers: list[Any], actor: Any, ip_address: str | None = None
) -> list[Assignment]:
    """Assign reviewers of the filing's authority to it (the lead reviewer only). Each
    reviewer is assigned once: asking again returns the existing assignment, writing
    nothing. One reviewer who may not review the filing refuses the whole request."""
    filing = _lock_filing(filing)
    if not is_filing_lead_reviewer(actor, filing):
        raise NotAllowed(_("Only the lead reviewer of the filing's authority can assign it."))
    if not was_submitted(actor, filing):
        raise NotAllowed(_("A filing can be assigned once it has been submitted."))
    unique = list({r.pk: r for r in reviewers}.values())
    _check_reviewers(filing, unique)
    current = {a.reviewer_id: a for a in Assignment.objects.active().filter(filing=filing)}
    return [
        current.get(reviewer.pk)
        or _assign(filing, reviewer, actor=actor, ip_address=ip_address, self_assigned=False)
        for reviewer in unique
    ]


@transaction.atomic
def assignments_bulk(
    *,
    filings: Iterable[Filing],
    reviewers: list[Any],
    actor: Any,
    ip_address: str | None = None,
) -> list[Assignment]:
    """Assign the same reviewers to many filings: all of them or, on any refusal, none."""
    # Lock in id order, so that two bulk assignments over overlapping filings cannot deadlock.
    ordered = sorted({f.pk: f for f in filings}.values(), key=lambda f: f.pk)
    if not ordered:
        raise ValidationError({"filings": _("Choose at least one filing.")})
    assignments: list[Assignment] = []
    for filing in ordered:
        assignments += assignment_create(
            filing=filing, reviewers=reviewers, actor=actor, ip_address=ip_address
        )
    return assignments


@transaction.atomic
def assignment_self(*, filing: Filing, actor: Any, ip_address: str | None = None) -> Assignment:
    """A reviewer takes an unassigned filing, where the authority allows it."""
    filing = _lock_filing(filing)  # two reviewers taking the same filing: one wins
    if not (is_filing_reviewer(actor, filing) and was_submitted(actor, filing)):
        raise NotAllowed(_("Only reviewers of the filing's authority can take it."))
    if not review_settings_for(filing.enterprise.authority).reviewers_may_self_assign:
        raise NotAllowed(
            _("Your authority's lead reviewer assigns filings; ask them to assign this one.")
        )
    if Assignment.objects.active().filter(filing=filing).exists():
        raise NotAllowed(_("This filing is already assigned."))
    return _assign(filing, actor, actor=actor, ip_address=ip_address, self_assigned=True)


@transaction.atomic
def assignment_remove(
    *, filing: Filing, reviewer: Any, actor: Any, ip_address: str | None = None
) -> bool:
    """Take a reviewer off the filing (the lead reviewer only). False if they were not on it."""
    filing = _lock_filing(filing)
    if not is_filing_lead_reviewer(actor, filing):
        raise NotAllowed(
            _("Only the lead reviewer of the filing's authority can change its reviewers.")
        )
    assignment = Assignment.objects.active().filter(filing=filing, reviewer=reviewer).first()
    if assignment is None:
        return False
    assignment.is_active = False
    assignment.removed_by = actor
    assignment.removed_at = timezone.now()
    assignment.save(update_fields=["is_active", "removed_by", "removed_at"])
    _record(filing, action="unassign", actor=actor, target=assignment,
            data={"reviewer": reviewer.pk, "reviewer_name": reviewer.full_name}, internal=True,
            ip_address=ip_address)  # fmt: skip
    return True


# --- Comments ------------------------------------------------------------------------------


def validate_anchor(
    kind: FilingKind | None,
    content: dict[str, Any],
    *,
    section: str,
    field: str = "",
    row_id: str = "",
) -> None:
    """Refuse an anchor that points at nothing a person can see in the version: the whole
    filing (no section), a section the kind declares and the version has, one of that
    section's fields, one row of its table (``content[section][table.key]``, "rows" unless
    the kind says otherwise, by the row's ``id``), or one field of that row. Where the kind
    declares a section's fields, only those (and not its bookkeeping) can be commented on.
    The refusal names things as the page does ("核心指标 · 资产负债率"), never by their keys."""
    if not section:
        if field or row_id:
            raise ValidationError({"section": _("Name the section the field or row is in.")})
        return
    spec = kind.section(section) if kind is not None else None
    data = content.get(section)
    if (kind is not None and spec is None) or not isinstance(data, dict):
        if spec is None:
            raise ValidationError(
                {"section": _("This version has no such section: choose what the comment is "
                              "about from the list.")}
            )  # fmt: skip
        raise ValidationError(
            {"section": _("This version has no section “%(section)s”.")
             % {"section": section_title(kind, section)}}
        )  # fmt: skip
    fields: tuple[FieldSpec, ...] = spec.fields if spec is not None else ()
    if row_id:
        table_key = spec.table.key if spec is not None and spec.table is not None else "rows"
        rows = data.get(table_key)
        row = next(
            (r for r in rows if isinstance(r, dict) and str(r.get("id")) == row_id), None
        ) if isinstance(rows, list) else None  # fmt: skip
        if row is None:
            raise ValidationError(
                {"row_id": _("“%(section)s” has no such row in this version: it may have been "
                             "removed.") % {"section": section_title(kind, section)}}
            )  # fmt: skip
        data = row
        fields = spec.table.fields if spec is not None and spec.table is not None else ()
    if not field:
        return
    declared = next((f for f in fields if f.key == field), None)
    if field not in data or (fields and (declared is None or declared.internal)):
        where = anchor_label(kind, content, section=section, row_id=row_id)
        if declared is not None and not declared.internal:
            raise ValidationError(
                {"field": _("“%(where)s” has no “%(field)s” in this version.")
                 % {"where": where, "field": declared.label}}
            )  # fmt: skip
        raise ValidationError(
            {"field": _("“%(where)s” has no such item to comment on.") % {"where": where}}
        )


@transaction.atomic
def comment_add(
    *,
    filing: Filing,
    version: FilingVersion,
    author: Any,
    body: str,
    internal: bool,
    section: str = "",
    field: str = "",
    row_id: str = "",
    ip_address: str | None = None,
) -> Comment:
    """Comment on a submitted version, generally or at an anchor in its content. Only the
    filing authority's reviewers comment; ``internal`` comments stay among them."""
    filing = _lock_filing(filing)
    if not (is_filing_reviewer(author, filing) and was_submitted(author, filing)):
        raise NotAllowed(_("Only reviewers of the filing's authority can comment on it."))
    if version.filing_id != filing.pk:
        raise ValidationError({"version": _("This version belongs to another filing.")})
    if not version.is_frozen:
        raise ValidationError({"version": _("Only a submitted version can be commented on.")})
    if not body.strip():
        raise ValidationError({"body": _("Write the comment.")})
    section, field, row_id = section.strip(), field.strip(), row_id.strip()
    try:
        kind: FilingKind | None = get_kind(filing.kind)
    except LookupError:
        kind = None
    validate_anchor(kind, version.content, section=section, field=field, row_id=row_id)
    comment = Comment(
        filing=filing,
        version=version,
        author=author,
        body=body.strip(),
        section=section,
        field=field,
        row_id=row_id,
        internal=internal,
    )
    comment.full_clean()
    comment.save()
    # What it is about, worded in both languages: the audit trail is read in either.
    about = in_both_languages(lambda: comment.about)
    _record(filing, action="comment", actor=author, target=comment, version=version,
            data={"comment": comment.pk, "anchor": about}, internal=internal,
            ip_address=ip_address)  # fmt: skip
    return comment


# --- Recommendations -----------------------------------------------------------------------


@transaction.atomic
def recommendation_make(
    *,
    filing: Filing,
    outcome: str,
    reasoning: str,
    actor: Any,
    ip_address: str | None = None,
) -> Recommendation:
    """A reviewer proposes to approve or return the version under review. There is no
    update: a change of mind is a new recommendation."""
    filing = _lock_filing(filing)
    if not (is_filing_reviewer(actor, filing) and was_submitted(actor, filing)):
        raise NotAllowed(_("Only reviewers of the filing's authority can recommend."))
    if filing.state != State.UNDER_REVIEW or filing.latest_submitted is None:
        raise IllegalTransition(_("A recommendation is made while the filing is under review."))
    recommendation = Recommendation(
        filing=filing,
        version=filing.latest_submitted,
        reviewer=actor,
        outcome=outcome,
        reasoning=reasoning.strip(),
    )
    recommendation.full_clean()
    recommendation.save()
    # Internal: the enterprise hears the decision, not the advice behind it.
    _record(filing, action="recommend", actor=actor, target=recommendation,
            version=recommendation.version,
            data={"recommendation": recommendation.pk, "outcome": outcome}, internal=True,
            ip_address=ip_address)  # fmt: skip
    return recommendation


# --- Decisions -----------------------------------------------------------------------------


def format_filing_number(campaign: Campaign, authority: Authority, number: int) -> str:
    """``VC2023-SASAC-0012``, ``VC2023-11-0007`` by default: the campaign's pattern (or the
    authority's own), with the authority's code as it is (``SASAC``, ``XPCC`` or the GB/T
    2260 digits)."""
    pattern = campaign.filing_number_pattern_for(authority.code)
    return pattern.format(campaign=campaign.code, authority=authority.code, seq=number)


def _filing_number_for(filing: Filing) -> str:
    """A filing's first approval takes the next number of its campaign and authority; each
    approved amendment keeps that number with its change number (``VC2023-SASAC-0007-1``,
    ``-2``), so one number names the plan across its amendments. Only a first approval
    advances the sequence."""
    earlier = (
        Decision.objects.filter(filing=filing, outcome=Outcome.APPROVE, filing_number__isnull=False)
        .order_by("created_at", "pk")
        .values_list("filing_number", flat=True)
    )
    first = earlier.first()
    if first is None:
        return _next_filing_number(filing.deliverable.campaign, filing.enterprise.authority)
    return f"{first}-{earlier.count()}"


def _next_filing_number(campaign: Campaign, authority: Authority) -> str:
    """Take the next number of the campaign and authority. The sequence row stays locked
    until the approving transaction ends, so concurrent approvals queue here; a rolled-back
    approval gives its number back, so there are no gaps."""
    key: dict[str, Any] = {"campaign": campaign, "authority": authority}
    try:
        # The first approval of a campaign and authority creates the row. Two first
        # approvals at once: the loser's insert fails on the unique constraint (inside this
        # savepoint, so the transaction goes on) and it takes the winner's row below.
        with transaction.atomic():
            FilingNumberSequence.objects.get_or_create(**key)
    except IntegrityError:
        pass
    sequence = FilingNumberSequence.objects.select_for_update().get(**key)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return format_filing_number(campaign, authority, sequence.last_number)


@transaction.atomic
def decision_make(
    *,
    filing: Filing,
    outcome: str,
    reasons: str,
    actor: Any,
    ip_address: str | None = None,
) -> Decision:
    """The lead reviewer approves or returns the version under review. One transaction: the
    workflow transition, the decision and, for an approval, its filing number. A refused
    decision writes nothing and takes no number."""
    filing = _lock_filing(filing)
    if not is_filing_lead_reviewer(actor, filing):
        raise NotAllowed(_("Only the lead reviewer of the filing's authority can decide."))
    if filing.state != State.UNDER_REVIEW or filing.latest_submitted is None:
        raise IllegalTransition(
            _("A decision is made while the filing is under review; it is %(state)s.")
            % {"state": State(filing.state).label}
        )
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("File or return for revision.")})
    reasons = reasons.strip()
    if outcome == Outcome.RETURN and not reasons:
        raise ValidationError({"reasons": _("Give the reasons for returning the filing.")})
    version = filing.latest_submitted
    number = None
    if outcome == Outcome.APPROVE:
        # Taken just before the transition, so that its history entry names the number; a
        # refused or rolled-back transition gives the number back with the transaction.
        campaign = filing.deliverable.campaign
        # A group accepts what its subsidiaries file; only a commission's register numbers.
        on_record = get_kind(filing.kind).on_record or campaign.numbers_receipts
        if on_record and filing.reviewing_group_id is None:
            number = _filing_number_for(filing)
    filing = filing_transition(
        filing=filing, action=outcome, actor=actor, ip_address=ip_address, reason=reasons,
        details={"filing_number": number} if number else None,
    )  # fmt: skip
    decision = Decision(
        filing=filing,
        version=version,
        decided_by=actor,
        outcome=outcome,
        reasons=reasons,
        filing_number=number,
    )
    decision.full_clean()
    decision.save()
    audit_log(
        actor=actor,
        action="review.decide",
        target=decision,
        data={"filing": filing.pk, "outcome": outcome, "version": version.number,
              "filing_number": number},
        ip_address=ip_address,
    )  # fmt: skip
    return decision
