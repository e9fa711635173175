"""A lead reviewer approves a plan in the browser and downloads its final packet; then asks
for the ZIP of the deliverable's approved packets and watches it get ready."""

import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from apps.filings.services import filing_transition
from apps.packets.models import Packet, PacketKind, PacketState
from apps.timeline.models import Deliverable
from tests.browser.conftest import answer_confirm, describe, login_by_cookie, run_axe
from tests.conftest import World
from tests.filings.conftest import a_submission
from tests.packets.conftest import fill_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lead_reviewer_approves_and_downloads_the_final_packet(
    world: World, plan: Deliverable, page: Any, live_server: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    from apps.filings.services import filing_start

    filing = filing_start(enterprise=world.central, deliverable=plan, actor=world.editor)
    fill_plan(filing, world)
    # Tasks run eagerly in tests: the submission packet is rendered on commit.
    filing = filing_transition(
        filing=filing, action="submit", submission=a_submission(), actor=world.lead
    )
    filing = filing_transition(filing=filing, action="start_review", actor=world.sasac_reviewer)
    assert not Packet.objects.filter(kind=PacketKind.FINAL).exists()

    login_by_cookie(page, live_server, world.sasac_lead_reviewer)
    page.goto(reverse("filings:detail", args=[filing.pk]))
    form = page.locator("[data-testid=decision-form]")
    form.locator("input[name=outcome][value=approve]").check()
    with page.expect_navigation():
        form.locator("[data-testid=decide]").click()
        answer_confirm(page)  # "Record this decision?"
    expect(page.locator("[data-testid=filing-number]")).to_be_visible()

    final = Packet.objects.get(version=filing.latest_submitted, kind=PacketKind.FINAL)
    assert final.state == PacketState.READY
    link = page.locator(f"[data-testid=packet-final-v{final.version.number}] a")
    with page.expect_download() as info:
        link.click()
    download = info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    data = saved.read_bytes()
    assert data.startswith(b"%PDF-")
    assert download.suggested_filename.endswith("-final.pdf")
    import hashlib

    assert hashlib.sha256(data).hexdigest() == final.sha256

    # The verification page recognises the downloaded file.
    page.goto(reverse("packets:verify"))
    page.set_input_files("input[name=packet]", str(saved))
    with page.expect_navigation():
        page.click("[data-testid=verify-submit]")
    expect(page.locator("[data-testid=verify-match]")).to_be_visible()
    expect(page.locator("[data-testid=verify-row]")).to_have_count(2)  # file + embedded data
    assert run_axe(page) == [], describe(run_axe(page))

    # The ZIP of the deliverable's approved packets, from the authority's packets page.
    page.goto(world.sasac.get_absolute_url())
    with page.expect_navigation():
        page.click("[data-testid=authority-packets-link]")
    row = page.locator(f"[data-testid=packet-deliverable][data-deliverable='{plan.pk}']")
    expect(row.locator("[data-testid=approved-count]")).to_have_text("1")
    assert run_axe(page) == [], describe(run_axe(page))
    with page.expect_navigation():
        row.locator("[data-testid=request-zip]").click()
    assert re.search(r"/packets/bundles/\d+/$", page.url)
    expect(page.locator("[data-testid=bundle-progress]")).to_have_attribute("data-state", "ready")
    bar = page.locator(".progress-bar")
    assert bar.evaluate("el => el.style.width") == "100%"  # set by packets.js, not inline
    assert run_axe(page) == [], describe(run_axe(page))
    with page.expect_download() as info:
        page.click("[data-testid=bundle-download]")
    zipped = tmp_path / "bundle.zip"
    info.value.save_as(zipped)
    assert zipped.read_bytes().startswith(b"PK")

    # A bundle still waiting: the page polls (htmx, every 2 s) until the worker is done.
    from apps.packets.models import PacketBundle
    from apps.packets.services import bundle_build

    waiting = PacketBundle.objects.create(
        authority=world.sasac, deliverable=plan, requested_by=world.sasac_lead_reviewer
    )
    page.goto(waiting.get_absolute_url())
    card = page.locator("[data-testid=bundle-progress]")
    expect(card).to_have_attribute("data-state", "pending")
    assert bar.evaluate("el => el.style.width") == "0%"
    bundle_build(bundle_id=waiting.pk)
    expect(card).to_have_attribute("data-state", "ready", timeout=10_000)
    expect(page.locator("[data-testid=bundle-download]")).to_be_visible()
    assert page.locator(".progress-bar").evaluate("el => el.style.width") == "100%"
    assert page.console_errors == []
