"""A filing is a record (备案), not an approval: the lead reviewer's decisions read 予以备案 and
退回修改, a filed version reads 已备案, its number is the 备案编号, on every page, email and
packet, in Chinese and in English; the notice is the campaign's data."""

import subprocess
from pathlib import Path
from typing import Any

import polib
import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from apps.filings.models import Filing
from apps.packets.models import Packet, PacketKind
from apps.packets.services import packet_path
from apps.reviews.services import decision_make
from apps.timeline.models import Campaign
from tests.conftest import World, visible_text
from tests.filings.conftest import drive, filing, simple_kind  # noqa: F401
from tests.packets.conftest import approve, plan_filing  # noqa: F401
from tests.stages.conftest import approved_plan, summary  # noqa: F401

pytestmark = pytest.mark.django_db

# Words that mean "approved (passed an examination)": a record is filed, never passed.
APPROVAL_WORDS = ("通过", "审核通过")


def decide(target: Filing, world: World, outcome: str) -> Filing:
    """The lead reviewer's decision on the version under review (a filing number with a
    filing, reasons with a return)."""
    decision_make(
        filing=target, outcome=outcome, reasons="请补充指标" if outcome == "return" else "",
        actor=world.sasac_lead_reviewer,
    )  # fmt: skip
    target.refresh_from_db()
    return target


def _switch_language(client: Client, language: str) -> None:
    response = client.post(reverse("accounts:set_language"), {"language": language, "next": "/"})
    assert response.status_code == 302


def _pages(client: Client, filed: Filing) -> str:
    """The filing page (with its review panel), its history and the notification centre."""
    text = []
    for url in (
        filed.get_absolute_url(),
        reverse("filings:history", kwargs={"pk": filed.pk}),
        reverse("notifications:centre"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        text.append(visible_text(response.content.decode()))
    return "\n".join(text)


@pytest.fixture
def filed(
    world: World,
    filing: Filing,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> Filing:
    with django_capture_on_commit_callbacks(execute=True):
        filing = decide(drive(filing, world, "submit", "start_review"), world, "approve")
    return filing


def test_pages_read_filed_in_chinese(world: World, filed: Filing, client_for) -> None:
    for user in (world.lead, world.sasac_lead_reviewer):
        text = _pages(client_for(user), filed)
        assert "已备案" in text
        assert "予以备案" in text  # the decision, in the review panel and the history
        assert "备案编号" in text
        for word in APPROVAL_WORDS:
            assert word not in text, (user, word)


def test_pages_read_filed_in_english(world: World, filed: Filing, client_for) -> None:
    for user in (world.lead, world.sasac_lead_reviewer):
        client = client_for(user)
        _switch_language(client, "en")
        text = _pages(client, filed)
        assert "Filed" in text
        assert "Filing number" in text
        assert "Approved" not in text and "approved" not in text


def test_the_review_panel_offers_file_and_return_for_revision(
    world: World,
    filing: Filing,  # noqa: F811
    client_for,
) -> None:
    filing = drive(filing, world, "submit", "start_review")
    client = client_for(world.sasac_lead_reviewer)
    text = visible_text(client.get(filing.get_absolute_url()).content.decode())
    assert "予以备案" in text and "退回修改" in text
    assert "通过" not in text
    _switch_language(client, "en")
    text = visible_text(client.get(filing.get_absolute_url()).content.decode())
    assert "File" in text and "Return for revision" in text
    assert "Approve" not in text


def test_the_decision_email_says_filed(
    world: World,
    filing: Filing,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    world.editor.preferred_language = "en"
    world.editor.save(update_fields=["preferred_language"])
    filing = drive(filing, world, "submit", "start_review")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decide(filing, world, "approve")
    messages = {m.to[0]: m for m in mail.outbox}
    chinese, english = messages[world.lead.email], messages[world.editor.email]
    assert "已予以备案" in chinese.subject
    chinese_text = chinese.subject + chinese.body
    assert all(word not in chinese_text for word in APPROVAL_WORDS)
    assert "was filed" in english.subject
    assert "approved" not in english.subject + english.body


def test_the_return_email_says_return_for_revision(
    world: World,
    filing: Filing,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    filing = drive(filing, world, "submit", "start_review")
    with django_capture_on_commit_callbacks(execute=True):
        decide(filing, world, "return")
    (email, *_rest) = [m for m in mail.outbox if m.to == [world.lead.email]]
    assert "退回修改" in email.subject


def test_an_outsider_reads_nothing_of_the_filed_filing(
    world: World, filed: Filing, client_for
) -> None:
    response = client_for(world.bj_reviewer).get(filed.get_absolute_url())
    assert response.status_code == 404


def _final_packet_text(
    plan_filing: Filing,  # noqa: F811
    world: World,
    capture: Any,
) -> str:
    with capture(execute=True):
        version = approve(plan_filing, world)
    final = Packet.objects.get(version=version, kind=PacketKind.FINAL)
    return subprocess.run(
        ["pdftotext", str(packet_path(final)), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_final_packet_reads_filed_and_the_campaigns_notice(
    world: World,
    plan_filing: Filing,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    campaign = plan_filing.deliverable.campaign
    Campaign.objects.filter(pk=campaign.pk).update(
        notice="国资发改革〔2099〕5号", notice_title="关于测试的通知", notice_issuer="测试国资委"
    )
    text = _final_packet_text(plan_filing, world, django_capture_on_commit_callbacks)
    flat = "".join(text.split())
    assert "备案版本" in text and "Filed version" in text
    assert "备案编号" in text
    assert "予以备案" in text  # the decision in the review history
    assert "测试国资委《关于测试的通知》（国资发改革〔2099〕5号）" in flat
    assert "国资委〔2022〕79号" not in flat
    # The demo plan's own words say a key task's result "passes acceptance" (通过验收): the
    # enterprise's text, not the system's.
    assert "审核通过" not in flat
    assert flat.replace("并通过验收", "").count("通过") == 0


def test_the_footer_reads_the_active_campaigns_notice(
    world: World, plan: Any, client_for, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(world.lead)
    campaign = plan.campaign
    campaign.notice = "国资发改革〔2022〕79号"
    campaign.save()
    html = client.get("/").content.decode()
    assert (
        "国务院国资委《关于开展对标世界一流企业价值创造行动的通知》（国资发改革〔2022〕79号）"
        in html
    )
    # Changed through the service that edits campaigns, the footer follows at once.
    from apps.timeline import services

    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_save(
            campaign=campaign,
            fields={"notice": "国资发改革〔2099〕5号"},
            stage_dates={s.kind: (s.starts_on, s.ends_on) for s in campaign.stages.all()},
            actor=world.admin,
        )
    html = client.get("/").content.decode()
    assert "（国资发改革〔2099〕5号）" in html
    assert "79号" not in html


def test_the_migrated_campaign_cites_the_real_notice() -> None:
    campaign = Campaign.objects.get(code="VC2023")
    assert campaign.notice == "国资发改革〔2022〕79号"
    assert campaign.notice_title == "关于开展对标世界一流企业价值创造行动的通知"
    assert campaign.notice_issuer == "国务院国资委"


def test_the_enterprise_role_that_submits_is_the_filing_officer(world: World, client_for) -> None:
    client = client_for(world.lead)
    text = visible_text(client.get("/").content.decode())
    assert "报送管理员" in text and "企业负责人" not in text
    _switch_language(client, "en")
    text = visible_text(client.get("/").content.decode())
    assert "Filing officer" in text and "Enterprise lead" not in text


# Where filings are worded: a Chinese text here must never say 通过 (passed) of a filing.
FILING_PLACES = (
    "apps/filings/",
    "apps/reviews/",
    "apps/packets/",
    "apps/notifications/",
    "templates/filings/",
    "templates/reviews/",
    "templates/packets/",
    "templates/notifications/",
)


def test_the_catalogue_never_says_passed_of_a_filing() -> None:
    catalogue = polib.pofile(
        str(Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    )
    offending = [
        (entry.msgid, entry.msgstr)
        for entry in catalogue
        if not entry.obsolete
        and any(path.startswith(FILING_PLACES) for path, _line in entry.occurrences)
        and any(
            word in text
            for word in APPROVAL_WORDS
            for text in [entry.msgstr, *entry.msgstr_plural.values()]
        )
    ]
    assert offending == []


def test_the_filing_number_follows_the_campaigns_pattern_and_the_authoritys_own(
    world: World, plan: Any
) -> None:
    from apps.reviews.services import format_filing_number

    campaign = plan.campaign
    assert format_filing_number(campaign, world.sasac, 7) == "T2026-SASAC-0007"
    campaign.filing_number_patterns = {"11": "京国资备〔{campaign}〕{seq:03d}号"}
    campaign.full_clean()
    assert format_filing_number(campaign, world.beijing, 7) == "京国资备〔T2026〕007号"
    assert format_filing_number(campaign, world.sasac, 12) == "T2026-SASAC-0012"


@pytest.mark.parametrize("pattern", ["{campaign}-{authority}", "{campaign}-{nope}-{seq}", "{seq"])
def test_a_pattern_without_a_number_or_with_an_unknown_field_is_refused(
    plan: Any, pattern: str
) -> None:
    from django.core.exceptions import ValidationError

    campaign = plan.campaign
    campaign.filing_number_pattern = pattern
    with pytest.raises(ValidationError) as caught:
        campaign.full_clean()
    assert "filing_number_pattern" in caught.value.message_dict


def _receive_summary(world: World, target: Filing) -> Any:
    from apps.reviews.models import Decision
    from apps.stages.demo import stage_fill
    from tests.stages.conftest import approve as submit_and_approve

    stage_fill(filing=target, actor=world.editor)
    submit_and_approve(target, world)
    return Decision.objects.get(filing=target)


def test_a_stage_summary_is_received_without_a_filing_number(
    world: World,
    summary: Filing,  # noqa: F811
    client_for,
) -> None:
    from django.utils import translation

    from apps.reviews.models import FilingNumberSequence

    decision = _receive_summary(world, summary)
    assert decision.outcome == "approve" and decision.filing_number is None
    with translation.override("zh-hans"):
        assert decision.outcome_label == "已接收"
    with translation.override("en"):
        assert decision.outcome_label == "Received"
    # the plan took T2026-SASAC-0001; the summary advanced nothing
    assert FilingNumberSequence.objects.get().last_number == 1
    html = client_for(world.sasac_lead_reviewer).get(summary.get_absolute_url()).content.decode()
    assert "已接收" in visible_text(html)
    assert 'data-testid="filing-number"' not in html
    assert client_for(world.bj_reviewer).get(summary.get_absolute_url()).status_code == 404


def test_a_campaign_may_number_stage_summaries(
    world: World,
    summary: Filing,  # noqa: F811
) -> None:
    Campaign.objects.filter(pk=summary.deliverable.campaign_id).update(numbers_receipts=True)
    decision = _receive_summary(world, summary)
    assert decision.filing_number == "T2026-SASAC-0002"
