"""The state × role matrix, immutability, conflicts, amendments, audit."""

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from apps.filings.models import Filing, FilingEvent, FilingVersion
from apps.filings.services import (
    EditConflict,
    IllegalTransition,
    Incomplete,
    NotAllowed,
    filing_save_section,
    filing_transition,
)
from apps.filings.workflow import TRANSITIONS, Action, State
from apps.timeline.obligations import ObligationStatus, obligation_for
from tests.conftest import World
from tests.filings.conftest import drive, fill

pytestmark = pytest.mark.django_db

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
# Which of the world's users holds which workflow role toward the central enterprise's filing.
ROLE_OF = {
    "editor": "editor", "lead": "lead", "sasac_reviewer": "reviewer",
    "sasac_lead_reviewer": "lead_reviewer",
}  # fmt: skip


@pytest.mark.parametrize("state", list(PATHS))
@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("who", ROLES)
def test_state_role_matrix(
    world: World, filing: Filing, state: State, action: Action, who: str
) -> None:
    filing = drive(filing, world, *PATHS[state])
    assert filing.state == state
    if state in (State.DRAFT, State.RETURNED):
        fill(filing, world, "完整内容")
    expected = next((t for t in TRANSITIONS if t.source == state and t.action == action), None)
    role = ROLE_OF.get(who)
    allowed = expected is not None and role in expected.roles
    actor = getattr(world, who)
    try:
        with transaction.atomic():
            result = filing_transition(filing=filing, action=action, actor=actor)
    except IllegalTransition:
        assert expected is None, f"{action} from {state} should exist"
        return
    except NotAllowed:
        assert expected is not None and not allowed, f"{who} should be allowed to {action}"
        return
    assert allowed, f"{who} must not {action} from {state}"
    assert expected is not None
    assert result.state == expected.target


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
        filing_transition(filing=filing, action="submit", actor=world.lead)
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
    assert conflict.differences[0].before == "甲的版本"
    assert conflict.differences[0].after == "乙的版本"
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
