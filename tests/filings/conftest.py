"""A minimal kind of filing, so that the workflow is tested apart from any real content."""

import datetime as dt
import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from django import forms

from apps.filings import kinds
from apps.filings.kinds import FilingKind, Missing, Section
from apps.filings.models import Filing
from apps.filings.services import Submission, filing_start, filing_transition
from apps.timeline.models import Deliverable
from tests.conftest import World


class NoteForm(forms.Form):
    text = forms.CharField(required=False)

    def __init__(self, data: Any = None, *, content: dict[str, Any], filing: Any) -> None:
        super().__init__(data, initial=content)

    def to_content(self) -> dict[str, Any]:
        return {"text": self.cleaned_data["text"]}


def completeness(content: dict[str, Any], filing: Any) -> list[Missing]:
    if not (content.get("note") or {}).get("text"):
        return [Missing("note", "text", "Write the note.")]
    return []


SIMPLE = FilingKind(
    key="plan",
    label="Simple",
    sections=[
        Section("note", "Note", NoteForm, "filings/tests/editor.html", "filings/tests/display.html")
    ],
    initial_content=lambda filing: {"note": {"text": ""}},
    completeness=completeness,
)


@pytest.fixture
def simple_kind() -> Iterator[FilingKind]:
    previous = kinds._KINDS.get("plan")
    kinds._KINDS["plan"] = SIMPLE
    yield SIMPLE
    if previous is None:
        kinds._KINDS.pop("plan", None)
    else:
        kinds._KINDS["plan"] = previous


@pytest.fixture
def filing(world: World, plan: Deliverable, simple_kind: FilingKind) -> Filing:
    return filing_start(enterprise=world.central, deliverable=plan, actor=world.editor)


def fill(filing: Filing, world: World, text: str = "已填写") -> None:
    from apps.filings.services import filing_save_section

    filing.refresh_from_db()
    draft = filing.draft
    assert draft is not None
    filing_save_section(
        filing=filing,
        section="note",
        data={"text": text},
        base_revision=int(draft.revisions.get("note", 0)),
        actor=world.editor,
    )


_document_numbers = itertools.count(1)


def a_submission(number: str = "") -> Submission:
    """A complete formal submission for tests; each call has its own document number, since
    an enterprise never uses one twice."""
    return Submission(
        document_number=number or f"测试集团〔2026〕{next(_document_numbers)}号",
        signatory_name="张三",
        signatory_title="董事长",
        decision_body="party_committee",
        decision_on=dt.date(2022, 12, 20),
    )


def submission_post() -> dict[str, str]:
    """The submit form's fields, as the check page posts them (a fresh document number)."""
    given = a_submission()
    assert given.decision_on is not None
    return {
        "document_number": given.document_number,
        "signatory_name": given.signatory_name,
        "signatory_title": given.signatory_title,
        "decision_body": given.decision_body,
        "decision_on": given.decision_on.isoformat(),
    }


def drive(filing: Filing, world: World, *actions: str) -> Filing:
    """Fire actions as the role the workflow expects for each."""
    actors = {
        "submit": world.lead, "withdraw": world.lead, "amend": world.lead,
        "start_review": world.sasac_reviewer, "approve": world.sasac_lead_reviewer,
        "return": world.sasac_lead_reviewer,
    }  # fmt: skip
    for action in actions:
        if action == "submit":
            fill(filing, world, f"第{filing.versions.count()}版")
        filing = filing_transition(
            filing=filing, action=action, actor=actors[action], reason="理由",
            submission=a_submission() if action == "submit" else None,
        )  # fmt: skip
    return filing
