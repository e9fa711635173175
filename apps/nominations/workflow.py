"""A nomination's life, declared once as data.

nominated → proposed → in notice → designated; a nomination may be declined (rejected)
before its notice, and is withdrawn when an objection to it is upheld. Each row: the step,
the states it may be taken in, the state it leads to (None: the state stays), and which
authority roles may take it. The services look steps up here and nowhere else; the state ×
role test walks this table.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.enterprises.models import Role

# The lead reviewer proposes only once at least this many reviewers have scored.
MIN_SCORES = 2
SCORE_MAX = 100


class Status(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    PROPOSED = "proposed", _("Proposed")
    IN_NOTICE = "in_notice", _("In public notice")
    DESIGNATED = "designated", _("Designated")
    REJECTED = "rejected", _("Not proposed")
    WITHDRAWN = "withdrawn", _("Withdrawn after an objection")


# A nomination in one of these states holds its report's case (or the enterprise) until it
# ends: nobody nominates the same thing twice at once.
OPEN_STATUSES = frozenset({Status.NOMINATED, Status.PROPOSED, Status.IN_NOTICE})
# States that come with a public notice.
NOTICED_STATUSES = frozenset({Status.IN_NOTICE, Status.DESIGNATED, Status.WITHDRAWN})


class Source(models.TextChoices):
    AUTHORITY = "authority", _("Nominated by the authority")
    APPLICATION = "application", _("The enterprise's own application")


class Resolution(models.TextChoices):
    UPHELD = "upheld", _("Upheld: the nomination is withdrawn")
    DISMISSED = "dismissed", _("Dismissed")


class Step(models.TextChoices):
    SCORE = "score", _("Score")
    PROPOSE = "propose", _("Propose")
    REJECT = "reject", _("Do not propose")
    PUBLISH = "publish", _("List in a public notice")
    OBJECT = "object", _("Record an objection")
    RESOLVE = "resolve", _("Resolve an objection")
    DESIGNATE = "designate", _("Designate")


REVIEWERS = frozenset({Role.REVIEWER, Role.LEAD_REVIEWER})
LEAD_REVIEWER = frozenset({Role.LEAD_REVIEWER})


@dataclass(frozen=True)
class Rule:
    step: Step
    sources: frozenset[Status]
    target: Status | None
    roles: frozenset[Role]


RULES: dict[Step, Rule] = {
    rule.step: rule
    for rule in (
        # A reviewer may change their score until the nomination is proposed.
        Rule(Step.SCORE, frozenset({Status.NOMINATED}), None, REVIEWERS),
        Rule(Step.PROPOSE, frozenset({Status.NOMINATED}), Status.PROPOSED, LEAD_REVIEWER),
        Rule(Step.REJECT, frozenset({Status.NOMINATED, Status.PROPOSED}), Status.REJECTED,
             LEAD_REVIEWER),
        Rule(Step.PUBLISH, frozenset({Status.PROPOSED}), Status.IN_NOTICE, LEAD_REVIEWER),
        # Objections come in by letter or telephone; any reviewer may record one.
        Rule(Step.OBJECT, frozenset({Status.IN_NOTICE}), None, REVIEWERS),
        # Upheld: withdrawn; dismissed: the state stays (see services.objection_resolve).
        Rule(Step.RESOLVE, frozenset({Status.IN_NOTICE}), None, LEAD_REVIEWER),
        Rule(Step.DESIGNATE, frozenset({Status.IN_NOTICE}), Status.DESIGNATED, LEAD_REVIEWER),
    )
}  # fmt: skip


def allows(step: Step, status: str, role: str | None) -> bool:
    """May someone with ``role`` (an authority role toward the nomination, or None) take
    ``step`` while the nomination is in ``status``?"""
    rule = RULES[step]
    return role in rule.roles and status in rule.sources
