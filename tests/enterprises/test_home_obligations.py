"""What's due, first: an enterprise's obligations by urgency (overdue, the longest overdue
first, then due within 14 days, then later, then handed in), with days counted from the
effective due date, each with the reader's next step; the overdue banner at the top of the
enterprise's page and of the start page; a query count that does not grow with the data; the
outsider's 404."""

import datetime as dt
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import User
from apps.enterprises.models import Enterprise, Role
from apps.enterprises.services import membership_grant
from apps.filings.kinds import FilingKind
from apps.filings.models import Filing, FilingVersion, ReadyForLead
from apps.filings.readiness import filing_mark_ready
from apps.filings.services import filing_start
from apps.home.due import NEXT_STEP, SOON_DAYS, Step, Urgency, due_items, next_step
from apps.timeline.campaigns import campaign_ensure
from apps.timeline.models import (
    AuthorityDeadline,
    Campaign,
    Deliverable,
    Extension,
    Stage,
    local_today,
)
from apps.timeline.obligations import ObligationStatus
from tests.conftest import World, zh
from tests.factories import EnterpriseFactory
from tests.filings.conftest import simple_kind  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db

D = dt.date
# 2026-07-29, 18:00 in Beijing: the T2026 plan (due 2026-03-31) is 120 days overdue, the
# H1 summary (2026-07-31) due in 2 days, the H2 summary (2026-12-15) and the assessment
# (2027-03-31) later.
NOW = dt.datetime(2026, 7, 29, 10, 0, tzinfo=dt.UTC)


def enterprise_url(enterprise: Enterprise) -> str:
    return reverse("enterprises:enterprise_detail", args=[enterprise.credit_code])


def rows(items: list[Any]) -> list[tuple[str, str, str]]:
    return [(i.deliverable.title_en, str(i.urgency), str(i.step)) for i in items]


def frozen_version(filing: Filing, by: User) -> FilingVersion:
    return FilingVersion.objects.create(
        filing=filing, number=1, content={}, snapshot="{}", sha256="0" * 64,
        created_by=by, submitted_by=by, submitted_at=NOW,
    )  # fmt: skip


def filing_in(enterprise: Enterprise, deliverable: Deliverable, state: str, by: User) -> Filing:
    """A filing in ``state``, written directly (the workflow's own tests drive it)."""
    filing = Filing.objects.create(
        enterprise=enterprise, deliverable=deliverable, kind=deliverable.kind, state=state
    )
    if state != "draft":
        filing.first_submitted_at = filing.submitted_at = NOW
        filing.latest_submitted = frozen_version(filing, by)
    if state in ("draft", "returned"):
        number = 1 if state == "draft" else 2
        filing.draft = FilingVersion.objects.create(filing=filing, number=number, created_by=by)
    if state == "approved":
        filing.approved_version = filing.latest_submitted
    filing.save()
    return filing


# --- The next step, as a table -------------------------------------------------------------


def test_next_step_for_each_state_and_role() -> None:
    assert {(str(s), str(r)): str(step) for (s, r), step in NEXT_STEP.items()} == {
        ("not_started", "editor"): "start",
        ("not_started", "lead"): "start",
        ("draft", "editor"): "continue",
        ("draft", "lead"): "check_and_submit",
        ("returned", "editor"): "revise",
        ("returned", "lead"): "answer_return",
        ("submitted", "editor"): "wait_for_review",
        ("submitted", "lead"): "wait_for_review",
        ("under_review", "editor"): "wait_for_review",
        ("under_review", "lead"): "wait_for_review",
        ("approved", "editor"): "filed",
        ("approved", "lead"): "filed",
    }
    # A draft marked ready for the lead: the editor waits for the lead, the lead checks.
    assert next_step("draft", "editor", marked_ready=True) == Step.WAIT_FOR_LEAD
    assert next_step("draft", "lead", marked_ready=True) == Step.CHECK_AND_SUBMIT
    assert next_step("returned", "editor", marked_ready=True) == Step.WAIT_FOR_LEAD
    assert next_step("returned", "lead", marked_ready=True) == Step.ANSWER_RETURN
    assert next_step("submitted", "editor", marked_ready=True) == Step.WAIT_FOR_REVIEW


# --- Order and days --------------------------------------------------------------------------


def test_overdue_first_then_due_soon_then_later(world: World, campaign: Campaign) -> None:
    items = due_items([world.central], {world.central.pk: Role.EDITOR}, now=NOW)
    assert rows(items) == [
        ("Plan", "overdue", "start"),
        ("H1 summary", "soon", "start"),
        ("H2 summary", "later", "start"),
        ("Assessment", "later", "start"),
    ]
    assert items[0].days_overdue == 120
    assert items[1].obligation.days_left == 2
    assert items[0].url == reverse(
        "filings:start", args=[world.central.credit_code, items[0].deliverable.pk]
    )


def test_days_overdue_count_from_the_effective_due_date(world: World, plan: Deliverable) -> None:
    # The authority's own deadline moves the date (2026-04-30: 90 days before NOW)...
    AuthorityDeadline.objects.create(
        deliverable=plan, authority=world.sasac, due_on=D(2026, 4, 30),
        set_by=world.sasac_lead_reviewer,
    )  # fmt: skip
    (item,) = [i for i in due_items([world.central], {world.central.pk: Role.LEAD}, now=NOW)
               if i.deliverable == plan]  # fmt: skip
    assert (item.urgency, item.days_overdue, item.obligation.due_source) == (
        Urgency.OVERDUE, 90, "authority",
    )  # fmt: skip
    # ... and the enterprise's extension takes precedence (2026-05-31: 59 days).
    Extension.objects.create(deliverable=plan, enterprise=world.central, due_on=D(2026, 5, 31),
                             reason="延期", granted_by=world.sasac_lead_reviewer)  # fmt: skip
    (item,) = [i for i in due_items([world.central], {world.central.pk: Role.LEAD}, now=NOW)
               if i.deliverable == plan]  # fmt: skip
    assert (item.urgency, item.days_overdue, item.obligation.due_source) == (
        Urgency.OVERDUE, 59, "extension",
    )  # fmt: skip
    # An extension beyond today: not overdue any more, due in 3 days.
    Extension.objects.filter(deliverable=plan).update(due_on=D(2026, 8, 1))
    (item,) = [i for i in due_items([world.central], {world.central.pk: Role.LEAD}, now=NOW)
               if i.deliverable == plan]  # fmt: skip
    assert (item.urgency, item.days_overdue, item.obligation.days_left) == (Urgency.SOON, 0, 3)


def test_due_soon_means_within_14_days(world: World, campaign: Campaign) -> None:
    assert SOON_DAYS == 14
    roles = {world.central.pk: Role.EDITOR}

    def h1_urgency(now: dt.datetime) -> str:
        return next(
            str(i.urgency) for i in due_items([world.central], roles, now=now)
            if i.deliverable.title_en == "H1 summary"
        )  # fmt: skip

    # H1 is due 2026-07-31: 14 days before (Beijing) is soon, 15 days before is later.
    assert h1_urgency(dt.datetime(2026, 7, 17, 1, 0, tzinfo=dt.UTC)) == "soon"
    assert h1_urgency(dt.datetime(2026, 7, 16, 1, 0, tzinfo=dt.UTC)) == "later"
    # Its own day is still "due soon"; from midnight in Beijing it is overdue.
    assert h1_urgency(dt.datetime(2026, 7, 31, 15, 59, tzinfo=dt.UTC)) == "soon"
    assert h1_urgency(dt.datetime(2026, 7, 31, 16, 0, tzinfo=dt.UTC)) == "overdue"


def test_each_state_with_the_step_for_an_editor_and_for_a_lead(
    world: World, campaign: Campaign
) -> None:
    by_title = {d.title_en: d for d in campaign.deliverables.all()}
    filing_in(world.central, by_title["Plan"], "draft", world.editor)
    filing_in(world.central, by_title["H1 summary"], "submitted", world.editor)
    filing_in(world.central, by_title["H2 summary"], "returned", world.editor)
    filing_in(world.central, by_title["Assessment"], "approved", world.editor)

    editor = due_items([world.central], {world.central.pk: Role.EDITOR}, now=NOW)
    assert rows(editor) == [
        ("Plan", "overdue", "continue"),
        ("H2 summary", "later", "revise"),
        ("H1 summary", "handed_in", "wait_for_review"),
        ("Assessment", "handed_in", "filed"),
    ]
    assert [i.filing_status for i in editor] == ["draft", "returned", "submitted", "approved"]
    lead = due_items([world.central], {world.central.pk: Role.LEAD}, now=NOW)
    assert rows(lead) == [
        ("Plan", "overdue", "check_and_submit"),
        ("H2 summary", "later", "answer_return"),
        ("H1 summary", "handed_in", "wait_for_review"),
        ("Assessment", "handed_in", "filed"),
    ]
    plan_filing = Filing.objects.get(deliverable=by_title["Plan"])
    assert lead[0].url == reverse("filings:check", args=[plan_filing.pk])
    assert editor[0].url == reverse("filings:detail", args=[plan_filing.pk])


def test_a_returned_filing_past_its_date_comes_before_later_ones(
    world: World, campaign: Campaign
) -> None:
    """Returned is not overdue by the deadline rule (it was handed in in time), but it is what
    the enterprise must act on: among the "due soon", with the days since the date."""
    plan = campaign.deliverables.get(kind="plan")
    filing_in(world.central, plan, "returned", world.editor)
    items = due_items([world.central], {world.central.pk: Role.LEAD}, now=NOW)
    assert rows(items)[:2] == [("Plan", "soon", "answer_return"), ("H1 summary", "soon", "start")]
    assert items[0].obligation.status == ObligationStatus.RETURNED
    assert items[0].days_overdue == 120


def test_a_draft_marked_ready_for_the_lead(
    world: World,
    plan: Deliverable,
    simple_kind: FilingKind,  # noqa: F811
) -> None:
    filing = filing_start(enterprise=world.central, deliverable=plan, actor=world.editor)
    filing_mark_ready(filing=filing, actor=world.editor)
    editor = due_items([world.central], {world.central.pk: Role.EDITOR}, now=NOW)[0]
    lead = due_items([world.central], {world.central.pk: Role.LEAD}, now=NOW)[0]
    assert (editor.step, lead.step) == (Step.WAIT_FOR_LEAD, Step.CHECK_AND_SUBMIT)
    assert lead.ready is not None and lead.ready.marked_by == world.editor
    assert lead.ready_changed is False


def test_subsidiaries_and_reviewers_have_nothing_due(world: World, campaign: Campaign) -> None:
    subsidiary = EnterpriseFactory(authority=world.sasac, parent=world.central)
    assert due_items([subsidiary], {subsidiary.pk: Role.EDITOR}, now=NOW) == []
    assert due_items([world.central], {world.central.pk: Role.REVIEWER}, now=NOW) == []


# --- The pages ---------------------------------------------------------------------------------


def live_campaign(code: str, today: dt.date, *, plan_days: int = -122) -> Campaign:
    """A campaign around today: the plan due ``plan_days`` from today (four months overdue by
    default), a summary due in 5 days, another in 60, the assessment in 200."""
    Campaign.objects.filter(code="VC2023").update(is_active=False)
    day = dt.timedelta(days=1)
    start = today - 200 * day
    return campaign_ensure(
        {
            "code": code,
            "name_zh": f"测试批次{code}",
            "name_en": f"Campaign {code}",
            "notice": "test",
            "stages": {
                "deployment": (start, today - 100 * day),
                "implementation": (today - 99 * day, today + 120 * day),
                "assessment": (today + 121 * day, today + 210 * day),
            },
            "deliverables": [
                ("deployment", "plan", f"实施方案{code}", f"Plan {code}", today + plan_days * day),
                ("implementation", "stage_summary", f"总结一{code}", f"Summary 1 {code}",
                 today + 5 * day),
                ("implementation", "stage_summary", f"总结二{code}", f"Summary 2 {code}",
                 today + 60 * day),
                ("assessment", "assessment_report", f"评估{code}", f"Assessment {code}",
                 today + 200 * day),
            ],
        },
        campaign_model=Campaign,
        stage_model=Stage,
        deliverable_model=Deliverable,
    )  # fmt: skip


def test_the_overdue_banner_leads_the_enterprise_page(world: World, client_for: Any) -> None:
    live_campaign("L1", local_today())
    for user in (world.editor, world.lead):
        html = client_for(user).get(enterprise_url(world.central)).content.decode()
        banner = html.index('data-testid="overdue-banner"')
        # Before the list of what else is due, before the timeline, before the profile.
        assert banner < html.index('data-testid="due-list"')
        assert banner < html.index('data-testid="campaign-timeline"')
        assert banner < html.index('id="profile"')
        banner_html = html[banner : html.index("</section>", banner)]
        assert "实施方案L1" in banner_html
        (days,) = re.findall(r'data-testid="days-overdue">([^<]*)<', banner_html)
        assert "122" in days
        assert zh("Start writing") in banner_html
        # The other deliverables, by urgency: due in 5 days, then 60 and 200.
        due_list = html[html.index('data-testid="due-list"') :]
        order = [due_list.index(t) for t in ("总结一L1", "总结二L1", "评估L1")]
        assert order == sorted(order)
        assert 'data-urgency="soon"' in due_list and 'data-urgency="later"' in due_list


def test_nothing_overdue_no_banner(world: World, client_for: Any) -> None:
    live_campaign("L2", local_today(), plan_days=3)
    html = client_for(world.lead).get(enterprise_url(world.central)).content.decode()
    assert 'data-testid="overdue-banner"' not in html
    assert 'data-testid="due-list"' in html


def test_the_start_page_shows_the_banner_and_each_enterprises_next_deadline(
    world: World, client_for: Any
) -> None:
    live_campaign("L3", local_today())
    html = client_for(world.editor).get(reverse("home")).content.decode()
    banner = html.index('data-testid="overdue-banner"')
    assert banner < html.index('data-testid="enterprise-card"')
    assert world.central.get_absolute_url() in html[banner:]
    assert 'data-testid="card-overdue"' in html
    card_next = html[html.index('data-testid="card-next"') :]
    assert "总结一L3" in card_next[: card_next.index("</p>")]


def test_reviewers_see_no_next_steps(world: World, client_for: Any) -> None:
    live_campaign("L4", local_today())
    html = client_for(world.sasac_reviewer).get(enterprise_url(world.central)).content.decode()
    assert 'data-testid="overdue-banner"' not in html
    assert 'data-testid="due-list"' not in html


def test_outsiders_get_404(world: World, client_for: Any) -> None:
    live_campaign("L5", local_today())
    for outsider in (world.other_lead, world.bj_lead, world.bj_reviewer):
        assert client_for(outsider).get(enterprise_url(world.central)).status_code == 404


def test_query_count_does_not_grow_with_deliverables_and_filings(
    world: World, client_for: Any
) -> None:
    today = local_today()
    live_campaign("Q1", today)
    client = client_for(world.lead)
    other = EnterpriseFactory(authority=world.sasac)
    membership_grant(user=world.lead, role=Role.EDITOR, enterprise=other)
    states = ["draft", "submitted", "returned", "approved", "draft", "under_review"]

    def fill(deliverables: list[Deliverable]) -> None:
        for i, deliverable in enumerate(deliverables):
            for enterprise in (world.central, other):
                filing = filing_in(enterprise, deliverable, states[i % len(states)], world.editor)
                if filing.state == "draft":
                    ReadyForLead.objects.create(
                        filing=filing, version_id=filing.draft_id, marked_by=world.editor,
                        marked_at=NOW, revisions={},
                    )  # fmt: skip

    def measure(url: str) -> int:
        cache.clear()  # the active deliverables and the menu are cached: start cold each time
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    # Small: one plan in draft (marked ready) for each enterprise.
    fill(list(Deliverable.objects.filter(campaign__code="Q1", kind="plan")))
    small = (measure(enterprise_url(world.central)), measure(reverse("home")))

    # Large: three times the deliverables, filings in every state, drafts marked ready.
    for code in ("Q2", "Q3"):
        live_campaign(code, today)
    fill(list(Deliverable.objects.filter(campaign__code__in=["Q2", "Q3"])))
    fill(list(Deliverable.objects.filter(campaign__code="Q1").exclude(kind="plan")))
    assert Filing.objects.count() == 24
    large = (measure(enterprise_url(world.central)), measure(reverse("home")))
    assert large == small
