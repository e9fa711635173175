"""What's due, first: an enterprise's obligations in order of urgency, each with its state and
the next step for the person reading.

Dates and statuses come from ``apps.timeline.obligations`` (the one due-date rule: extension,
then the authority's deadline, then the campaign's date); this module only orders them and
says, from a table, what each reader does next. A fixed number of queries for any number of
enterprises and deliverables: the obligations' own, and one for the “ready for the lead”
marks.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.enterprises.models import Enterprise, Role
from apps.filings.models import ReadyForLead
from apps.filings.readiness import changed_since, ready_marks
from apps.timeline.models import Deliverable
from apps.timeline.obligations import Obligation, ObligationStatus, obligations_for
from apps.timeline.selectors import active_deliverables_and_stages

# Due within this many days (today included): "due soon".
SOON_DAYS = 14


class Urgency(StrEnum):
    """The groups of the list, most urgent first."""

    OVERDUE = "overdue"
    SOON = "soon"
    LATER = "later"
    HANDED_IN = "handed_in"


URGENCY_LABELS: dict[Urgency, Promise] = {
    Urgency.OVERDUE: _("Overdue"),
    Urgency.SOON: _("Due soon"),
    Urgency.LATER: _("Later"),
    Urgency.HANDED_IN: _("Handed in"),
}


class Step(StrEnum):
    """What the reader does next: an action of theirs, or what they wait for."""

    START = "start"
    CONTINUE = "continue"
    CHECK_AND_SUBMIT = "check_and_submit"
    REVISE = "revise"
    ANSWER_RETURN = "answer_return"
    WAIT_FOR_LEAD = "wait_for_lead"
    WAIT_FOR_REVIEW = "wait_for_review"
    FILED = "filed"


STEP_LABELS: dict[Step, Promise] = {
    Step.START: _("Start writing"),
    Step.CONTINUE: _("Continue the draft"),
    Step.CHECK_AND_SUBMIT: _("Check and submit"),
    Step.REVISE: _("Revise the draft"),
    Step.ANSWER_RETURN: _("Answer the return"),
    Step.WAIT_FOR_LEAD: _("Waiting for the lead to check it"),
    Step.WAIT_FOR_REVIEW: _("Waiting for review"),
    Step.FILED: _("Filed"),
}

# Steps the reader takes (a button); the others say what is awaited.
ACTIONS = frozenset(
    {Step.START, Step.CONTINUE, Step.CHECK_AND_SUBMIT, Step.REVISE, Step.ANSWER_RETURN}
)

S = ObligationStatus
# (the filing's status, the reader's role in the enterprise) → their next step. The lead
# submits and answers a return; an editor drafts. An editor whose draft (a first one or one
# revised after a return) is marked ready for the lead waits for the lead (see ``next_step``).
NEXT_STEP: dict[tuple[str, str], Step] = {
    (S.NOT_STARTED, Role.EDITOR): Step.START,
    (S.NOT_STARTED, Role.LEAD): Step.START,
    (S.DRAFT, Role.EDITOR): Step.CONTINUE,
    (S.DRAFT, Role.LEAD): Step.CHECK_AND_SUBMIT,
    (S.RETURNED, Role.EDITOR): Step.REVISE,
    (S.RETURNED, Role.LEAD): Step.ANSWER_RETURN,
    (S.SUBMITTED, Role.EDITOR): Step.WAIT_FOR_REVIEW,
    (S.SUBMITTED, Role.LEAD): Step.WAIT_FOR_REVIEW,
    (S.UNDER_REVIEW, Role.EDITOR): Step.WAIT_FOR_REVIEW,
    (S.UNDER_REVIEW, Role.LEAD): Step.WAIT_FOR_REVIEW,
    (S.APPROVED, Role.EDITOR): Step.FILED,
    (S.APPROVED, Role.LEAD): Step.FILED,
}
# The roles that have a next step: the enterprise's own people.
NEXT_ROLES = frozenset({Role.EDITOR, Role.LEAD})


def next_step(filing_status: str, role: str, *, marked_ready: bool = False) -> Step:
    step = NEXT_STEP[(filing_status, role)]
    if step in (Step.CONTINUE, Step.REVISE) and marked_ready:
        return Step.WAIT_FOR_LEAD
    return step


def urgency_of(ob: Obligation) -> Urgency:
    if ob.is_overdue:
        return Urgency.OVERDUE
    if ob.is_handed_in:
        return Urgency.HANDED_IN
    # A returned filing whose date has passed is not overdue by the rule (it was handed in
    # on time), but it is what the enterprise must act on first.
    return Urgency.SOON if ob.days_left <= SOON_DAYS else Urgency.LATER


@dataclass(frozen=True)
class DueItem:
    obligation: Obligation
    role: str
    urgency: Urgency
    step: Step
    # Where the step is taken (a POST for "start"), or the filing to look at.
    url: str
    ready: ReadyForLead | None = None
    # The draft was saved again after it was marked ready.
    ready_changed: bool = False

    @property
    def deliverable(self) -> Deliverable:
        return self.obligation.deliverable

    @property
    def enterprise(self) -> Enterprise:
        return self.obligation.enterprise

    @property
    def days_overdue(self) -> int:
        """Calendar days since the effective due date (Beijing time)."""
        return max(-self.obligation.days_left, 0)

    @property
    def filing_status(self) -> str:
        """The filing's own state (not "overdue": the urgency says that)."""
        return _filing_status(self.obligation)

    @property
    def filing_status_label(self) -> str:
        return str(ObligationStatus(self.filing_status).label)

    @property
    def is_action(self) -> bool:
        return self.step in ACTIONS

    @property
    def is_post(self) -> bool:
        return self.step == Step.START

    @property
    def step_label(self) -> str:
        return str(STEP_LABELS[self.step])


def _filing_status(ob: Obligation) -> str:
    # OVERDUE hides whether a draft exists: the filing's own status tells.
    return ob.filing.status if ob.filing else ObligationStatus.NOT_STARTED


def _url(ob: Obligation, step: Step) -> str:
    if step == Step.START or ob.filing is None or ob.filing.filing_id is None:
        return reverse("filings:start", args=[ob.enterprise.credit_code, ob.deliverable.pk])
    if step == Step.CHECK_AND_SUBMIT:
        return reverse("filings:check", args=[ob.filing.filing_id])
    return reverse("filings:detail", args=[ob.filing.filing_id])


def _sort_key(item: DueItem) -> tuple[int, dt.date, int]:
    return (list(Urgency).index(item.urgency), item.obligation.due_on, item.deliverable.pk)


def due_items(
    enterprises: Iterable[Enterprise],
    roles: Mapping[int, str],
    *,
    deliverables: Iterable[Deliverable] | None = None,
    now: dt.datetime | None = None,
) -> list[DueItem]:
    """The obligations of ``enterprises`` (those that file: group headquarters) for a reader
    with ``roles`` ({enterprise id: role}), most urgent first: overdue (the longest overdue
    first), due within SOON_DAYS, later, handed in; by due date within each group."""
    now = now or timezone.now()
    filing = [e for e in enterprises if e.files_for_group and roles.get(e.pk) in NEXT_ROLES]
    if not filing:
        return []
    if deliverables is None:
        deliverables, _stages = active_deliverables_and_stages()
    obligations = obligations_for(filing, deliverables=deliverables, now=now)
    with_draft = (ObligationStatus.DRAFT, ObligationStatus.RETURNED)
    drafts = [
        ob.filing.filing_id
        for ob in obligations
        if ob.filing and ob.filing.filing_id and ob.filing.status in with_draft
    ]
    marks = ready_marks(drafts) if drafts else {}
    items = []
    for ob in obligations:
        role = roles[ob.enterprise.pk]
        mark = marks.get(ob.filing.filing_id) if ob.filing and ob.filing.filing_id else None
        status = _filing_status(ob)
        step = next_step(status, role, marked_ready=mark is not None)
        items.append(
            DueItem(
                obligation=ob,
                role=role,
                urgency=urgency_of(ob),
                step=step,
                url=_url(ob, step),
                ready=mark,
                ready_changed=bool(mark and changed_since(mark, mark.version)),
            )
        )
    return sorted(items, key=_sort_key)


def grouped(items: list[DueItem]) -> list[tuple[Urgency, str, list[DueItem]]]:
    """(urgency, its label, its items) for the groups that have any, most urgent first."""
    groups: dict[Urgency, list[DueItem]] = {}
    for item in items:
        groups.setdefault(item.urgency, []).append(item)
    return [(u, str(URGENCY_LABELS[u]), groups[u]) for u in Urgency if u in groups]


def due_context(items: list[DueItem]) -> dict[str, Any]:
    """What the templates show: the overdue ones (the banner at the top) and the other
    groups (the list under it)."""
    return {
        "overdue_items": [i for i in items if i.urgency == Urgency.OVERDUE],
        "due_groups": grouped([i for i in items if i.urgency != Urgency.OVERDUE]),
        "soon_days": SOON_DAYS,
    }
