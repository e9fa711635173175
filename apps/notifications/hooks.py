"""Who is told about what happens to a filing: registered with the filing workflow's
after-commit hooks, so that the workflow never imports this app.

- submitted: the reviewers and lead reviewers of the supervising authority;
- returned or approved: the enterprise's lead and editors.

A notification failure is logged and never undoes, or breaks the response to, the change
that caused it: the change has already been committed when this runs.
"""

import logging

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.enterprises.models import AUTHORITY_ROLES, ENTERPRISE_ROLES, Membership
from apps.filings.models import Filing
from apps.filings.services import register_transition_hook
from apps.notifications.models import Verb
from apps.notifications.services import notify
from apps.reviews.services import register_assignment_hook

logger = logging.getLogger(__name__)

TITLES = {
    "submit": (Verb.SUBMITTED, _("%(enterprise)s submitted “%(deliverable)s” for review")),
    "return": (Verb.RETURNED, _("“%(deliverable)s” was returned: see the reasons")),
    "approve": (Verb.APPROVED, _("“%(deliverable)s” was approved")),
}


def _recipients(filing: Filing, action: str) -> list[User]:
    memberships = Membership.objects.active()
    if action == "submit":
        memberships = memberships.filter(
            authority_id=filing.enterprise.authority_id, role__in=AUTHORITY_ROLES
        )
    else:
        memberships = memberships.filter(
            enterprise_id=filing.enterprise_id, role__in=ENTERPRISE_ROLES
        )
    return list(User.objects.filter(is_active=True, memberships__in=memberships).distinct())


def on_transition(filing_id: int, action: str, version_id: int | None) -> None:
    if action not in TITLES:
        return
    try:
        filing = Filing.objects.select_related("enterprise", "deliverable").get(pk=filing_id)
        verb, title = TITLES[action]
        with transaction.atomic():
            notify(
                recipients=_recipients(filing, action),
                verb=verb,
                filing=filing,
                title_template=title,
                params={
                    "enterprise": filing.enterprise.name_zh,
                    "deliverable": filing.deliverable.title_zh,
                },
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
                title_template=_("You were assigned to review “%(deliverable)s” of %(enterprise)s"),
                params={
                    "enterprise": filing.enterprise.name_zh,
                    "deliverable": filing.deliverable.title_zh,
                },
                url=filing.get_absolute_url(),
                actor=User.objects.filter(pk=assigned_by_id).first() if assigned_by_id else None,
            )
    except Exception:
        logger.exception("notifying the assignment of filing %s failed", filing_id)


register_transition_hook(on_transition)
register_assignment_hook(on_assignment)
