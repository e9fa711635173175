from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.filings.models import Attachment, Filing
from apps.filings.services import attachment_add
from apps.filings.workflow import State
from apps.timeline.models import Deliverable
from tests.conftest import World, zh
from tests.filings.conftest import a_submission, drive, fill, submission_post

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def urls(filing: Filing, attachment_id: int | None = None) -> list[str]:
    pk = filing.pk
    result = [
        reverse("filings:detail", args=[pk]),
        reverse("filings:versions", args=[pk]),
        reverse("filings:version", args=[pk, 1]),
        reverse("filings:diff", args=[pk]),
        reverse("filings:history", args=[pk]),
    ]
    if attachment_id:
        result.append(reverse("filings:attachment_download", args=[pk, attachment_id]))
    return result


def test_members_see_every_page(world: World, filing: Filing, client_for) -> None:
    client = client_for(world.editor)
    for url in urls(filing):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("filings:section_edit", args=[filing.pk, "note"])).status_code == 200
    assert client.get(reverse("filings:check", args=[filing.pk])).status_code == 200


def test_outsiders_get_404_everywhere(world: World, filing: Filing, client_for) -> None:
    attachment = attachment_add(
        filing=filing, upload=SimpleUploadedFile("a.png", PNG), actor=world.editor
    )
    filing = drive(filing, world, "submit")
    for outsider in (world.other_lead, world.bj_lead, world.bj_reviewer, world.gd_reviewer):
        client = client_for(outsider)
        for url in urls(filing, attachment.pk):
            assert client.get(url).status_code == 404, (outsider.email, url)
        for action in ("withdraw", "start_review"):
            response = client.post(reverse("filings:action", args=[filing.pk, action]))
            assert response.status_code == 404
    filing.refresh_from_db()
    assert filing.state == State.SUBMITTED


def test_reviewers_cannot_read_drafts(world: World, filing: Filing, client_for) -> None:
    client = client_for(world.sasac_reviewer)
    # never submitted: the filing does not exist for them
    assert client.get(reverse("filings:detail", args=[filing.pk])).status_code == 404
    filing = drive(filing, world, "submit", "withdraw")  # v1 submitted, v2 open draft
    assert client.get(reverse("filings:detail", args=[filing.pk])).status_code == 200
    assert client.get(reverse("filings:version", args=[filing.pk, 1])).status_code == 200
    assert client.get(reverse("filings:version", args=[filing.pk, 2])).status_code == 404
    assert client.get(reverse("filings:diff", args=[filing.pk]), {"b": 2}).status_code == 404
    assert client.get(reverse("filings:section_edit", args=[filing.pk, "note"])).status_code == 404
    assert client.get(reverse("filings:check", args=[filing.pk])).status_code == 404
    history = client.get(reverse("filings:history", args=[filing.pk])).content.decode()
    assert "第1版" not in history  # draft edits are not shown to reviewers


def test_attachments_checked_by_content(world: World, filing: Filing, client_for) -> None:
    client = client_for(world.editor)
    url = reverse("filings:attachment_upload", args=[filing.pk])
    fake = SimpleUploadedFile(
        "report.pdf", b"MZ\x90\x00 this is an exe", content_type="application/pdf"
    )
    response = client.post(url, {"file": fake}, follow=True)
    assert "PDF" in response.content.decode()
    assert not Attachment.objects.exists()
    good = SimpleUploadedFile("报告.pdf", PDF, content_type="application/octet-stream")
    client.post(url, {"file": good})
    attachment = Attachment.objects.get()
    assert attachment.content_type == "application/pdf"
    assert attachment.stored_name != "报告.pdf"
    filing.refresh_from_db()
    assert filing.draft.content["_attachments"][0]["sha256"] == attachment.sha256
    download = client.get(reverse("filings:attachment_download", args=[filing.pk, attachment.pk]))
    assert b"".join(download.streaming_content) == PDF


def test_attachment_size_limit(world: World, filing: Filing, client_for) -> None:
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024 + 1))
    response = client_for(world.editor).post(
        reverse("filings:attachment_upload", args=[filing.pk]), {"file": big}, follow=True
    )
    assert "20 MB" in response.content.decode()
    assert not Attachment.objects.exists()


def test_reviewer_downloads_only_submitted_attachments(
    world: World, filing: Filing, client_for
) -> None:
    first = attachment_add(
        filing=filing, upload=SimpleUploadedFile("a.png", PNG), actor=world.editor
    )
    filing = drive(filing, world, "submit", "withdraw")
    later = attachment_add(
        filing=filing, upload=SimpleUploadedFile("b.png", PNG), actor=world.editor
    )
    client = client_for(world.sasac_reviewer)
    assert (
        client.get(reverse("filings:attachment_download", args=[filing.pk, first.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("filings:attachment_download", args=[filing.pk, later.pk])).status_code
        == 404
    )


def test_conflict_is_shown_and_nothing_overwritten(
    world: World, filing: Filing, client_for
) -> None:
    url = reverse("filings:section_edit", args=[filing.pk, "note"])
    a = client_for(world.editor)
    assert a.post(url, {"base_revision": 0, "text": "编辑甲"}).status_code == 200
    from django.test import Client

    from tests.conftest import login_verified

    b = login_verified(Client(), world.lead)
    response = b.post(url, {"base_revision": 0, "text": "编辑乙"})
    body = response.content.decode()
    assert 'data-testid="conflict"' in body
    assert "编辑甲" in body and "编辑乙" in body
    filing.refresh_from_db()
    assert filing.draft.content["note"]["text"] == "编辑甲"


def test_submit_through_check_your_answers_needs_confirmation(
    world: World, filing: Filing, client_for
) -> None:
    fill(filing, world)
    client = client_for(world.lead)
    url = reverse("filings:action", args=[filing.pk, "submit"])
    client.post(url, {})
    filing.refresh_from_db()
    assert filing.state == State.DRAFT
    client.post(url, {"confirm": "yes", **submission_post()})
    filing.refresh_from_db()
    assert filing.state == State.SUBMITTED


def test_editor_cannot_submit(world: World, filing: Filing, client_for) -> None:
    fill(filing, world)
    response = client_for(world.editor).post(
        reverse("filings:action", args=[filing.pk, "submit"]), {"confirm": "yes"}, follow=True
    )
    filing.refresh_from_db()
    assert filing.state == State.DRAFT
    assert response.status_code == 200


def test_decisions_go_through_the_review(world: World, filing: Filing, client_for) -> None:
    """The bare approve/return actions are refused: a decision is recorded by the review,
    with its reasons and, on approval, a filing number."""
    filing = drive(filing, world, "submit", "start_review")
    client = client_for(world.sasac_lead_reviewer)
    assert (
        client.post(
            reverse("filings:action", args=[filing.pk, "return"]), {"reason": "x"}
        ).status_code
        == 404
    )
    client.post(reverse("reviews:decide", args=[filing.pk]), {"outcome": "return", "reasons": ""})
    filing.refresh_from_db()
    assert filing.state == State.UNDER_REVIEW  # a return needs reasons
    client.post(
        reverse("reviews:decide", args=[filing.pk]), {"outcome": "return", "reasons": "指标不全"}
    )
    filing.refresh_from_db()
    assert filing.state == State.RETURNED
    body = client_for(world.lead).get(reverse("filings:detail", args=[filing.pk])).content.decode()
    assert "指标不全" in body
    filing = drive(filing, world, "submit", "start_review")
    client = client_for(world.sasac_lead_reviewer)
    client.post(reverse("reviews:decide", args=[filing.pk]), {"outcome": "approve", "reasons": ""})
    filing.refresh_from_db()
    assert filing.state == State.APPROVED
    body = client_for(world.lead).get(reverse("filings:detail", args=[filing.pk])).content.decode()
    assert "-SASAC-0001" in body
    # a reviewer of another authority cannot decide
    assert (
        client_for(world.bj_reviewer)
        .post(reverse("reviews:decide", args=[filing.pk]), {"outcome": "approve"})
        .status_code
        == 404
    )


def count_queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_page_and_diff_query_counts_do_not_grow(world: World, filing: Filing, client_for) -> None:
    client = client_for(world.lead)
    filing = drive(filing, world, "submit", "start_review", "return")
    pages = [
        reverse("filings:detail", args=[filing.pk]),
        reverse("filings:diff", args=[filing.pk]),
        reverse("filings:versions", args=[filing.pk]),
        reverse("filings:history", args=[filing.pk]),
    ]
    [count_queries(client, url) for url in pages]  # warm the per-user caches (navigation)
    small = [count_queries(client, url) for url in pages]
    filing = drive(filing, world, "submit", "start_review", "return", "submit", "start_review",
                   "return", "submit", "start_review", "return")  # fmt: skip
    for i in range(5):
        attachment_add(
            filing=filing, upload=SimpleUploadedFile(f"{i}.png", PNG), actor=world.editor
        )
    large = [count_queries(client, url) for url in pages]
    assert small == large, (small, large)


def test_start_filing_from_the_enterprise_page(world: World, plan, simple_kind, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.editor)
    body = client.get(world.central.get_absolute_url()).content.decode()
    assert 'data-testid="start-filing"' in body
    response = client.post(reverse("filings:start", args=[world.central.credit_code, plan.pk]))
    filing = Filing.objects.get(enterprise=world.central, deliverable=plan)
    assert response["Location"] == filing.get_absolute_url()
    # a reviewer cannot start one, nor can another enterprise's lead
    assert (
        client_for(world.sasac_lead_reviewer)
        .post(reverse("filings:start", args=[world.central.credit_code, plan.pk]))
        .status_code
        == 302
    )
    assert (
        client_for(world.other_lead)
        .post(reverse("filings:start", args=[world.central.credit_code, plan.pk]))
        .status_code
        == 404
    )
    assert Filing.objects.count() == 1


def test_cached_version_pages_follow_the_language(world: World, filing: Filing, client_for) -> None:
    filing = drive(filing, world, "submit")
    client = client_for(world.lead)
    url = reverse("filings:version", args=[filing.pk, 1])
    zh = client.get(url).content.decode()
    assert "附件" in zh
    client.post(reverse("accounts:set_language"), {"language": "en", "next": url})
    en = client.get(url).content.decode()
    assert "Attachments" in en and "附件" not in en.split("<main", 1)[1].split("</main>")[0]
    # a second, cached rendering is the same page
    assert client.get(url).content.decode().count("Attachments") == en.count("Attachments")


# --- The version in question --------------------------------------------------------------


def heading(body: str) -> str:
    return body.split('data-testid="shown-heading"', 1)[1].split("</h2>", 1)[0]


def test_the_reviewer_sees_the_amendment_under_review_and_the_version_in_force(
    world: World, plan: Deliverable, client_for: Any
) -> None:
    from apps.filings.services import filing_save_section, filing_transition
    from tests.stages.conftest import make_approved_plan

    plan_filing = make_approved_plan(world, plan)
    v1 = plan_filing.approved_version
    assert v1 is not None
    plan_filing = filing_transition(filing=plan_filing, action="amend", actor=world.lead)
    assert plan_filing.draft is not None
    indicators = plan_filing.draft.content["indicators"]
    for row in indicators["rows"]:
        if row["id"] == "debt_to_asset":
            row["baseline"] = "58.76"
    filing_save_section(
        filing=plan_filing, section="indicators", data=indicators,
        base_revision=int(plan_filing.draft.revisions.get("indicators", 0)), actor=world.editor,
    )  # fmt: skip
    url = reverse("filings:detail", args=[plan_filing.pk])
    banner = zh("Version %(n)s is filed and in force.", n=1)
    version_1 = reverse("filings:version", args=[plan_filing.pk, 1])

    # The enterprise, drafting: its draft, version 2, under a heading that says so.
    lead = client_for(world.lead).get(url).content.decode()
    assert 'data-testid="current-version" data-version="2"' in lead
    assert zh("Draft, version %(n)s: what it says so far", n=2) in heading(lead)
    assert "58.76" in lead
    assert banner in lead and f'href="{version_1}"' in lead

    # The reviewer, meanwhile: the version in force, with no banner about itself.
    reviewer = client_for(world.sasac_reviewer)
    body = reviewer.get(url).content.decode()
    assert 'data-testid="current-version" data-version="1"' in body
    assert zh("Version %(n)s, filed and in force", n=1) in heading(body)
    assert 'data-testid="in-force-banner"' not in body and "58.76" not in body

    # Submitted and under review: version 2 is the page, with its fingerprint and sender.
    plan_filing = filing_transition(
        filing=plan_filing, action="submit", submission=a_submission(), actor=world.lead
    )
    plan_filing = filing_transition(
        filing=plan_filing, action="start_review", actor=world.sasac_reviewer
    )
    v2 = plan_filing.latest_submitted
    assert v2 is not None and v2.number == 2
    body = reviewer.get(url).content.decode()
    assert 'data-testid="current-version" data-version="2"' in body
    assert zh("Version %(n)s, under review", n=2) in heading(body)
    assert f"sha256 {v2.sha256[:12]}" in body and f"sha256 {v1.sha256[:12]}" not in body
    assert world.lead.full_name in body.split('data-testid="shown-heading"', 1)[1]
    assert "58.76" in body
    assert banner in body and f'href="{version_1}"' in body
    # The review panel comments on version 2 and compares it with the last decision's.
    assert '<input type="hidden" name="version" value="2">' in body
    changes = reverse("filings:diff", args=[plan_filing.pk]) + "?a=1&amp;b=2"
    assert f'href="{changes}"' in body

    # Returned: the reviewer still reads version 2, the enterprise its new draft, version 3.
    from apps.reviews.services import decision_make

    decision_make(filing=plan_filing, outcome="return", reasons="请核实资产负债率",
                  actor=world.sasac_lead_reviewer)  # fmt: skip
    body = reviewer.get(url).content.decode()
    assert zh("Version %(n)s, returned for revision", n=2) in heading(body)
    assert banner in body
    lead = client_for(world.lead).get(url).content.decode()
    assert zh("Draft, version %(n)s: what it says so far", n=3) in heading(lead)
    assert 'data-testid="draft-card"' in lead and banner in lead


def test_the_enterprise_sees_its_draft_and_the_reviewer_the_submission(
    world: World, filing: Filing, client_for
) -> None:
    filing = drive(filing, world, "submit", "withdraw")  # v1 withdrawn, v2 the open draft
    fill(filing, world, "草稿的新说明")
    url = reverse("filings:detail", args=[filing.pk])
    lead = client_for(world.lead).get(url).content.decode()
    assert 'data-testid="current-version" data-version="2"' in lead
    assert "草稿的新说明" in lead and 'data-testid="draft-card"' in lead
    assert 'data-testid="in-force-banner"' not in lead  # nothing is in force yet
    reviewer = client_for(world.sasac_reviewer).get(url).content.decode()
    assert 'data-testid="current-version" data-version="1"' in reviewer
    assert zh("Version %(n)s, withdrawn", n=1) in heading(reviewer)
    assert "草稿的新说明" not in reviewer and "第1版" in reviewer


# --- The task list and the section editor's answers (issue 14) ---------------------------

PLAN_SECTIONS = ["diagnosis", "benchmarks", "indicators", "measures", "tasks", "assurance"]


@pytest.fixture
def fresh_plan(world: World, plan: Deliverable) -> Filing:
    """A plan just started: the real plan kind, every section as it was created."""
    from apps.filings.services import filing_start

    return filing_start(enterprise=world.central, deliverable=plan, actor=world.lead)


def sections_completed(done: int, total: int) -> str:
    """The task list's count, as a Chinese user reads it (a plural message: ``zh`` reads
    singular ones)."""
    from django.utils import translation
    from django.utils.html import escape

    with translation.override("zh-hans"):
        text = translation.ngettext(
            "%(done)s of %(total)s section completed",
            "%(done)s of %(total)s sections completed",
            total,
        )
    return escape(text % {"done": done, "total": total})


def statuses(body: str) -> dict[str, str]:
    """{section: status} of the task list on the filing's page (or the editor's list)."""
    import re

    found = re.findall(r'data-section="([a-z_]+)" data-status="([a-z_]+)"', body)
    return dict(found)


def section_post(filing: Filing, key: str, content: dict[str, Any], **extra: str) -> dict:
    """What the editor of ``key`` sends back for ``content`` (every field, every row)."""
    from apps.filings.kinds import get_kind
    from tests.plans.conftest import post_data

    filing.refresh_from_db()
    assert filing.draft is not None
    section = get_kind("plan").section(key)
    assert section is not None
    form = section.form_class(None, content=content, filing=filing)
    revision = str(filing.draft.revisions.get(key, 0))
    return post_data(form, base_revision=revision, save="1", **extra)


def test_a_new_plan_shows_a_task_list_not_the_missing_items(
    world: World, fresh_plan: Filing, client_for
) -> None:
    body = client_for(world.editor).get(reverse("filings:detail", args=[fresh_plan.pk]))
    html = body.content.decode()
    assert 'data-testid="task-list"' in html
    assert statuses(html) == dict.fromkeys(PLAN_SECTIONS, "not_started")
    assert html.count(zh("Not started")) == 6
    assert sections_completed(0, 6) in html
    # Not the wall of 61 missing items: those are on the check-your-answers page.
    assert 'data-testid="missing-list"' not in html
    assert zh("Describe the key factors of value creation.") not in html
    assert zh("Describe the incentives.") not in html
    check = client_for(world.editor).get(reverse("filings:check", args=[fresh_plan.pk]))
    check_html = check.content.decode()
    assert 'data-testid="missing-list"' in check_html
    assert zh("Describe the key factors of value creation.") in check_html
    # There, one group per section; the indicators' (dozens of items) folded.
    assert check_html.count('data-testid="missing-group"') == 6
    group = '<details class="missing-group" data-testid="missing-group" data-section="%s"%s>'
    assert group % ("diagnosis", " open") in check_html
    assert group % ("indicators", "") in check_html


def test_a_saved_section_is_completed_and_a_cleared_field_takes_it_back(
    world: World, fresh_plan: Filing, client_for
) -> None:
    client = client_for(world.editor)
    edit = reverse("filings:section_edit", args=[fresh_plan.pk, "diagnosis"])
    detail = reverse("filings:detail", args=[fresh_plan.pk])
    complete = {"key_factors": "主业规模效益。", "shortcomings": "研发投入不足。"}
    response = client.post(edit, section_post(fresh_plan, "diagnosis", complete))
    assert response.status_code == 200
    html = client.get(detail).content.decode()
    assert statuses(html) == {
        "diagnosis": "completed", "benchmarks": "not_started", "indicators": "not_started",
        "measures": "not_started", "tasks": "not_started", "assurance": "not_started",
    }  # fmt: skip
    assert zh("Completed") in html
    assert sections_completed(1, 6) in html

    # Half of another section: in progress.
    assurance = {"organisation": "成立领导小组。", "incentives": "", "constraints": ""}
    client.post(
        reverse("filings:section_edit", args=[fresh_plan.pk, "assurance"]),
        section_post(fresh_plan, "assurance", assurance),
    )
    html = client.get(detail).content.decode()
    assert statuses(html)["assurance"] == "in_progress"
    assert zh("In progress") in html

    # A required field cleared and saved through htmx: the tick goes, in the editor's list
    # (sent out of band with the answer) and on the overview.
    cleared = {"key_factors": "", "shortcomings": "研发投入不足。"}
    response = client.post(
        edit, section_post(fresh_plan, "diagnosis", cleared), HTTP_HX_REQUEST="true"
    )
    answer = response.content.decode()
    assert 'data-testid="saved"' in answer
    assert 'id="section-nav" data-testid="section-nav" hx-swap-oob="true">' in answer
    assert statuses(answer)["diagnosis"] == "in_progress"
    assert f'<div id="editor-status" hx-swap-oob="innerHTML">{zh("Saved.")}</div>' in answer
    assert statuses(client.get(detail).content.decode())["diagnosis"] == "in_progress"
    # The overview is never served from the browser's cache after a save.
    assert "no-store" in client.get(detail)["Cache-Control"]


def test_a_refused_save_has_an_error_summary_linking_to_the_cell(
    world: World, fresh_plan: Filing, client_for
) -> None:
    client = client_for(world.editor)
    fresh_plan.refresh_from_db()
    before = fresh_plan.draft.content
    data = section_post(fresh_plan, "indicators", before["indicators"])
    data["indicators-2-baseline"] = "12,5"  # the debt-to-asset ratio, third of the core rows
    response = client.post(
        reverse("filings:section_edit", args=[fresh_plan.pk, "indicators"]),
        data,
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert 'data-testid="error-summary"' in html and zh("There is a problem") in html
    message = zh(
        "“%(typed)s” is not a number: a comma can only separate thousands (1,175,000); "
        "write decimals with a point (12.5).",
        typed="12,5",
    )
    line = zh(
        "%(row)s, %(field)s: %(message)s", row="资产负债率", field=zh("Baseline"), message=message
    )
    assert f'<li><a href="#field-indicators-2-baseline">{line}</a></li>' in html
    # The cell says it too, beside its input, which keeps what was typed.
    assert 'id="field-indicators-2-baseline"' in html and 'value="12,5"' in html
    assert 'aria-invalid="true"' in html
    # Nothing saved, nothing announced, and the section list is still sent.
    assert 'data-testid="saved"' not in html
    assert '<div id="editor-status" hx-swap-oob="innerHTML"></div>' in html
    fresh_plan.refresh_from_db()
    assert fresh_plan.draft.content == before


def test_outsiders_get_404_for_the_task_list_and_the_editor(
    world: World, fresh_plan: Filing, client_for
) -> None:
    for outsider in (world.other_lead, world.bj_lead, world.gd_reviewer):
        client = client_for(outsider)
        assert client.get(reverse("filings:detail", args=[fresh_plan.pk])).status_code == 404
        edit = reverse("filings:section_edit", args=[fresh_plan.pk, "diagnosis"])
        assert client.get(edit).status_code == 404
        assert client.post(edit, {"key_factors": "x", "save": "1"}).status_code == 404
