"""Reporting periods as data: their names, the rules a deliverable's period obeys, the
campaigns' periods, and an administrator changing them in the admin (the obligations and the
reminder schedule follow, no code changed)."""

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from apps.accounts.models import User
from apps.enterprises.models import Enterprise
from apps.filings.models import Filing
from apps.reminders.sweep import sweep
from apps.timeline.campaigns import CAMPAIGN_2023, demo_campaign, summary_periods
from apps.timeline.models import Campaign, Deliverable
from apps.timeline.obligations import obligations_for
from apps.timeline.periods import Period
from tests.conftest import World, login_verified, zh
from tests.factories import UserFactory
from tests.timeline.fixtures import ANNUAL_SUMMARY_ZH

D = dt.date


# --- Names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        (D(2023, 1, 1), D(2023, 12, 31), "2023 full year"),
        (D(2023, 1, 1), D(2023, 6, 30), "2023 first half"),
        (D(2024, 7, 1), D(2024, 12, 31), "2024 second half"),
        (D(2026, 1, 1), D(2026, 10, 31), "2026, months 1 to 10"),
        (D(2026, 3, 1), D(2026, 3, 31), "2026, month 3"),
        (D(2026, 1, 15), D(2026, 3, 20), "2026-01-15 to 2026-03-20"),
        (D(2025, 7, 1), D(2026, 6, 30), "2025-07-01 to 2026-06-30"),
    ],
)
def test_period_labels(start: dt.date, end: dt.date, label: str) -> None:
    with translation.override("en"):
        assert Period(start, end).label == label
        assert str(Period(start, end)) == label


def test_full_year_and_the_year_judged() -> None:
    assert Period(D(2023, 1, 1), D(2023, 12, 31)).is_full_year
    assert not Period(D(2023, 1, 1), D(2023, 6, 30)).is_full_year
    assert not Period(D(2023, 1, 2), D(2023, 12, 31)).is_full_year
    assert Period(D(2025, 7, 1), D(2026, 6, 30)).year == 2026


def test_the_same_period_a_year_earlier() -> None:
    assert Period(D(2024, 1, 1), D(2024, 6, 30)).previous == Period(D(2023, 1, 1), D(2023, 6, 30))
    # 29 February has no day a year earlier: the 28th.
    assert Period(D(2024, 1, 1), D(2024, 2, 29)).previous == Period(D(2023, 1, 1), D(2023, 2, 28))


def test_a_deliverable_names_its_period(annual_summary: Deliverable, plan: Deliverable) -> None:
    assert annual_summary.period == Period(D(2026, 1, 1), D(2026, 12, 31))
    assert plan.period is None


# --- The campaigns' periods --------------------------------------------------------------------


def test_the_2023_campaign_is_annual() -> None:
    rows = {row[2]: row for row in CAMPAIGN_2023["deliverables"]}
    assert list(rows) == [
        "价值创造行动实施方案",
        "2023年度阶段性总结",
        "2024年度阶段性总结",
        "价值创造行动总结评估报告",
    ]
    assert rows["2023年度阶段性总结"][3:] == (
        "Stage summary, 2023 full year", D(2024, 1, 31), D(2023, 1, 1), D(2023, 12, 31)
    )  # fmt: skip
    assert rows["2024年度阶段性总结"][3:] == (
        "Stage summary, 2024 full year", D(2025, 1, 31), D(2024, 1, 1), D(2024, 12, 31)
    )  # fmt: skip
    assert rows["价值创造行动总结评估报告"][4] == D(2025, 3, 31)
    assert rows["价值创造行动实施方案"][4] == D(2023, 3, 31)


@pytest.mark.django_db
def test_the_migrated_2023_campaign_has_annual_summaries_for_2023_and_2024() -> None:
    campaign = Campaign.objects.get(code="VC2023")
    summaries = [
        (d.title_zh, d.due_on, d.period_starts_on, d.period_ends_on)
        for d in campaign.deliverables.order_by("due_on")
        if d.kind == "stage_summary"
    ]
    assert summaries == [
        ("2023年度阶段性总结", D(2024, 1, 31), D(2023, 1, 1), D(2023, 12, 31)),
        ("2024年度阶段性总结", D(2025, 1, 31), D(2024, 1, 1), D(2024, 12, 31)),
    ]
    report = campaign.deliverables.get(kind="assessment_report")
    assert report.due_on == D(2025, 3, 31) and report.period is None
    for deliverable in campaign.deliverables.all():
        deliverable.full_clean()  # the shipped data obeys the rules


def test_summary_periods_year_to_date_to_the_last_whole_month() -> None:
    # Due 19 November 2026: January to October 2026.
    assert summary_periods([D(2026, 11, 19)], 2025) == [(D(2026, 1, 1), D(2026, 10, 31))]
    # Due in January: the whole previous year, unless the campaign started after it.
    assert summary_periods([D(2026, 1, 20)], 2025) == [(D(2025, 1, 1), D(2025, 12, 31))]
    assert summary_periods([D(2026, 2, 20)], 2026) == [(D(2026, 1, 1), D(2026, 1, 31))]
    # Two due in the same month: the earlier reports up to the quarter end before.
    assert summary_periods([D(2026, 11, 9), D(2026, 11, 23)], 2026) == [
        (D(2026, 1, 1), D(2026, 9, 30)),
        (D(2026, 1, 1), D(2026, 10, 31)),
    ]
    # ... and before a September end, the first half.
    assert summary_periods([D(2026, 10, 10), D(2026, 10, 24)], 2026) == [
        (D(2026, 1, 1), D(2026, 6, 30)),
        (D(2026, 1, 1), D(2026, 9, 30)),
    ]


@pytest.mark.parametrize("offset", range(0, 800, 7))
def test_demo_summaries_have_distinct_valid_periods(offset: int) -> None:
    today = D(2025, 1, 3) + dt.timedelta(days=offset)
    spec = demo_campaign(today)
    first = spec["stages"]["deployment"][0].year
    last = spec["stages"]["assessment"][1].year
    summaries = [row for row in spec["deliverables"] if row[1] == "stage_summary"]
    assert len(summaries) == 3
    ends = [row[6] for row in summaries]
    assert ends == sorted(set(ends))  # distinct, in due order
    for *_head, due_on, starts_on, ends_on in summaries:
        assert D(first, 1, 1) <= starts_on < ends_on <= due_on
        assert ends_on <= D(last, 12, 31)


@pytest.mark.django_db
def test_the_demo_campaign_passes_validation() -> None:
    from apps.timeline.campaigns import campaign_ensure
    from apps.timeline.models import Stage

    campaign = campaign_ensure(
        demo_campaign(D(2026, 11, 19)),
        campaign_model=Campaign,
        stage_model=Stage,
        deliverable_model=Deliverable,
    )
    with translation.override("en"):
        labels = [
            d.period.label for d in campaign.deliverables.order_by("due_on") if d.period is not None
        ]
    assert labels == ["2026, months 1 to 9", "2026, months 1 to 10", "2027, month 1"]
    for deliverable in campaign.deliverables.all():
        deliverable.full_clean()


# --- The rules ---------------------------------------------------------------------------------


def summary(campaign: Campaign, **fields: Any) -> Deliverable:
    values: dict[str, Any] = {
        "campaign": campaign,
        "stage": campaign.stages.get(kind="implementation"),
        "kind": "stage_summary",
        "title_zh": "总结",
        "title_en": "Summary",
        "due_on": D(2026, 7, 31),
        "period_starts_on": D(2026, 1, 1),
        "period_ends_on": D(2026, 6, 30),
    }
    return Deliverable(**(values | fields))


def errors_of(deliverable: Deliverable) -> dict[str, list[str]]:
    with translation.override("en"):
        try:
            deliverable.full_clean()
        except ValidationError as exc:
            return exc.message_dict
    return {}


@pytest.mark.django_db
def test_period_rules(annual_campaign: Campaign) -> None:
    assert errors_of(summary(annual_campaign)) == {}
    assert errors_of(summary(annual_campaign, period_starts_on=None, period_ends_on=None)) == {
        "period_starts_on": ["Give the first day of the period the summary reports on."],
        "period_ends_on": ["Give the last day of the period the summary reports on."],
    }
    assert errors_of(summary(annual_campaign, period_ends_on=D(2026, 8, 31))) == {
        "period_ends_on": ["The period must be over by the due date (2026-07-31)."]
    }
    assert errors_of(summary(annual_campaign, period_starts_on=D(2026, 6, 30))) == {
        "period_ends_on": ["The period must end after it starts."]
    }
    # The campaign runs 2026 to 2027 (its first stage's start to its last stage's end).
    assert errors_of(summary(annual_campaign, period_starts_on=D(2025, 7, 1))) == {
        "period_starts_on": ["The period must lie within the campaign's years (2026 to 2027)."]
    }
    assert errors_of(summary(annual_campaign, expected_share=Decimal("1.2"))) == {
        "expected_share": ["The expected share lies between 0 and 1, e.g. 0.45."]
    }
    assert errors_of(summary(annual_campaign, expected_share=Decimal("0.45"))) == {}
    plan = summary(
        annual_campaign,
        kind="plan",
        stage=annual_campaign.stages.get(kind="deployment"),
        due_on=D(2026, 3, 31),
        period_ends_on=D(2026, 3, 31),
        period_starts_on=None,
    )
    assert errors_of(plan) == {
        "period_ends_on": ["Only a stage summary reports on a period: leave it empty."]
    }
    plan.period_ends_on = None
    assert errors_of(plan) == {}


@pytest.mark.django_db
def test_period_errors_in_the_campaign_pages_are_summarised_and_nothing_saved(
    world: World, client_for: Any, annual_campaign: Campaign
) -> None:
    client = client_for(world.admin)
    url = reverse("timeline:deliverable_create", args=[annual_campaign.pk])
    before = Deliverable.objects.count()
    data = {
        "stage": annual_campaign.stages.get(kind="implementation").pk,
        "kind": "stage_summary",
        "title_zh": "北京市2026年上半年阶段性总结",
        "title_en": "Beijing stage summary, 2026 H1",
        "due_on": "2026-07-31",
        "period_starts_on": "2026-01-01",
        "period_ends_on": "2026-08-31",
        "authority": world.beijing.pk,
        "expected_share": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="error-summary"' in html
    message = zh("The period must be over by the due date (%(date)s).", date="2026-07-31")
    start = html.index('data-testid="error-summary"')
    summary_html = html[start : html.index("</ul>", start)]
    assert message in summary_html
    assert 'href="#id_period_ends_on"' in summary_html
    assert Deliverable.objects.count() == before
    # Corrected, it is saved: Beijing's own half-yearly summary.
    data["period_ends_on"] = "2026-06-30"
    assert client.post(url, data).status_code == 302
    saved = Deliverable.objects.get(title_zh="北京市2026年上半年阶段性总结")
    assert (saved.authority, saved.period) == (world.beijing, Period(D(2026, 1, 1), D(2026, 6, 30)))
    detail = client.get(annual_campaign.get_absolute_url()).content.decode()
    assert world.beijing.name_zh in detail


@pytest.mark.django_db
def test_a_deliverable_with_filings_is_not_deleted(
    world: World, client_for: Any, annual_summary: Deliverable
) -> None:
    Filing.objects.create(
        enterprise=world.central, deliverable=annual_summary, kind="stage_summary"
    )
    client = client_for(world.admin)
    url = reverse(
        "timeline:deliverable_delete", args=[annual_summary.campaign_id, annual_summary.pk]
    )
    assert 'data-testid="has-filings"' in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert Deliverable.objects.filter(pk=annual_summary.pk).exists()


# --- The admin: periods changed as data ----------------------------------------------------------


def superuser() -> User:
    return UserFactory.create(email="root@example.cn", is_staff=True, is_superuser=True)


def _post_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def change_form_data(response: Any) -> dict[str, Any]:
    """What the admin's change form would post back unchanged: the campaign's fields and
    every inline row, with the formsets' management forms."""
    data: dict[str, Any] = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = _post_value(form[name].value())
        if value != "":
            data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for row in formset.forms:
            for name in row.fields:
                value = _post_value(row[name].value())
                if value != "":
                    data[row.add_prefix(name)] = value
    return data


def inline_rows(data: dict[str, Any], prefix: str) -> int:
    return int(data[f"{prefix}-TOTAL_FORMS"])


def add_row(data: dict[str, Any], prefix: str, values: dict[str, Any]) -> None:
    index = inline_rows(data, prefix)
    for name, value in values.items():
        data[f"{prefix}-{index}-{name}"] = _post_value(value)
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)


def row_of(data: dict[str, Any], prefix: str, pk: int) -> str:
    for index in range(inline_rows(data, prefix)):
        if str(data.get(f"{prefix}-{index}-id")) == str(pk):
            return f"{prefix}-{index}-"
    raise AssertionError(f"no row for {pk}")


def titles_owed(enterprise: Enterprise) -> dict[str, dt.date]:
    return {
        ob.deliverable.title_zh: ob.due_on
        for ob in obligations_for([enterprise])
        if ob.deliverable.kind == "stage_summary"
    }


def reminders_on(day: dt.date) -> set[tuple[str, str, str, dt.date]]:
    """The stage-summary reminders a sweep would send on ``day`` (kind, recipient,
    deliverable, due date), as the sweep computes them: a dry run, nothing claimed. (The
    plan, long overdue by then, has its own reminders: not the subject here.)"""
    summaries = set(
        Deliverable.objects.filter(kind="stage_summary").values_list("title_zh", flat=True)
    )
    lines = [
        (line.kind, line.recipient, line.subject.split(" · ", 1)[1], line.due_on)
        for line in sweep(day, dry_run=True, lock=False).lines
        if line.kind in ("before_due", "on_due", "overdue_repeat")
    ]
    return {line for line in lines if line[2] in summaries}


@pytest.mark.django_db
def test_changing_the_periods_in_the_admin_changes_obligations_and_reminders(
    world: World,
    annual_campaign: Campaign,
    annual_summary: Deliverable,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The must-show: Beijing goes half-yearly and the annual summary moves to 15 January,
    through the admin's change form alone. Beijing's enterprise owes (and is reminded of)
    its two half-year summaries; Guangdong's and SASAC's do not; everyone's annual summary
    is due on the new date."""
    bj, gd, central = world.bj_enterprise, world.gd_enterprise, world.central
    annual = {ANNUAL_SUMMARY_ZH: D(2027, 1, 31)}
    assert titles_owed(bj) == titles_owed(gd) == titles_owed(central) == annual
    bj_h1, bj_h2 = "北京市2026年上半年阶段性总结", "北京市2026年下半年阶段性总结"
    bj_page = login_verified(Client(), world.bj_lead)
    page = bj_page.get(bj.get_absolute_url()).content.decode()  # fills the cache
    assert bj_h1 not in page
    # Before: nothing is due on 31 July 2026; on 31 January 2027 the annual summary is.
    assert reminders_on(D(2026, 7, 31)) == set()
    assert ("on_due", world.bj_lead.email, ANNUAL_SUMMARY_ZH, D(2027, 1, 31)) in reminders_on(
        D(2027, 1, 31)
    )

    admin = login_verified(Client(), superuser())
    url = reverse("admin:timeline_campaign_change", args=[annual_campaign.pk])
    data = change_form_data(admin.get(url))
    row = row_of(data, "deliverables", annual_summary.pk)
    data[f"{row}due_on"] = "2027-01-15"
    implementation = annual_campaign.stages.get(kind="implementation").pk
    for title_zh, title_en, start, end, due in (
        (bj_h1, "Beijing stage summary, 2026 H1", "2026-01-01", "2026-06-30", "2026-07-31"),
        (bj_h2, "Beijing stage summary, 2026 H2", "2026-07-01", "2026-12-31", "2027-01-20"),
    ):
        add_row(
            data,
            "deliverables",
            {
                "campaign": annual_campaign.pk,
                "title_zh": title_zh,
                "title_en": title_en,
                "kind": "stage_summary",
                "stage": implementation,
                "due_on": due,
                "period_starts_on": start,
                "period_ends_on": end,
                "authority": world.beijing.pk,
                "expected_share": "0.45" if end.endswith("06-30") else "",
            },
        )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url, data)
    assert response.status_code == 302, response.context["errors"]

    # The obligations: Beijing's enterprise owes its half-years; the others do not.
    assert titles_owed(bj) == {
        ANNUAL_SUMMARY_ZH: D(2027, 1, 15),
        bj_h1: D(2026, 7, 31),
        bj_h2: D(2027, 1, 20),
    }
    assert titles_owed(gd) == titles_owed(central) == {ANNUAL_SUMMARY_ZH: D(2027, 1, 15)}
    h1 = Deliverable.objects.get(title_zh=bj_h1)
    assert h1.expected_share == Decimal("0.45")
    # ... on the enterprise's page at once (the admin dropped the cached deliverables).
    page = bj_page.get(bj.get_absolute_url()).content.decode()
    assert bj_h1 in page and bj_h2 in page
    gd_lead = UserFactory.create(email="gd.lead@example.cn")
    from apps.enterprises.models import Role
    from apps.enterprises.services import membership_grant

    membership_grant(user=gd_lead, role=Role.LEAD, enterprise=gd)
    gd_page = login_verified(Client(), gd_lead).get(gd.get_absolute_url()).content.decode()
    assert ANNUAL_SUMMARY_ZH in gd_page and bj_h1 not in gd_page

    # The reminders: Beijing's lead on Beijing's dates, nobody else.
    assert reminders_on(D(2026, 7, 31)) == {("on_due", world.bj_lead.email, bj_h1, D(2026, 7, 31))}
    on_15 = reminders_on(D(2027, 1, 15))
    assert {(k, r) for k, r, title, _d in on_15 if title == ANNUAL_SUMMARY_ZH} == {
        ("on_due", world.bj_lead.email),
        ("on_due", world.lead.email),
        ("on_due", world.editor.email),
        ("on_due", gd_lead.email),
        ("on_due", world.other_lead.email),
    }
    assert not any(title == ANNUAL_SUMMARY_ZH and k == "on_due" for k, _r, title, _d in
                   reminders_on(D(2027, 1, 31)))  # fmt: skip
    on_20 = {(k, r, t) for k, r, t, _d in reminders_on(D(2027, 1, 20)) if t == bj_h2}
    assert on_20 == {("on_due", world.bj_lead.email, bj_h2)}


@pytest.mark.django_db
def test_the_admin_refuses_bad_periods_and_deleting_what_was_filed(
    world: World, annual_campaign: Campaign, annual_summary: Deliverable
) -> None:
    filing = Filing.objects.create(
        enterprise=world.central, deliverable=annual_summary, kind="stage_summary"
    )
    admin = login_verified(Client(), superuser())
    url = reverse("admin:timeline_campaign_change", args=[annual_campaign.pk])
    data = change_form_data(admin.get(url))
    row = row_of(data, "deliverables", annual_summary.pk)
    # A period that ends after the due date: refused on its row, nothing saved.
    bad = data | {f"{row}period_ends_on": "2027-02-28"}
    response = admin.post(url, bad)
    assert response.status_code == 200
    assert (
        zh("The period must be over by the due date (%(date)s).", date="2027-01-31")
        in response.content.decode()
    )
    assert Deliverable.objects.get(pk=annual_summary.pk).period_ends_on == D(2026, 12, 31)
    # Deleting the deliverable that has a filing: refused (Django's admin names the
    # protecting filing), the deliverable stays.
    response = admin.post(url, data | {f"{row}DELETE": "on"})
    assert response.status_code == 200
    (deliverables,) = [
        f.formset
        for f in response.context["inline_admin_formsets"]
        if f.formset.prefix == "deliverables"
    ]
    assert str(filing) in " ".join(deliverables.non_form_errors())
    assert Deliverable.objects.filter(pk=annual_summary.pk).exists()
