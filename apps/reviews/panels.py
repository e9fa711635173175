"""The review section of the filing page: who reviews, comments, recommendations and the
decision; the enterprise sees the decisions and the comments meant for it."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.enterprises.models import AUTHORITY_ROLES, Membership
from apps.enterprises.panels import Panel
from apps.filings.kinds import get_kind
from apps.filings.panels import register_diff_notes, register_filing_panel
from apps.filings.workflow import State
from apps.reviews.models import Outcome
from apps.reviews.rules import review_role
from apps.reviews.selectors import (
    assignments_for,
    comments_for,
    decisions_for,
    recommendations_for,
)

ASSIGNABLE_STATES = (State.SUBMITTED, State.UNDER_REVIEW, State.RETURNED)


def comment_anchors(kind: Any, content: dict[str, Any]) -> list[tuple[str, str]]:
    """What a comment can be about, from the version's content: each section, each of its
    fields, and each row of its tables (named by its name or title)."""
    choices: list[tuple[str, str]] = [("", str(_("The filing as a whole")))]
    for section in kind.sections:
        data = content.get(section.key) or {}
        choices.append((f"{section.key}||", str(section.title)))
        if not isinstance(data, dict):
            continue
        for field_name, value in data.items():
            if isinstance(value, list):
                for row in value:
                    if isinstance(row, dict) and row.get("id"):
                        label = (
                            row.get("name_zh") or row.get("name") or row.get("title") or row["id"]
                        )
                        choices.append((f"{section.key}|{field_name}|{row['id']}",
                                        f"{section.title} · {label}"))  # fmt: skip
            else:
                choices.append((f"{section.key}|{field_name}|", f"{section.title} · {field_name}"))
    return choices


def review_panel(request: HttpRequest, filing: Any) -> Panel | None:
    user: Any = request.user
    reviewer = review_role(user, filing) is not None
    comments = list(comments_for(user, filing))
    decisions = list(decisions_for(filing).select_related("decided_by", "version"))
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
                    is_active=True,
                    memberships__in=Membership.objects.active().filter(
                        authority_id=filing.enterprise.authority_id, role__in=AUTHORITY_ROLES
                    ),
                ).order_by("full_name"),
                "latest": filing.latest_submitted,
                "last_decided": decisions[-1].version if decisions else None,
                "anchors": comment_anchors(get_kind(filing.kind), filing.latest_submitted.content)
                if filing.latest_submitted
                else [],
            }
        )
    return Panel("reviews/_panel.html", context, order=20)


def comment_notes(
    request: HttpRequest, filing: Any, left: Any, right: Any
) -> list[tuple[str, str, str, str]]:
    """The comments this user may read on the older of two compared versions."""
    return [
        (c.section, c.field, c.body, f"{c.author.full_name} · {c.created_at:%Y-%m-%d}")
        for c in comments_for(request.user, filing, version=left).order_by("section", "field", "id")
    ]


register_filing_panel(review_panel)
register_diff_notes(comment_notes)
