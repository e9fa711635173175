"""The formal submission: the enterprise's document number (报送文号), the signatory (签发人),
the internal decision and the required attachments, asked on the check page, refused when
missing (each named and linked in the error summary), frozen into the version."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.filings.attachment_types import attachment_types_ensure
from apps.filings.models import (
    DocumentNumber,
    Filing,
    FilingVersion,
    canonical_json,
    sha256_hex,
)
from apps.filings.services import (
    FilingError,
    Submission,
    SubmissionRefused,
    attachment_add,
    build_snapshot,
    filing_start,
    filing_transition,
)
from apps.filings.workflow import State
from apps.timeline.models import Deliverable
from tests.conftest import World, zh
from tests.filings.conftest import a_submission, fill

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
DECISION_RECORD = "党委（党组）会议纪要或董事会决议"
FIELDS = {
    "confirm": "yes",
    "document_number": "中能集团〔2023〕12号",
    "signatory_name": "李明",
    "signatory_title": "党委书记、董事长",
    "decision_body": "party_committee",
    "decision_on": "2023-03-20",
}


def submit(client, filing: Filing, **changes: str):  # type: ignore[no-untyped-def]
    data = {k: v for k, v in {**FIELDS, **changes}.items() if v is not None}
    return client.post(reverse("filings:action", args=[filing.pk, "submit"]), data)


def nothing_frozen(filing: Filing) -> None:
    filing.refresh_from_db()
    assert filing.state == State.DRAFT
    assert not FilingVersion.objects.filter(filing=filing).frozen().exists()
    assert not DocumentNumber.objects.exists()


def test_refused_without_document_number_named_and_linked(
    world: World, filing: Filing, client_for
) -> None:
    fill(filing, world)
    response = submit(client_for(world.lead), filing, document_number="")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-summary"' in page
    message = zh("Enter the enterprise's document number (报送文号).")
    assert f'<a href="#id_document_number">{message}</a>' in page
    # What was typed stays on the page.
    assert 'value="李明"' in page
    assert 'value="党委书记、董事长"' in page
    assert 'value="2023-03-20"' in page
    nothing_frozen(filing)


def test_refused_without_signatory_named_and_linked(
    world: World, filing: Filing, client_for
) -> None:
    fill(filing, world)
    response = submit(client_for(world.lead), filing, signatory_name="", signatory_title="")
    page = response.content.decode()
    name = zh("Enter the name of the leader who signed it off (签发人).")
    assert f'<a href="#id_signatory_name">{name}</a>' in page
    title = zh("Enter the signatory's title.")
    assert f'<a href="#id_signatory_title">{title}</a>' in page
    assert 'value="中能集团〔2023〕12号"' in page
    nothing_frozen(filing)


def test_refused_without_decision_named_and_linked(
    world: World, filing: Filing, client_for
) -> None:
    fill(filing, world)
    response = submit(client_for(world.lead), filing, decision_body=None, decision_on="")
    page = response.content.decode()
    body = zh("Choose which body decided: the Party committee or the board.")
    assert f'<a href="#id_decision_body_0">{body}</a>' in page
    assert f'<a href="#id_decision_on">{zh("Enter the date of the decision.")}</a>' in page
    nothing_frozen(filing)


def test_refused_without_a_required_attachment_type(
    world: World, filing: Filing, plan: Deliverable, client_for
) -> None:
    attachment_types_ensure(plan)
    fill(filing, world)
    client = client_for(world.lead)
    # The check page lists what is missing before anyone presses submit.
    check = client.get(reverse("filings:check", args=[filing.pk])).content.decode()
    assert 'data-testid="missing-attachment-type"' in check
    assert DECISION_RECORD in check

    # A benchmarking report alone does not do: the decision record is the required paper.
    upload_url = reverse("filings:attachment_upload", args=[filing.pk])
    report = SimpleUploadedFile("对标分析报告.pdf", PDF)
    client.post(upload_url, {"file": report, "attachment_type": "benchmark_report"})
    response = submit(client, filing)
    page = response.content.decode()
    message = zh("Attach the %(type)s: it is required.", type=DECISION_RECORD)
    assert f'<a href="#attachment-type-decision_record">{message}</a>' in page
    assert 'id="attachment-type-decision_record"' in page
    nothing_frozen(filing)

    minutes = SimpleUploadedFile("党委会议纪要.pdf", PDF)
    client.post(upload_url, {"file": minutes, "attachment_type": "decision_record"})
    submit(client, filing)
    filing.refresh_from_db()
    assert filing.state == State.SUBMITTED
    listed = json.loads(filing.latest_submitted.snapshot)["content"]["_attachments"]
    assert [(a["name"], a["attachment_type"]) for a in listed] == [
        ("对标分析报告.pdf", "benchmark_report"),
        ("党委会议纪要.pdf", "decision_record"),
    ]
    # The filing page lists each file under its type.
    page = client.get(filing.get_absolute_url()).content.decode()
    assert f'<td data-testid="attachment-type">{DECISION_RECORD}</td>' in page
    assert '<td data-testid="attachment-type">对标分析报告</td>' in page


def test_an_upload_must_say_what_it_is_when_the_deliverable_declares_types(
    world: World, filing: Filing, plan: Deliverable
) -> None:
    attachment_types_ensure(plan)
    with pytest.raises(FilingError):
        attachment_add(filing=filing, upload=SimpleUploadedFile("a.pdf", PDF), actor=world.editor)


def test_the_service_refuses_without_the_submission(world: World, filing: Filing) -> None:
    fill(filing, world)
    with pytest.raises(SubmissionRefused) as refused:
        filing_transition(filing=filing, action="submit", actor=world.lead)
    assert sorted(refused.value.errors) == [
        "decision_body", "decision_on", "document_number", "signatory_name", "signatory_title",
    ]  # fmt: skip
    nothing_frozen(filing)


def test_a_document_number_is_used_once_per_enterprise(
    world: World, filing: Filing, plan: Deliverable
) -> None:
    fill(filing, world)
    filing = filing_transition(
        filing=filing, action="submit", actor=world.lead,
        submission=a_submission("中能集团〔2023〕12号"),
    )  # fmt: skip
    filing = filing_transition(filing=filing, action="withdraw", actor=world.lead)
    fill(filing, world, "再次报送")
    with pytest.raises(SubmissionRefused) as refused:
        filing_transition(
            filing=filing, action="submit", actor=world.lead,
            submission=a_submission("中能集团〔2023〕12号"),
        )  # fmt: skip
    assert list(refused.value.errors) == ["document_number"]
    filing.refresh_from_db()
    assert filing.state == State.DRAFT
    filing = filing_transition(
        filing=filing, action="submit", actor=world.lead,
        submission=a_submission("中能集团〔2023〕13号"),
    )  # fmt: skip
    assert filing.state == State.SUBMITTED

    # Another enterprise has its own numbering: the same number is its own.
    other = filing_start(enterprise=world.central_other, deliverable=plan, actor=world.other_lead)
    fill_as(other, world.other_lead)
    other = filing_transition(
        filing=other, action="submit", actor=world.other_lead,
        submission=a_submission("中能集团〔2023〕12号"),
    )  # fmt: skip
    assert other.state == State.SUBMITTED
    assert DocumentNumber.objects.filter(number="中能集团〔2023〕12号").count() == 2


def test_the_submission_is_frozen_into_the_snapshot_and_shown(
    world: World, filing: Filing, client_for
) -> None:
    fill(filing, world)
    client = client_for(world.lead)
    submit(client, filing)
    filing.refresh_from_db()
    version = filing.latest_submitted
    assert version is not None
    assert json.loads(version.snapshot)["submission"] == {
        "document_number": "中能集团〔2023〕12号",
        "signatory": {"name": "李明", "title": "党委书记、董事长"},
        "decision": {"body": "party_committee", "date": "2023-03-20"},
    }
    assert (version.document_number, version.signatory_name) == ("中能集团〔2023〕12号", "李明")
    page = client.get(filing.get_absolute_url()).content.decode()
    assert "中能集团〔2023〕12号" in page
    assert "李明" in page and "党委书记、董事长" in page
    assert 'data-testid="submission-line"' in page


def test_the_fingerprint_changes_with_the_submission(world: World, filing: Filing) -> None:
    fill(filing, world)
    filing.refresh_from_db()
    draft = filing.draft
    assert draft is not None
    first = a_submission("中能集团〔2023〕12号")
    second = Submission(**{**first.__dict__, "signatory_name": "王强"})
    one = sha256_hex(canonical_json(build_snapshot(filing, draft, first)))
    other = sha256_hex(canonical_json(build_snapshot(filing, draft, second)))
    assert one != other
    filing = filing_transition(filing=filing, action="submit", actor=world.lead, submission=first)
    assert filing.latest_submitted.sha256 == one


def fill_as(filing: Filing, actor) -> None:  # type: ignore[no-untyped-def]
    from apps.filings.services import filing_save_section

    filing.refresh_from_db()
    filing_save_section(
        filing=filing, section="note", data={"text": "已填写"},
        base_revision=int(filing.draft.revisions.get("note", 0)), actor=actor,
    )  # fmt: skip


def test_outsider_gets_404_on_the_attachments_page(
    world: World, filing: Filing, client_for
) -> None:
    client = client_for(world.other_lead)
    assert client.get(reverse("filings:attachments", args=[filing.pk])).status_code == 404
    upload = SimpleUploadedFile("a.pdf", PDF)
    url = reverse("filings:attachment_upload", args=[filing.pk])
    assert client.post(url, {"file": upload}).status_code == 404


def test_without_the_confirmation_the_typed_values_stay(
    world: World, filing: Filing, client_for
) -> None:
    fill(filing, world)
    response = submit(client_for(world.lead), filing, confirm=None)
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="#confirm">{zh("Tick the confirmation before submitting.")}</a>' in page
    assert 'value="中能集团〔2023〕12号"' in page
    nothing_frozen(filing)
