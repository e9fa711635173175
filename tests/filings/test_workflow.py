"""The state × role matrix, immutability, conflicts, amendments, audit."""

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from apps.enterprises.models import Role
from apps.filings import workflow
from apps.filings.models import Filing, FilingEvent, FilingVersion
from apps.filings.services import (
    EditConflict,
    IllegalTransition,
    Incomplete,
    NotAllowed,
    filing_save_section,
    filing_transition,
)
from apps.filings.workflow import Action, State, transition_for
from apps.timeline.obligations import ObligationStatus, obligation_for
from tests.conftest import World
from tests.filings.conftest import a_submission, drive, fill

pytestmark = pytest.mark.django_db

# The workflow's rules, written out by hand from the domain brief ("A filing's life", "Roles")
# rather than read from workflow.TRANSITIONS, so that a change to the declared table shows up
# here as a failure. Each (state, action): the roles that may fire it and the state it leads
# to. A (state, action) pair missing from this table is impossible from that state.
EXPECTED: dict[tuple[State, Action], tuple[set[Role], State]] = {
    (State.DRAFT, Action.SUBMIT): ({Role.LEAD}, State.SUBMITTED),
    (State.RETURNED, Action.SUBMIT): ({Role.LEAD}, State.SUBMITTED),
    # Only before review starts; the enterprise gets its draft back.
    (State.SUBMITTED, Action.WITHDRAW): ({Role.LEAD}, State.DRAFT),
    (State.SUBMITTED, Action.START_REVIEW): (
        {Role.REVIEWER, Role.LEAD_REVIEWER},
        State.UNDER_REVIEW,
    ),
    (State.UNDER_REVIEW, Action.APPROVE): ({Role.LEAD_REVIEWER}, State.APPROVED),
    (State.UNDER_REVIEW, Action.RETURN): ({Role.LEAD_REVIEWER}, State.RETURNED),
    # Dynamic adjustment: the approved version stays in force while the amendment is drafted.
    (State.APPROVED, Action.AMEND): ({Role.LEAD}, State.DRAFT),
}

# How to bring a fresh filing into each state.
PATHS = {
    State.DRAFT: (),
    State.SUBMITTED: ("submit",),
    State.UNDER_REVIEW: ("submit", "start_review"),
    State.RETURNED: ("submit", "start_review", "return"),
    State.APPROVED: ("submit", "start_review", "approve"),
}
ROLES = [
    "editor", "lead", "other_lead", "bj_lead", "sasac_reviewer", "sasac_lead_reviewer",
    "bj_reviewer", "admin",
]  # fmt: skip
# Which of the world's users holds which workflow role toward the central enterprise's filing;
# the others (another enterprise's lead, another authority's reviewer, the administrator) hold
# none and fire nothing.
ROLE_OF = {
    "editor": Role.EDITOR, "lead": Role.LEAD, "sasac_reviewer": Role.REVIEWER,
    "sasac_lead_reviewer": Role.LEAD_REVIEWER,
}  # fmt: skip

# What the service answers when an action is fired: one of these, or the state it led to.
IMPOSSIBLE = "impossible"  # IllegalTransition: no such action from this state
REFUSED = "refused"  # NotAllowed: the action exists, but not for this user


class Disagreement(NamedTuple):
    state: State
    action: Action
    who: str
    expected: str
    got: str


@contextmanager
def rolled_back() -> Iterator[None]:
    """A savepoint that is rolled back when the block ends, whatever happened in it."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)  # only now: once set, no more queries are allowed


def expected_outcome(state: State, action: Action, who: str) -> str:
    if (state, action) not in EXPECTED:
        return IMPOSSIBLE
    roles, target = EXPECTED[(state, action)]
    return target if ROLE_OF.get(who) in roles else REFUSED


def check(world: World, filing: Filing, action: Action, who: str) -> list[Disagreement]:
    """Fire ``action`` on the filing as ``who`` through the real service, undo whatever it did,
    and return how the service's answer differs from EXPECTED (an empty list if it agrees)."""
    filing.refresh_from_db()
    state = State(filing.state)
    # The filing must be left as it was, so that the next action starts from the same state.
    with rolled_back():
        try:
            result = filing_transition(
                filing=filing, action=action, actor=getattr(world, who),
                submission=a_submission() if action == Action.SUBMIT else None,
            )  # fmt: skip
            got: str = State(result.state)
        except IllegalTransition:
            got = IMPOSSIBLE
        except NotAllowed:
            got = REFUSED
    expected = expected_outcome(state, action, who)
    return [] if got == expected else [Disagreement(state, action, who, expected, got)]


def bring_to(world: World, filing: Filing, state: State) -> Filing:
    filing = drive(Filing.objects.get(pk=filing.pk), world, *PATHS[state])
    assert filing.state == state
    if state in (State.DRAFT, State.RETURNED):
        fill(filing, world, "完整内容")  # so that a refused submission is not merely incomplete
    return filing


def check_whole_table(world: World, filing: Filing) -> list[Disagreement]:
    """The same check for every state, action and user, on one filing (each state is reached
    inside a savepoint that is rolled back afterwards)."""
    found: list[Disagreement] = []
    for state in PATHS:
        with rolled_back():
            in_state = bring_to(world, filing, state)
            for action in Action:
                for who in ROLES:
                    found += check(world, in_state, action, who)
    return found


def declared_disagreements() -> list[str]:
    """Where workflow.TRANSITIONS (as the service looks it up) and EXPECTED differ, either way."""
    found: list[str] = []
    declared: dict[tuple[State, Action], tuple[set[Role], State]] = {}
    for t in workflow.TRANSITIONS:
        if (t.source, t.action) in declared:
            found.append(f"{t.action} from {t.source} is declared twice")
        declared[(t.source, t.action)] = (set(t.roles), t.target)
    for state, action in sorted(declared.keys() | EXPECTED.keys()):
        mine, theirs = declared.get((state, action)), EXPECTED.get((state, action))
        if mine != theirs:
            found.append(f"{action} from {state}: declared {mine}, expected {theirs}")
    for state in State:
        for action in Action:
            looked_up = transition_for(state, action)
            answer = (set(looked_up.roles), looked_up.target) if looked_up else None
            if answer != EXPECTED.get((state, action)):
                found.append(f"{action} from {state}: looked up {answer}")
    return found


@pytest.mark.parametrize("state", list(PATHS))
@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("who", ROLES)
def test_state_role_matrix(
    world: World, filing: Filing, state: State, action: Action, who: str
) -> None:
    filing = bring_to(world, filing, state)
    assert check(world, filing, action, who) == []


def test_declared_workflow_is_the_expected_one() -> None:
    assert declared_disagreements() == []


def test_giving_withdraw_to_reviewers_fails_the_checks(
    world: World, filing: Filing, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert check_whole_table(world, filing) == []
    withdraw = workflow._BY_KEY[(State.SUBMITTED, Action.WITHDRAW)]
    widened = dataclasses.replace(
        withdraw, roles=withdraw.roles | {Role.REVIEWER, Role.LEAD_REVIEWER}
    )
    monkeypatch.setattr(
        workflow,
        "TRANSITIONS",
        tuple(widened if t is withdraw else t for t in workflow.TRANSITIONS),
    )
    monkeypatch.setattr(
        workflow, "_BY_KEY", {**workflow._BY_KEY, (State.SUBMITTED, Action.WITHDRAW): widened}
    )
    declared = declared_disagreements()
    assert len(declared) == 2  # in the table, and as the service looks it up
    assert all(d.startswith("withdraw from submitted:") for d in declared)
    # The service really uses the widened rule: the authority's reviewers now withdraw the
    # submission (it goes back to draft), and the matrix says so — for them and no one else.
    assert check_whole_table(world, filing) == [
        Disagreement(State.SUBMITTED, Action.WITHDRAW, "sasac_reviewer", REFUSED, State.DRAFT),
        Disagreement(State.SUBMITTED, Action.WITHDRAW, "sasac_lead_reviewer", REFUSED, State.DRAFT),
    ]


def test_full_path_versions_and_events(world: World, filing: Filing) -> None:
    filing = drive(filing, world, "submit", "start_review", "return", "submit", "start_review",
                   "approve")  # fmt: skip
    numbers = list(filing.versions.values_list("number", "submitted_at"))
    assert [n for n, _ in numbers] == [1, 2]
    assert all(at is not None for _, at in numbers)
    assert filing.approved_version.number == 2
    actions = list(filing.events.order_by("created_at", "id").values_list("action", flat=True))
    assert actions[0] == "create"
    assert [a for a in actions if a != "edit"][1:] == [
        "submit",
        "start_review",
        "return",
        "submit",
        "start_review",
        "approve",
    ]


def test_submit_needs_a_complete_draft(world: World, filing: Filing) -> None:
    with pytest.raises(Incomplete) as exc:
        filing_transition(
            filing=filing, action="submit", submission=a_submission(), actor=world.lead
        )
    assert exc.value.missing[0].section == "note"
    filing.refresh_from_db()
    assert filing.state == State.DRAFT
    assert not FilingVersion.objects.filter(filing=filing, submitted_at__isnull=False).exists()


def test_submit_freezes_a_fingerprinted_snapshot(world: World, filing: Filing) -> None:
    import hashlib
    import json

    filing = drive(filing, world, "submit")
    version = filing.latest_submitted
    assert version.sha256 == hashlib.sha256(version.snapshot.encode()).hexdigest()
    snapshot = json.loads(version.snapshot)
    assert snapshot["enterprise"]["credit_code"] == world.central.credit_code
    assert snapshot["content"]["note"]["text"] == "第1版"
    assert filing.draft is None


def test_withdraw_only_before_review_and_opens_a_new_draft(world: World, filing: Filing) -> None:
    filing = drive(filing, world, "submit", "withdraw")
    assert filing.state == State.DRAFT
    assert filing.draft.number == 2
    assert filing.draft.content == filing.latest_submitted.content
    filing = drive(filing, world, "submit", "start_review")
    with pytest.raises(IllegalTransition):
        filing_transition(filing=filing, action="withdraw", actor=world.lead)


def test_amendment_keeps_the_approved_version_in_force(world: World, filing: Filing, plan) -> None:  # type: ignore[no-untyped-def]
    filing = drive(filing, world, "submit", "start_review", "approve", "amend")
    assert filing.state == State.DRAFT
    assert filing.is_amendment
    assert filing.approved_version.number == 1
    assert filing.draft.number == 2
    assert obligation_for(world.central, plan).status == ObligationStatus.APPROVED
    # the amendment is returned: version 1 still in force
    filing = drive(filing, world, "submit", "start_review", "return")
    assert filing.approved_version.number == 1
    filing = drive(filing, world, "submit", "start_review", "approve")
    assert filing.approved_version.number == 3
    assert not filing.is_amendment


def test_frozen_version_refused_by_the_database_through_the_orm(
    world: World, filing: Filing
) -> None:
    filing = drive(filing, world, "submit")
    version = FilingVersion.objects.get(pk=filing.latest_submitted_id)
    version.content = {"note": {"text": "篡改"}}
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        version.save()
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        FilingVersion.objects.filter(pk=version.pk).update(sha256="0" * 64)
    version.refresh_from_db()
    assert version.content["note"]["text"] == "第1版"


def test_frozen_version_refused_by_the_database_through_raw_sql(
    world: World, filing: Filing
) -> None:
    filing = drive(filing, world, "submit")
    version_id = filing.latest_submitted_id
    with (
        pytest.raises((IntegrityError, DatabaseError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE filings_filingversion SET snapshot = %s WHERE id = %s", ["{}", version_id]
        )
    if connection.vendor == "postgresql":
        with (
            pytest.raises((IntegrityError, DatabaseError)),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("DELETE FROM filings_filingversion WHERE id = %s", [version_id])
    assert FilingVersion.objects.get(pk=version_id).snapshot != "{}"
    # an open draft is still editable
    filing = drive(filing, world, "withdraw")
    FilingVersion.objects.filter(pk=filing.draft_id).update(revisions={"note": 5})


def test_second_save_of_the_same_section_gets_a_conflict(world: World, filing: Filing) -> None:
    base = int(filing.draft.revisions.get("note", 0))
    filing_save_section(
        filing=filing,
        section="note",
        data={"text": "甲的版本"},
        base_revision=base,
        actor=world.editor,
        ip_address="10.0.0.1",
    )
    with pytest.raises(EditConflict) as exc:
        filing_save_section(
            filing=filing,
            section="note",
            data={"text": "乙的版本"},
            base_revision=base,
            actor=world.lead,
            ip_address="10.0.0.2",
        )
    conflict = exc.value
    assert conflict.current == {"text": "甲的版本"}
    assert conflict.changed_by == world.editor.full_name
    assert conflict.differences[0].changes[0].before == "甲的版本"
    assert conflict.differences[0].changes[0].after == "乙的版本"
    filing.refresh_from_db()
    assert filing.draft.content["note"]["text"] == "甲的版本"
    # saving again from the fresh revision works
    filing_save_section(
        filing=filing,
        section="note",
        data={"text": "乙的版本"},
        base_revision=conflict.current_revision,
        actor=world.lead,
    )
    filing.refresh_from_db()
    assert filing.draft.content["note"]["text"] == "乙的版本"


def test_edits_are_audited_with_who_what_and_address(world: World, filing: Filing) -> None:
    filing_save_section(
        filing=filing,
        section="note",
        data={"text": "新内容"},
        base_revision=0,
        actor=world.editor,
        ip_address="192.0.2.7",
    )
    event = FilingEvent.objects.filter(filing=filing, action="edit").get()
    assert event.actor == world.editor
    assert event.ip_address == "192.0.2.7"
    assert event.data["changes"][0] == {
        "section": "note", "field": "text", "row": None, "kind": "changed", "before": "",
        "after": "新内容",
    }  # fmt: skip


def test_nobody_edits_a_submitted_version(world: World, filing: Filing) -> None:
    filing = drive(filing, world, "submit")
    with pytest.raises(NotAllowed):
        filing_save_section(filing=filing, section="note", data={"text": "x"}, base_revision=1,
                            actor=world.lead)  # fmt: skip


def test_reviewers_never_see_drafts(world: World, filing: Filing) -> None:
    assert not Filing.objects.for_user(world.sasac_reviewer).filter(pk=filing.pk).exists()
    filing = drive(filing, world, "submit", "withdraw")
    assert Filing.objects.for_user(world.sasac_reviewer).filter(pk=filing.pk).exists()
    from apps.filings.selectors import visible_versions

    assert list(
        visible_versions(world.sasac_reviewer, filing).values_list("number", flat=True)
    ) == [1]
    assert list(visible_versions(world.editor, filing).values_list("number", flat=True)) == [1, 2]
    assert not Filing.objects.for_user(world.bj_reviewer).filter(pk=filing.pk).exists()
    assert not Filing.objects.for_user(world.other_lead).filter(pk=filing.pk).exists()


def test_obligation_status_follows_the_filing(world: World, filing: Filing, plan) -> None:  # type: ignore[no-untyped-def]
    assert obligation_for(world.central, plan).status in (
        ObligationStatus.DRAFT,
        ObligationStatus.OVERDUE,
    )
    filing = drive(filing, world, "submit")
    assert obligation_for(world.central, plan).status == ObligationStatus.SUBMITTED
    filing = drive(filing, world, "start_review", "return")
    assert obligation_for(world.central, plan).status == ObligationStatus.RETURNED


def test_start_is_idempotent_and_for_members_only(world: World, plan, simple_kind) -> None:  # type: ignore[no-untyped-def]
    from apps.filings.services import filing_start

    first = filing_start(enterprise=world.central, deliverable=plan, actor=world.editor)
    again = filing_start(enterprise=world.central, deliverable=plan, actor=world.lead)
    assert first.pk == again.pk
    for outsider in (world.other_lead, world.sasac_lead_reviewer, world.admin):
        with pytest.raises(NotAllowed):
            filing_start(enterprise=world.central, deliverable=plan, actor=outsider)
