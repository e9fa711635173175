"""Who is told about what happens to a filing: registered with the filing workflow's
after-commit hooks, so that the workflow never imports this app.

- submitted: the reviewers and lead reviewers of the supervising authority;
- returned or approved: the enterprise's lead and editors.
- a draft marked ready for the lead: the enterprise's leads.

A notification failure is logged and never undoes, or breaks the response to, the change
that caused it: the change has already been committed when this runs.
"""

import logging
from typing import Any

from django.db import transaction

from apps.accounts.models import User
from apps.enterprises.models import ENTERPRISE_ROLES, Membership, Role
from apps.filings.models import Filing, ReadyForLead
from apps.filings.readiness import register_ready_hook
from apps.filings.selectors import reviewer_memberships
from apps.filings.services import register_transition_hook
from apps.notifications.models import Verb
from apps.notifications.phrases import bilingual_params
from apps.notifications.services import notify
from apps.reviews.services import register_assignment_hook

logger = logging.getLogger(__name__)

# Workflow action → what the notification says (its phrasing is in phrases.PHRASES).
VERBS = {"submit": Verb.SUBMITTED, "return": Verb.RETURNED, "approve": Verb.APPROVED}


def filing_params(filing: Filing) -> dict[str, Any]:
    """Both names of the filing's enterprise and deliverable, and their ids: the title is
    worded from them in the reader's language when it is read."""
    return {
        "filing": filing.pk,
        "enterprise_id": filing.enterprise_id,
        "deliverable_id": filing.deliverable_id,
        **bilingual_params(
            enterprise=(filing.enterprise.name_zh, filing.enterprise.name_en),
            deliverable=(filing.deliverable.title_zh, filing.deliverable.title_en),
        ),
    }


def _recipients(filing: Filing, action: str) -> list[User]:
    memberships = Membership.objects.active()
    if action == "submit":
        memberships = reviewer_memberships(filing)
    else:
        memberships = memberships.filter(
            enterprise_id=filing.enterprise_id, role__in=ENTERPRISE_ROLES
        )
    return list(User.objects.filter(is_active=True, memberships__in=memberships).distinct())


def on_transition(filing_id: int, action: str, version_id: int | None) -> None:
    if action not in VERBS:
        return
    try:
        filing = Filing.objects.select_related("enterprise", "deliverable").get(pk=filing_id)
        with transaction.atomic():
            notify(
                recipients=_recipients(filing, action),
                verb=VERBS[action],
                filing=filing,
                params=filing_params(filing),
                url=filing.get_absolute_url(),
            )
    except Exception:
        logger.exception("notifying %s of filing %s failed", action, filing_id)


def on_assignment(filing_id: int, reviewer_id: int, assigned_by_id: int | None) -> None:
    try:
        filing = Filing.objects.select_related("enterprise", "deliverable").get(pk=filing_id)
        with transaction.atomic():
            notify(
                recipients=User.objects.filter(pk=reviewer_id),
                verb=Verb.ASSIGNED,
                filing=filing,
                params=filing_params(filing),
                url=filing.get_absolute_url(),
                actor=User.objects.filter(pk=assigned_by_id).first() if assigned_by_id else None,
            )
    except Exception:
        logger.exception("notifying the assignment of filing %s failed", filing_id)


def on_ready_for_lead(filing_id: int, mark_id: int) -> None:
    """Tell the enterprise's leads (not the one who marked it) that a draft awaits them."""
    try:
        mark = ReadyForLead.objects.select_related(
            "marked_by", "filing__enterprise", "filing__deliverable"
        ).get(pk=mark_id)
        filing = mark.filing
        leads = User.objects.filter(
            is_active=True,
            memberships__in=Membership.objects.active().filter(
                enterprise_id=filing.enterprise_id, role=Role.LEAD
            ),
        ).distinct()
        params: dict[str, Any] = {"who": mark.marked_by.full_name or mark.marked_by.email}
        if mark.sections:
            params["count"] = len(mark.sections)
        with transaction.atomic():
            notify(
                recipients=leads,
                verb=Verb.READY_FOR_LEAD,
                variant="sections" if mark.sections else "",
                filing=filing,
                params={**filing_params(filing), **params},
                url=filing.get_absolute_url(),
                actor=mark.marked_by,
            )
    except Exception:
        logger.exception("notifying the leads that filing %s is ready failed", filing_id)


register_transition_hook(on_transition)
register_ready_hook(on_ready_for_lead)
register_assignment_hook(on_assignment)
