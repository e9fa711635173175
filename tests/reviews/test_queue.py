"""The review queue: who sees it, what it lists (never a filing still in its first draft),
filters, sort orders, keyset pages, bulk assignment and self-assignment, and a query count
that does not grow with the number of filings."""

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.enterprises.creditcode import make_credit_code
from apps.enterprises.models import Authority, Enterprise, Role
from apps.enterprises.services import membership_grant
from apps.filings.models import Filing, FilingEvent, FilingVersion, canonical_json, sha256_hex
from apps.filings.workflow import State
from apps.reviews.models import Assignment, AuthorityReviewSettings
from apps.reviews.services import assignment_create, decision_make
from apps.timeline.models import AuthorityDeadline, Campaign, Deliverable, Extension, local_today
from apps.timeline.obligations import DueSource
from tests.conftest import World
from tests.factories import UserFactory
from tests.filings.conftest import drive
from tests.reviews.conftest import submitted_filing

pytestmark = pytest.mark.django_db

LoginAs = Callable[[User], Client]
T0 = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)


def queue_url(code: str = "SASAC") -> str:
    return reverse("reviews:queue", args=[code])


def listed(client: Client, code: str = "SASAC", **params: Any) -> list[int]:
    response = client.get(queue_url(code), params)
    assert response.status_code == 200
    return [row.filing.pk for row in response.context["rows"]]


def bulk_enterprises(n: int, authority: Authority, prefix: str = "93") -> list[Enterprise]:
    return Enterprise.objects.bulk_create(
        Enterprise(
            credit_code=make_credit_code(f"{prefix}110000{i:09d}"),
            name_zh=f"批量企业{i:05d}有限公司",
            name_en=f"Bulk {i:05d}",
            authority=authority,
            category="commercial_1",
            industry="C",
        )
        for i in range(n)
    )


STATES = [State.SUBMITTED, State.UNDER_REVIEW, State.RETURNED, State.APPROVED, State.DRAFT]


def bulk_filings(
    pairs: Iterable[tuple[Enterprise, Deliverable]],
    *,
    by: User,
    states: list[str] = STATES,
    submitted_at: Callable[[int], dt.datetime] = lambda i: T0,
) -> list[Filing]:
    """Filings in a spread of states, written in bulk: each submitted one with a frozen
    version inserted already frozen (snapshot and sha256 set: the database refuses to update
    a frozen row), each draft-only one with an open draft and no submission date."""
    filings = Filing.objects.bulk_create(
        Filing(
            enterprise=e,
            deliverable=d,
            kind=d.kind,
            state=states[i % len(states)],
            first_submitted_at=None if states[i % len(states)] == State.DRAFT else submitted_at(i),
            submitted_at=None if states[i % len(states)] == State.DRAFT else submitted_at(i),
        )
        for i, (e, d) in enumerate(pairs)
    )
    snapshot = canonical_json({"content": {"note": {"text": "已填写"}}})
    versions = []
    for f in filings:
        if f.state == State.DRAFT:
            versions.append(FilingVersion(filing=f, number=1, created_by=by))
            continue
        frozen = FilingVersion(filing=f, number=1, content={"note": {"text": "已填写"}},
                               snapshot=snapshot, sha256=sha256_hex(snapshot), created_by=by,
                               submitted_by=by, submitted_at=f.submitted_at)  # fmt: skip
        versions.append(frozen)
    FilingVersion.objects.bulk_create(versions, batch_size=2000)
    ids = [f.pk for f in filings]
    version = FilingVersion.objects.filter(filing=OuterRef("pk"), number=1).values("pk")[:1]
    Filing.objects.filter(pk__in=ids, state=State.DRAFT).update(draft=Subquery(version))
    Filing.objects.filter(pk__in=ids).exclude(state=State.DRAFT).update(
        latest_submitted=Subquery(version)
    )
    Filing.objects.filter(pk__in=ids, state=State.APPROVED).update(
        approved_version=Subquery(version)
    )
    return filings


@pytest.fixture
def allow_self_assign(world: World) -> None:
    AuthorityReviewSettings.objects.create(authority=world.sasac, reviewers_may_self_assign=True)


# --- Who sees it ---------------------------------------------------------------------------


def test_outsiders_get_404(world: World, filing: Filing, client_for: LoginAs) -> None:
    drive(filing, world, "submit")
    # A reviewer of another authority, and the filing's own enterprise lead.
    for outsider in (world.bj_reviewer, world.lead, world.editor):
        client = client_for(outsider)
        assert client.get(queue_url()).status_code == 404
        assert client.post(reverse("reviews:queue_take", args=["SASAC"]),
                           {"filing": filing.pk}).status_code == 404  # fmt: skip
        response = client.post(
            reverse("reviews:queue_assign", args=["SASAC"]),
            {"filings": [filing.pk], "reviewers": [world.sasac_reviewer.pk]},
        )
        assert response.status_code == 404
    assert not Assignment.objects.exists()
    # Unknown authority: the same answer.
    assert client_for(world.sasac_reviewer).get(queue_url("ZZ")).status_code == 404


def test_reviewers_and_administrators_see_the_queue(
    world: World, filing: Filing, client_for: LoginAs
) -> None:
    drive(filing, world, "submit")
    assert listed(client_for(world.sasac_reviewer)) == [filing.pk]
    assert listed(client_for(world.sasac_lead_reviewer)) == [filing.pk]
    admin = client_for(world.admin)
    assert listed(admin) == [filing.pk]
    assert listed(admin, code="11") == []
    # Read only for an administrator: no checkboxes, no bulk form.
    body = admin.get(queue_url()).content.decode()
    assert 'id="bulk-assign"' not in body
    assert 'name="filings"' not in body


def test_anonymous_is_sent_to_log_in(world: World) -> None:
    response = Client().get(queue_url())
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_nav_links_to_the_queue_for_reviewers(world: World, client_for: LoginAs) -> None:
    body = client_for(world.sasac_reviewer).get("/").content.decode()
    assert queue_url() in body
    body = client_for(world.lead).get("/").content.decode()
    assert queue_url() not in body


# --- What it lists -------------------------------------------------------------------------


def test_drafts_never_listed(world: World, filing: Filing, client_for: LoginAs) -> None:
    client = client_for(world.sasac_reviewer)
    assert listed(client, state="all") == []
    assert listed(client, state="draft") == []
    body = client.get(queue_url()).content.decode()
    assert 'data-testid="queue-empty"' in body
    assert world.central.name_zh not in body

    filing = drive(filing, world, "submit", "withdraw")
    # Withdrawn: a draft again, but submitted once, so the reviewers keep it in sight.
    assert filing.state == State.DRAFT
    assert listed(client) == []
    assert listed(client, state="all") == [filing.pk]
    assert listed(client, state="draft") == [filing.pk]


def test_rows_show_due_dates_reviewers_and_filing_number(
    world: World, filing: Filing, plan: Deliverable, client_for: LoginAs
) -> None:
    filing = drive(filing, world, "submit", "start_review")
    decision = decision_make(
        filing=filing, outcome="approve", reasons="", actor=world.sasac_lead_reviewer
    )
    other = submitted_filing(world.central_other, plan, world.other_lead)
    assignment_create(filing=other, reviewers=[world.sasac_reviewer],
                      actor=world.sasac_lead_reviewer)  # fmt: skip
    local = plan.due_on + dt.timedelta(days=10)
    extended = plan.due_on + dt.timedelta(days=40)
    AuthorityDeadline.objects.create(
        deliverable=plan, authority=world.sasac, due_on=local, set_by=world.sasac_lead_reviewer
    )
    Extension.objects.create(deliverable=plan, enterprise=world.central, due_on=extended,
                             reason="延期", granted_by=world.sasac_lead_reviewer)  # fmt: skip
    # Another authority's deadline and another enterprise's extension change nothing here.
    AuthorityDeadline.objects.create(
        deliverable=plan, authority=world.beijing, due_on=plan.due_on, set_by=world.admin
    )

    response = client_for(world.sasac_lead_reviewer).get(queue_url(), {"state": "all"})
    rows = {row.filing.pk: row for row in response.context["rows"]}
    assert len(rows) == 2
    mine, theirs = rows[filing.pk], rows[other.pk]
    assert (mine.due_on, mine.due_source) == (extended, DueSource.EXTENSION)
    assert (theirs.due_on, theirs.due_source) == (local, DueSource.AUTHORITY)
    assert mine.filing_number == decision.filing_number
    assert theirs.filing_number is None
    assert theirs.reviewers == [world.sasac_reviewer]
    body = response.content.decode()
    assert decision.filing_number in body
    assert world.sasac_reviewer.full_name in body
    assert 'class="badge status-badge status-approved"' in body
    assert 'class="badge status-badge status-submitted"' in body
    assert filing.get_absolute_url() in body
    # Counts per state over the whole queue.
    counts = {state: n for state, _label, n in response.context["state_counts"]}
    assert counts == {"draft": 0, "submitted": 1, "under_review": 0, "returned": 0,
                      "approved": 1}  # fmt: skip


# --- Filters -------------------------------------------------------------------------------


@pytest.fixture
def spread(world: World, campaign: Campaign, h2: Deliverable) -> dict[str, Filing]:
    """Four SASAC filings and one in Beijing. The plan is due yesterday, the second
    half-year summary in a month (dates moved relative to today)."""
    today = local_today()
    plan = campaign.deliverables.get(kind="plan")
    Deliverable.objects.filter(pk=plan.pk).update(due_on=today - dt.timedelta(days=1))
    Deliverable.objects.filter(pk=h2.pk).update(due_on=today + dt.timedelta(days=30))
    other = Enterprise.objects.create(
        credit_code=make_credit_code("91310000000000777"), name_zh="上海港口集团",
        name_en="Harbour Holdings", authority=world.sasac, category="public_welfare",
        industry="G",
    )  # fmt: skip
    pairs = [
        (world.central, plan),  # submitted, overdue
        (world.central_other, plan),  # approved: never overdue
        (world.central, h2),  # under review, not yet due
        (other, plan),  # returned, overdue
        (world.bj_enterprise, plan),  # another authority
    ]
    states = [State.SUBMITTED, State.APPROVED, State.UNDER_REVIEW, State.RETURNED,
              State.SUBMITTED]  # fmt: skip
    made = bulk_filings(pairs, by=world.lead, states=states,
                        submitted_at=lambda i: T0 + dt.timedelta(days=i))  # fmt: skip
    return dict(zip(["overdue", "approved", "later", "harbour", "beijing"], made, strict=True))


def test_state_filter(world: World, spread: dict[str, Filing], client_for: LoginAs) -> None:
    client = client_for(world.sasac_reviewer)
    s = spread
    assert listed(client) == [s["overdue"].pk, s["later"].pk, s["harbour"].pk]
    assert listed(client, state="open") == listed(client)
    assert listed(client, state="approved") == [s["approved"].pk]
    assert listed(client, state="returned") == [s["harbour"].pk]
    everything = {s[k].pk for k in ("overdue", "approved", "later", "harbour")}
    assert set(listed(client, state="all")) == everything
    # The number shown: from the state counts, or counted when other filters narrow.
    for params in ({}, {"state": "all"}, {"state": "approved"}, {"q": "上海", "state": "all"}):
        response = client.get(queue_url(), params)
        assert response.context["total"] == len(response.context["rows"]), params
    # A state that does not exist: the form says so.
    response = client.get(queue_url(), {"state": "nonsense"})
    assert response.context["filter"].errors


def test_assigned_to_me(world: World, spread: dict[str, Filing], client_for: LoginAs) -> None:
    assignment_create(filing=spread["later"], reviewers=[world.sasac_reviewer],
                      actor=world.sasac_lead_reviewer)  # fmt: skip
    assert listed(client_for(world.sasac_reviewer), mine="on") == [spread["later"].pk]
    assert listed(client_for(world.sasac_lead_reviewer), mine="on") == []


def test_overdue(world: World, spread: dict[str, Filing], client_for: LoginAs) -> None:
    client = client_for(world.sasac_reviewer)
    assert listed(client, overdue="on") == [spread["overdue"].pk, spread["harbour"].pk]
    # Approved filings are never overdue, even when asked for all states.
    assert listed(client, overdue="on", state="all") == listed(client, overdue="on")
    # An extension to next week takes the harbour group out.
    harbour = spread["harbour"]
    Extension.objects.create(deliverable=harbour.deliverable, enterprise=harbour.enterprise,
                             due_on=local_today() + dt.timedelta(days=7), reason="延期",
                             granted_by=world.sasac_lead_reviewer)  # fmt: skip
    assert listed(client, overdue="on") == [spread["overdue"].pk]
    body = client.get(queue_url()).content.decode()
    assert body.count('status-overdue">') == 1


def test_an_amendment_under_way_is_not_overdue(
    world: World, filing: Filing, plan: Deliverable, client_for: LoginAs
) -> None:
    Deliverable.objects.filter(pk=plan.pk).update(due_on=local_today() - dt.timedelta(days=1))
    filing = drive(filing, world, "submit", "start_review")
    client = client_for(world.sasac_reviewer)
    assert listed(client, overdue="on") == [filing.pk]
    decision_make(filing=filing, outcome="approve", reasons="", actor=world.sasac_lead_reviewer)
    filing = drive(filing, world, "amend", "submit")
    assert filing.state == State.SUBMITTED and filing.approved_version_id
    assert listed(client) == [filing.pk]
    assert listed(client, overdue="on") == []
    assert not client.get(queue_url()).context["rows"][0].overdue


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("上海港口", ["harbour"]),
        ("harbour hold", ["harbour"]),
        ("91310000", ["harbour"]),  # a credit code prefix
        ("北京测试", []),  # another authority's enterprise stays out
        ("不存在", []),
    ],
)
def test_search(
    world: World, spread: dict[str, Filing], client_for: LoginAs, query: str, expected: list[str]
) -> None:
    client = client_for(world.sasac_reviewer)
    assert listed(client, q=query) == [spread[k].pk for k in expected]


def test_search_credit_code_any_case(
    world: World, spread: dict[str, Filing], client_for: LoginAs
) -> None:
    code = world.central_other.credit_code
    assert listed(client_for(world.sasac_reviewer), q=code.lower(), state="all") == [
        spread["approved"].pk
    ]


def test_campaign_deliverable_category_industry(
    world: World, spread: dict[str, Filing], h2: Deliverable, client_for: LoginAs
) -> None:
    client = client_for(world.sasac_reviewer)
    assert listed(client, deliverable=h2.pk) == [spread["later"].pk]
    assert len(listed(client, campaign=h2.campaign_id)) == 3
    assert listed(client, category="public_welfare") == [spread["harbour"].pk]
    assert listed(client, industry="G") == [spread["harbour"].pk]
    response = client.get(queue_url(), {"industry": "G", "category": "commercial_1"})
    assert 'data-testid="queue-empty"' in response.content.decode()
    assert response.context["filter"].narrowed


# --- Sorting and pages ---------------------------------------------------------------------


def test_sort_orders(world: World, spread: dict[str, Filing], client_for: LoginAs) -> None:
    client = client_for(world.sasac_reviewer)
    s = spread
    # Submitted T0, T0+2d, T0+3d: oldest first is who waited longest.
    assert listed(client) == [s["overdue"].pk, s["later"].pk, s["harbour"].pk]
    assert listed(client, sort="submitted") == listed(client)
    assert listed(client, sort="-submitted") == [s["harbour"].pk, s["later"].pk, s["overdue"].pk]
    # Due date: the two plans (due yesterday, by submission) before the summary.
    assert listed(client, sort="due") == [s["overdue"].pk, s["harbour"].pk, s["later"].pk]
    # An unknown sort is refused by the form, and the default order stands.
    assert listed(client, sort="bogus") == listed(client)


@pytest.mark.parametrize("sort", ["submitted", "-submitted", "due"])
def test_keyset_pages_walk_every_row_once(
    world: World, campaign: Campaign, client_for: LoginAs, sort: str
) -> None:
    enterprises = bulk_enterprises(30, world.sasac)
    deliverables = list(campaign.deliverables.all())
    # Many rows share a submission time and a due date: the id breaks the ties.
    filings = bulk_filings(
        [(e, d) for e in enterprises for d in deliverables],
        by=world.lead,
        states=[State.SUBMITTED],
        submitted_at=lambda i: T0 + dt.timedelta(hours=i % 7),
    )
    assert len(filings) == 120
    client = client_for(world.sasac_reviewer)
    seen: list[int] = []
    response = client.get(queue_url(), {"sort": sort})
    pages = 0
    while True:
        page = response.context["page"]
        rows = response.context["rows"]
        seen += [row.filing.pk for row in rows]
        pages += 1
        if not page.has_next:
            break
        assert "after=" in response.content.decode()
        response = client.get(queue_url(), {"sort": sort, "after": page.next_cursor})
    assert pages == 3
    assert len(seen) == len(set(seen)) == 120
    by_pk = {f.pk: f for f in Filing.objects.filter(pk__in=seen).select_related("deliverable")}
    keys = {
        "submitted": lambda pk: (by_pk[pk].submitted_at, pk),
        "-submitted": lambda pk: (-by_pk[pk].submitted_at.timestamp(), -pk),
        "due": lambda pk: (by_pk[pk].deliverable.due_on, by_pk[pk].submitted_at, pk),
    }
    assert seen == sorted(seen, key=keys[sort])
    # And back from the last page.
    previous = client.get(
        queue_url(), {"sort": sort, "before": response.context["page"].previous_cursor}
    )
    assert [row.filing.pk for row in previous.context["rows"]] == seen[50:100]


# --- Bulk assignment -----------------------------------------------------------------------


def assign_url(code: str = "SASAC") -> str:
    return reverse("reviews:queue_assign", args=[code])


def test_lead_reviewer_assigns_in_bulk(
    world: World, spread: dict[str, Filing], client_for: LoginAs
) -> None:
    colleague: User = UserFactory.create(email="sasac.reviewer2@example.cn")
    membership_grant(user=colleague, role=Role.REVIEWER, authority=world.sasac)
    client = client_for(world.sasac_lead_reviewer)
    body = client.get(queue_url()).content.decode()
    assert 'id="bulk-assign"' in body and 'form="bulk-assign"' in body
    picked = [spread["overdue"], spread["later"]]
    response = client.post(
        assign_url(),
        {
            "filings": [f.pk for f in picked],
            "reviewers": [world.sasac_reviewer.pk, colleague.pk],
            "query": "state=all&sort=due",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == queue_url() + "?state=all&sort=due"
    for f in picked:
        assert set(Assignment.objects.active().filter(filing=f).values_list(
            "reviewer_id", flat=True)) == {world.sasac_reviewer.pk, colleague.pk}  # fmt: skip
    assert Assignment.objects.count() == 4
    assert listed(client_for(colleague), mine="on") == [f.pk for f in picked]
    # The names show in the queue.
    body = client_for(world.sasac_lead_reviewer).get(queue_url()).content.decode()
    assert colleague.full_name in body


def test_plain_reviewer_cannot_assign_in_bulk(
    world: World, spread: dict[str, Filing], client_for: LoginAs
) -> None:
    client = client_for(world.sasac_reviewer)
    assert 'id="bulk-assign"' not in client.get(queue_url()).content.decode()
    response = client.post(
        assign_url(),
        {"filings": [spread["overdue"].pk], "reviewers": [world.sasac_reviewer.pk]},
    )
    assert response.status_code == 404
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("intruder", ["beijing", "draft", "garbage"])
def test_bulk_assignment_takes_only_its_own_queue(
    world: World,
    spread: dict[str, Filing],
    h2: Deliverable,
    client_for: LoginAs,
    intruder: str,
) -> None:
    """Another authority's filing, or a filing never submitted, refuses the whole request:
    nothing is written."""
    (draft,) = bulk_filings([(world.central_other, h2)], by=world.lead, states=[State.DRAFT])
    other = {"beijing": spread["beijing"].pk, "draft": draft.pk, "garbage": "1 OR 1=1"}
    events = FilingEvent.objects.count()
    response = client_for(world.sasac_lead_reviewer).post(
        assign_url(),
        {
            "filings": [spread["overdue"].pk, other[intruder]],
            "reviewers": [world.sasac_reviewer.pk],
        },
    )
    assert response.status_code == 404
    assert not Assignment.objects.exists()
    assert FilingEvent.objects.count() == events


def test_bulk_assignment_through_another_authoritys_queue_is_refused(
    world: World, spread: dict[str, Filing], client_for: LoginAs
) -> None:
    """SASAC's lead reviewer posting to Beijing's queue: not theirs (404)."""
    response = client_for(world.sasac_lead_reviewer).post(
        assign_url("11"),
        {"filings": [spread["beijing"].pk], "reviewers": [world.bj_reviewer.pk]},
    )
    assert response.status_code == 404
    assert not Assignment.objects.exists()


def test_bulk_assignment_of_an_outside_reviewer_writes_nothing(
    world: World, spread: dict[str, Filing], client_for: LoginAs
) -> None:
    client = client_for(world.sasac_lead_reviewer)
    response = client.post(
        assign_url(),
        {
            "filings": [spread["overdue"].pk, spread["later"].pk],
            "reviewers": [world.sasac_reviewer.pk, world.bj_reviewer.pk],
        },
        follow=True,
    )
    assert response.status_code == 200
    assert not Assignment.objects.exists()
    assert any(world.bj_reviewer.full_name in str(m) for m in response.context["messages"])
    # Nothing ticked, or no reviewer chosen: a message, nothing written.
    response = client.post(assign_url(), {"reviewers": [world.sasac_reviewer.pk]}, follow=True)
    assert response.status_code == 200 and not Assignment.objects.exists()
    response = client.post(assign_url(), {"filings": [spread["later"].pk]}, follow=True)
    assert response.status_code == 200 and not Assignment.objects.exists()


# --- Self-assignment -----------------------------------------------------------------------


def take_url(code: str = "SASAC") -> str:
    return reverse("reviews:queue_take", args=[code])


def test_no_self_assignment_unless_the_authority_allows_it(
    world: World, spread: dict[str, Filing], client_for: LoginAs
) -> None:
    client = client_for(world.sasac_reviewer)
    assert 'data-testid="take"' not in client.get(queue_url()).content.decode()
    response = client.post(take_url(), {"filing": spread["later"].pk}, follow=True)
    assert response.status_code == 200
    assert not Assignment.objects.exists()


def test_reviewer_takes_an_unassigned_filing(
    world: World, spread: dict[str, Filing], allow_self_assign: None, client_for: LoginAs
) -> None:
    client = client_for(world.sasac_reviewer)
    body = client.get(queue_url()).content.decode()
    assert body.count('data-testid="take"') == 3
    response = client.post(take_url(), {"filing": spread["later"].pk, "query": "mine=on"})
    assert response.status_code == 302
    assert response["Location"] == queue_url() + "?mine=on"
    assert Assignment.objects.get().reviewer == world.sasac_reviewer
    assert listed(client, mine="on") == [spread["later"].pk]
    assert client.get(queue_url()).content.decode().count('data-testid="take"') == 2
    # Taken: a colleague cannot take it too.
    colleague: User = UserFactory.create(email="sasac.reviewer2@example.cn")
    membership_grant(user=colleague, role=Role.REVIEWER, authority=world.sasac)
    client_for(colleague).post(take_url(), {"filing": spread["later"].pk})
    assert Assignment.objects.count() == 1
    client = client_for(world.sasac_reviewer)
    # Another authority's filing through this queue: 404.
    response = client.post(take_url(), {"filing": spread["beijing"].pk})
    assert response.status_code == 404
    assert client.post(take_url(), {"filing": "x"}).status_code == 404


# --- Scale ---------------------------------------------------------------------------------


def queue_queries(client: Client, params: dict[str, Any]) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(queue_url(), params)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.context["rows"])


def test_queue_query_count_is_constant(
    world: World, campaign: Campaign, allow_self_assign: None, client_for: LoginAs
) -> None:
    """The same number of queries at 10 and at 20,000 filings, for the lead reviewer (every
    control on the page), with the default view and with filters and the due-date sort."""
    deliverables = list(campaign.deliverables.all())
    enterprises = bulk_enterprises(5000, world.sasac)
    when = timezone.now() - dt.timedelta(days=30)
    filings = bulk_filings([(e, d) for e in enterprises[:3] for d in deliverables[:4]][:10],
                           by=world.lead, submitted_at=lambda i: when)  # fmt: skip
    for f in filings[:2]:
        Assignment.objects.create(filing=f, reviewer=world.sasac_reviewer,
                                  assigned_by=world.sasac_lead_reviewer)  # fmt: skip
    client = client_for(world.sasac_lead_reviewer)
    filtered = {"sort": "due", "state": "all", "campaign": campaign.pk, "q": "批量企业"}
    client.get(queue_url())  # warm: the navigation is cached per user
    small = [queue_queries(client, {}), queue_queries(client, filtered)]

    rest = {(f.enterprise_id, f.deliverable_id) for f in filings}
    pairs = [(e, d) for e in enterprises for d in deliverables if (e.pk, d.pk) not in rest]
    more = bulk_filings(pairs, by=world.lead,
                        submitted_at=lambda i: when + dt.timedelta(seconds=i))  # fmt: skip
    for f in more[:500]:
        Assignment.objects.create(filing=f, reviewer=world.sasac_reviewer,
                                  assigned_by=world.sasac_lead_reviewer)  # fmt: skip
    assert Filing.objects.count() == 20000
    large = [queue_queries(client, {}), queue_queries(client, filtered)]

    assert [n for n, _rows in small] == [n for n, _rows in large], (small, large)
    assert all(rows > 0 for _n, rows in small)
    assert all(rows == 50 for _n, rows in large)
