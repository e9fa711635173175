"""The plan's sections through the filing pages (the generic editor, check-your-answers):
what an enterprise editor does, end to end."""

from typing import Any

import pytest
from django.test import Client

from apps.filings import services
from apps.filings.kinds import get_kind
from apps.filings.models import Filing, FilingVersion
from apps.timeline.models import Campaign
from tests.conftest import World
from tests.plans.conftest import filled_content, post_data

pytestmark = pytest.mark.urls("tests.plans.urls")


@pytest.fixture
def started(world: World, campaign: Campaign) -> Filing:
    return services.filing_start(
        enterprise=world.central,
        deliverable=campaign.deliverables.get(kind="plan"),
        actor=world.lead,
    )


def draft_of(filing: Filing) -> FilingVersion:
    filing.refresh_from_db()
    assert filing.draft_id is not None
    return FilingVersion.objects.get(pk=filing.draft_id)


def editor_post(
    filing: Filing, key: str, section_content: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    section = get_kind("plan").section(key)
    assert section is not None
    form = section.form_class(None, content=section_content, filing=filing)
    revision = draft_of(filing).revisions.get(key, 0)
    return post_data(form, base_revision=str(revision), **extra)


def test_every_section_editor_renders(started: Filing, world: World, client_for: Any) -> None:
    client: Client = client_for(world.editor)
    for section in get_kind("plan").sections:
        response = client.get(f"/filings/{started.pk}/edit/{section.key}/")
        assert response.status_code == 200, section.key
    html = client.get(f"/filings/{started.pk}/edit/indicators/").content.decode()
    assert 'id="field-indicators-baseline"' in html
    assert f'hx-post="/filings/{started.pk}/plan/gap/"' in html


def test_add_row_does_not_save(started: Filing, world: World, client_for: Any) -> None:
    client: Client = client_for(world.editor)
    before = draft_of(started)
    data = editor_post(started, "tasks", before.content["tasks"], add_row="1")
    response = client.post(f"/filings/{started.pk}/edit/tasks/", data)
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="task-row"') == 2
    assert draft_of(started).revisions == before.revisions


def test_fill_every_section_then_nothing_is_missing(
    started: Filing, world: World, client_for: Any
) -> None:
    client: Client = client_for(world.editor)
    target = filled_content(started)
    target["benchmarks"]["rows"][0]["name"] = "A&B 集团 (<5% 国有股)"
    for section in get_kind("plan").sections:
        # What the editor shows for the filled content, posted over the stored draft.
        form = section.form_class(None, content=target[section.key], filing=started)
        revision = draft_of(started).revisions.get(section.key, 0)
        data = post_data(form, base_revision=str(revision), save="1")
        # The draft holds other row ids: new rows are created from the posted values.
        response = client.post(f"/filings/{started.pk}/edit/{section.key}/", data)
        assert response.status_code in (200, 302), section.key
        assert "errorlist" not in response.content.decode(), section.key
    draft = draft_of(started)
    assert get_kind("plan").completeness(draft.content, started) == []
    assert draft.content["indicators"]["rows"][2]["baseline"] == "62"
    page = client.get(f"/filings/{started.pk}/check/").content.decode()
    assert "A&amp;B 集团 (&lt;5% 国有股)" in page


def test_html_is_refused_in_the_editor(started: Filing, world: World, client_for: Any) -> None:
    client: Client = client_for(world.editor)
    before = draft_of(started)
    data = editor_post(
        started, "diagnosis", before.content["diagnosis"], key_factors="<script>alert(1)</script>"
    )
    response = client.post(f"/filings/{started.pk}/edit/diagnosis/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="field-diagnosis-key_factors_error"' in html
    assert "<script>alert" not in html
    assert draft_of(started).content == before.content
