"""The review section of the filing page: who reviews, comments, recommendations and the
decision; the enterprise sees the decisions and the comments meant for it. And the comments
beside the content they are about, on the version the page shows."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from apps.accounts.models import User
from apps.enterprises.panels import Panel
from apps.filings.describe import anchor_choices, anchor_label, field_label
from apps.filings.kinds import FilingKind, get_kind
from apps.filings.panels import (
    AnchorNotes,
    register_anchor_notes,
    register_diff_notes,
    register_filing_panel,
)
from apps.filings.selectors import reviewer_memberships, version_in_question
from apps.filings.workflow import State
from apps.reviews.models import Comment, Outcome
from apps.reviews.rules import review_role
from apps.reviews.selectors import (
    assignments_for,
    comments_for,
    decisions_for,
    recommendations_for,
)

ASSIGNABLE_STATES = (State.SUBMITTED, State.UNDER_REVIEW, State.RETURNED)


def comment_draft_key(filing_pk: int) -> str:
    """Where a refused comment waits in the session (its text, target and the reason), so
    that the page it returns to shows the form as it was sent."""
    return f"reviews.comment_draft.{filing_pk}"


def comment_label(kind: FilingKind | None, comment: Comment) -> str:
    """What the comment is about, named against the content of its own version."""
    return anchor_label(
        kind,
        comment.version.content,
        section=comment.section,
        field=comment.field,
        row_id=comment.row_id,
    )


def review_panel(request: HttpRequest, filing: Any) -> Panel | None:
    user: Any = request.user
    reviewer = review_role(user, filing) is not None
    kind = get_kind(filing.kind)
    comments = [(c, comment_label(kind, c)) for c in comments_for(user, filing)]
    decisions = list(decisions_for(filing).select_related("decided_by", "version"))
    # Shown once: a refused comment comes back to the form, then it is gone.
    refused = request.session.pop(comment_draft_key(filing.pk), None)
    if not reviewer and not comments and not decisions:
        return None
    context: dict[str, Any] = {
        "is_reviewer": reviewer,
        "comments": comments,
        "decisions": decisions,
        "outcomes": list(Outcome),
        "under_review": filing.state == State.UNDER_REVIEW,
    }
    if reviewer:
        # The version the page shows; comments are written on it, and "changes since the
        # last decision" lead to it.
        shown = version_in_question(user, filing)
        commentable = shown if shown is not None and shown.is_frozen else None
        last_decided = decisions[-1].version if decisions else None
        context.update(
            {
                "assignments": list(assignments_for(filing).select_related("reviewer")),
                "recommendations": list(recommendations_for(user, filing)),
                # Assigning is for work still to do: not on an approved filing (an
                # amendment, once submitted, is assignable again) or a withdrawn one.
                "can_assign": filing.state in ASSIGNABLE_STATES
                and user.has_perm("reviews.assign", filing),
                "can_decide": user.has_perm("reviews.decide", filing),
                "can_recommend": user.has_perm("reviews.recommend", filing),
                "can_comment": user.has_perm("reviews.comment", filing),
                "reviewer_choices": User.objects.filter(
                    is_active=True, memberships__in=reviewer_memberships(filing)
                ).order_by("full_name"),
                "shown": commentable,
                "last_decided": last_decided,
                "changes_since": commentable is not None
                and last_decided is not None
                and commentable.number > last_decided.number,
                "anchors": anchor_choices(kind, commentable.content) if commentable else [],
                "refused": refused if isinstance(refused, dict) else None,
            }
        )
    return Panel("reviews/_panel.html", context, order=20)


def comment_notes(
    request: HttpRequest, filing: Any, left: Any, right: Any
) -> list[tuple[str, str, str]]:
    """The comments this user may read on the older of two compared versions: what each is
    about (in words, against that version), its text, and who wrote it when."""
    kind = get_kind(filing.kind)
    return [
        (
            comment_label(kind, c),
            c.body,
            # Local time, as every page shows dates (the stored time is UTC).
            f"{c.author.full_name} · {timezone.localtime(c.created_at):%Y-%m-%d}",
        )
        for c in comments_for(request.user, filing, version=left).order_by("section", "field", "id")
    ]


def _row_ids(kind: FilingKind | None, content: dict[str, Any]) -> dict[str, set[str]]:
    """The ids of every table row in the content, by section."""
    found: dict[str, set[str]] = {}
    for section, data in content.items():
        if not isinstance(data, dict):
            continue
        spec = kind.section(section) if kind else None
        rows = data.get(spec.table.key if spec and spec.table else "rows")
        if isinstance(rows, list):
            found[section] = {str(r["id"]) for r in rows if isinstance(r, dict) and r.get("id")}
    return found


def comments_beside(request: HttpRequest, filing: Any, version: Any) -> AnchorNotes:
    """The comments this user may read on ``version`` and on the versions before it, placed
    where they belong in ``version``: beside the row they are about (matched by the row's
    stable id, wherever it has moved), else at the head of their section (a section's or a
    field's comment, or one on a row this version no longer has). One query."""
    kind = get_kind(filing.kind)
    rows = _row_ids(kind, version.content)
    notes: AnchorNotes = {}
    readable = comments_for(request.user, filing).filter(version__number__lte=version.number)
    for c in readable:
        beside_row = bool(c.row_id) and c.row_id in rows.get(c.section, ())
        spec = kind.section(c.section) if c.section else None
        where = ""
        if beside_row and c.field:
            where = field_label(spec.table.field(c.field) if spec and spec.table else None, "")
        notes.setdefault((c.section, c.row_id if beside_row else ""), []).append(
            {
                "id": c.pk,
                "body": c.body,
                "author": c.author.full_name,
                "when": c.created_at,
                "version": c.version.number,
                "earlier": c.version_id != version.pk,
                "internal": c.internal,
                "label": comment_label(kind, c),
                "where": where,
            }
        )
    return notes


register_filing_panel(review_panel)
register_diff_notes(comment_notes)
register_anchor_notes(comments_beside)
