"""Comments: anchored into a submitted version, by the authority's reviewers only, and
internal ones never shown outside them."""

from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError

from apps.audit.models import AuditEvent
from apps.enterprises.models import Role
from apps.enterprises.services import membership_grant
from apps.filings import kinds
from apps.filings.kinds import FieldSpec, FilingKind, Section, TableSpec
from apps.filings.models import Filing, FilingEvent, FilingVersion
from apps.filings.services import NotAllowed
from apps.reviews.models import COMMENT_MAX_LENGTH, Comment
from apps.reviews.selectors import comments_for
from apps.reviews.services import comment_add
from apps.timeline.models import Deliverable
from tests.conftest import World
from tests.filings.conftest import SIMPLE, NoteForm, drive
from tests.reviews.conftest import frozen_version, submitted_filing

pytestmark = pytest.mark.django_db

TABLE_CONTENT = {
    "note": {"text": "说明"},
    "tasks": {"rows": [{"id": "r1", "task": "精益成本管控", "owner": "财务部"},
                       {"id": "r2", "task": "数字化转型", "owner": "信息部"}]},
    "undeclared": {"text": "存储但不显示"},
}  # fmt: skip


# The tests' simple kind with a table of tasks: rows named by their task.
TABLE_KIND = FilingKind(
    key="plan",
    label="Simple, with a table",
    sections=[
        *SIMPLE.sections,
        Section("tasks", "Tasks", NoteForm, "filings/tests/editor.html",
                "filings/tests/display.html",
                table=TableSpec(label="Task", fields=(FieldSpec("task", "Task"),
                                                      FieldSpec("owner", "Owner")),
                                row_label=lambda row: str(row.get("task") or ""),
                                identity=("task",))),
    ],
    initial_content=SIMPLE.initial_content,
    completeness=SIMPLE.completeness,
)  # fmt: skip


@pytest.fixture(autouse=True)
def table_kind(simple_kind: FilingKind) -> Iterator[FilingKind]:
    kinds._KINDS["plan"] = TABLE_KIND
    yield TABLE_KIND
    kinds._KINDS["plan"] = simple_kind


@pytest.fixture
def submitted(world: World, filing: Filing) -> Filing:
    return drive(filing, world, "submit")


@pytest.fixture
def tables(world: World, submitted: Filing) -> FilingVersion:
    return frozen_version(submitted, TABLE_CONTENT, world.lead)


def add(filing: Filing, version: FilingVersion | None, author: object, **kw: object) -> Comment:
    assert version is not None
    kw.setdefault("body", "请补充说明。")
    kw.setdefault("internal", False)
    return comment_add(filing=filing, version=version, author=author, **kw)  # type: ignore[arg-type]


def test_general_section_field_and_row_comments(
    world: World, submitted: Filing, tables: FilingVersion
) -> None:
    reviewer = world.sasac_reviewer
    v1 = submitted.latest_submitted
    general = add(submitted, v1, reviewer)
    section = add(submitted, v1, reviewer, section="note")
    field = add(submitted, v1, reviewer, section="note", field="text")
    row = add(submitted, tables, reviewer, section="tasks", row_id="r2")
    cell = add(submitted, tables, world.sasac_lead_reviewer, section="tasks", row_id="r1",
               field="owner", internal=True)  # fmt: skip

    assert [c.anchor for c in (general, section, field, row, cell)] == [
        "", "note", "note/text", "tasks/rows/r2", "tasks/rows/r1/owner",
    ]  # fmt: skip
    assert list(comments_for(reviewer, submitted, version=tables)) == [row, cell]
    events = FilingEvent.objects.filter(filing=submitted, action="comment")
    assert events.count() == 5
    assert events.get(data__comment=cell.pk).internal
    assert not events.get(data__comment=row.pk).internal
    assert events.get(data__comment=row.pk).version == tables
    assert AuditEvent.objects.filter(action="review.comment").count() == 5


@pytest.mark.parametrize(
    "anchor",
    [
        {"section": "missing"},
        {"section": "note", "field": "missing"},
        {"section": "tasks", "row_id": "r9"},
        {"section": "tasks", "row_id": "r1", "field": "missing"},
        {"section": "note", "row_id": "r1"},  # a section without rows
        {"field": "text"},  # a field without its section
        {"section": "_attachments"},
        {"section": "undeclared"},  # content the kind does not show
        {"section": "tasks", "row_id": "r1", "field": "id"},  # not a declared field
    ],
)
def test_a_bad_anchor_is_refused(
    world: World, submitted: Filing, tables: FilingVersion, anchor: dict[str, str]
) -> None:
    with pytest.raises(ValidationError):
        add(submitted, tables, world.sasac_reviewer, **anchor)
    assert not Comment.objects.exists()
    assert not FilingEvent.objects.filter(action="comment").exists()


@pytest.mark.parametrize("body", ["", "   ", "长" * (COMMENT_MAX_LENGTH + 1)])
def test_body_is_required_and_bounded(world: World, submitted: Filing, body: str) -> None:
    with pytest.raises(ValidationError):
        add(submitted, submitted.latest_submitted, world.sasac_reviewer, body=body)
    assert not Comment.objects.exists()


def test_a_draft_cannot_be_commented_on(world: World, filing: Filing) -> None:
    filing = drive(filing, world, "submit", "start_review", "return")
    assert filing.draft is not None
    with pytest.raises(ValidationError):
        add(filing, filing.draft, world.sasac_reviewer)
    assert not Comment.objects.exists()


def test_a_version_of_another_filing_is_refused(
    world: World, submitted: Filing, plan: Deliverable
) -> None:
    other = submitted_filing(world.central_other, plan, world.other_lead)
    with pytest.raises(ValidationError):
        add(submitted, other.latest_submitted, world.sasac_reviewer)


def test_enterprise_members_never_see_internal_comments(world: World, submitted: Filing) -> None:
    v1 = submitted.latest_submitted
    public = add(submitted, v1, world.sasac_reviewer, internal=False)
    internal = add(submitted, v1, world.sasac_reviewer, internal=True, body="内部意见")

    for reviewer in (world.sasac_reviewer, world.sasac_lead_reviewer):
        assert set(comments_for(reviewer, submitted)) == {public, internal}
    for member in (world.editor, world.lead, world.admin):
        assert list(comments_for(member, submitted)) == [public]
    for outsider in (world.other_lead, world.bj_lead, world.bj_reviewer, world.gd_reviewer):
        assert not comments_for(outsider, submitted).exists()


def test_editor_who_reviews_elsewhere_keeps_the_scopes_apart(
    world: World, submitted: Filing, plan: Deliverable
) -> None:
    membership_grant(user=world.editor, role=Role.REVIEWER, authority=world.beijing)
    v1 = submitted.latest_submitted
    public = add(submitted, v1, world.sasac_reviewer, internal=False)
    add(submitted, v1, world.sasac_reviewer, internal=True)

    assert list(comments_for(world.editor, submitted)) == [public]
    with pytest.raises(NotAllowed):
        add(submitted, v1, world.editor, internal=True)

    # In Beijing, their review role holds.
    bj_filing = submitted_filing(world.bj_enterprise, plan, world.bj_lead)
    comment = add(bj_filing, bj_filing.latest_submitted, world.editor, internal=True)
    assert list(comments_for(world.editor, bj_filing)) == [comment]
    assert not comments_for(world.bj_lead, bj_filing).exists()


def test_a_member_reviewing_for_their_own_authority_is_not_a_reviewer_of_their_filing(
    world: World, submitted: Filing
) -> None:
    """Conflict of interest: SASAC reviewer rights do not reach their own enterprise."""
    membership_grant(user=world.editor, role=Role.REVIEWER, authority=world.sasac)
    add(submitted, submitted.latest_submitted, world.sasac_reviewer, internal=True)
    assert not comments_for(world.editor, submitted).exists()
    with pytest.raises(NotAllowed):
        add(submitted, submitted.latest_submitted, world.editor)


def test_a_beijing_reviewer_cannot_comment_on_a_sasac_filing(
    world: World, submitted: Filing
) -> None:
    for outsider in (world.bj_reviewer, world.gd_reviewer, world.lead, world.admin):
        with pytest.raises(NotAllowed):
            add(submitted, submitted.latest_submitted, outsider)
    assert not Comment.objects.exists()
