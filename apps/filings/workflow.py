"""The filing workflow, declared once as data, for every kind of filing.

Each row: in which state an action may be fired, the state it leads to, and who may fire it.
Services look actions up here and nowhere else; the state × role test walks this table.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.enterprises.models import Role


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    # A plan is filed for the record (备案), not approved: the labels say so; the stored
    # values stay as they were (URLs, rows and audit entries use them).
    RETURNED = "returned", _("Returned for revision")
    APPROVED = "approved", _("Filed")


class Action(models.TextChoices):
    SUBMIT = "submit", _("Submit")
    WITHDRAW = "withdraw", _("Withdraw")
    START_REVIEW = "start_review", _("Start review")
    APPROVE = "approve", pgettext_lazy("decision", "File")
    RETURN = "return", _("Return for revision")
    AMEND = "amend", _("Amend")


@dataclass(frozen=True)
class Transition:
    action: Action
    source: State
    target: State
    roles: frozenset[Role]
    description: Promise
    # Effects the service applies (one generic implementation for every kind):
    freezes_draft: bool = False  # the open draft becomes an immutable version
    opens_draft: bool = False  # a new draft version is made from the latest version
    approves: bool = False  # the reviewed version becomes the one in force
    # Fired through the review (a recorded decision with its reasons and filing number),
    # not as a bare button on the filing page.
    via_review: bool = False


ENTERPRISE_LEAD = frozenset({Role.LEAD})
REVIEWERS = frozenset({Role.REVIEWER, Role.LEAD_REVIEWER})
LEAD_REVIEWER = frozenset({Role.LEAD_REVIEWER})

TRANSITIONS: tuple[Transition, ...] = (
    Transition(Action.SUBMIT, State.DRAFT, State.SUBMITTED, ENTERPRISE_LEAD,
               _("Submit the draft for review; it is frozen as a new version."),
               freezes_draft=True),
    # After a return, the enterprise works on a new draft and submits it again.
    Transition(Action.SUBMIT, State.RETURNED, State.SUBMITTED, ENTERPRISE_LEAD,
               _("Submit the revised draft."), freezes_draft=True),
    Transition(Action.WITHDRAW, State.SUBMITTED, State.DRAFT, ENTERPRISE_LEAD,
               _("Take the submission back before review starts; a new draft opens."),
               opens_draft=True),
    Transition(Action.START_REVIEW, State.SUBMITTED, State.UNDER_REVIEW, REVIEWERS,
               _("Start reviewing the submitted version.")),
    Transition(Action.APPROVE, State.UNDER_REVIEW, State.APPROVED, LEAD_REVIEWER,
               _("File the version under review; it is on record and in force."), approves=True,
               via_review=True),
    Transition(Action.RETURN, State.UNDER_REVIEW, State.RETURNED, LEAD_REVIEWER,
               _("Return the version with reasons; a new draft opens for the enterprise."),
               opens_draft=True, via_review=True),
    Transition(Action.AMEND, State.APPROVED, State.DRAFT, ENTERPRISE_LEAD,
               _("Open an amendment; the filed version stays in force until the amendment "
                 "is filed."), opens_draft=True),
)  # fmt: skip

_BY_KEY = {(t.source, t.action): t for t in TRANSITIONS}


def transition_for(state: str, action: str) -> Transition | None:
    return _BY_KEY.get((State(state), Action(action))) if action in Action.values else None


def actions_from(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == state]


# States in which the enterprise has an open draft it may edit.
EDITABLE_STATES = frozenset({State.DRAFT, State.RETURNED})
