"""The campaign of notice No. 79 (2023–2025), as data, plus a demo campaign relative to
today. Used by the data migration and by seed_demo."""

import datetime as dt
from typing import Any

D = dt.date

# The notice's number, title and issuing body (kept apart: each is a field of the campaign).
NOTICE_79 = "国资发改革〔2022〕79号"
NOTICE_79_TITLE = "关于开展对标世界一流企业价值创造行动的通知"
NOTICE_79_ISSUER = "国务院国资委"

CAMPAIGN_2023 = {
    "code": "VC2023",
    "name_zh": "对标世界一流企业价值创造行动（2023—2025年）",
    "name_en": "Value creation benchmarking against world-class enterprises (2023–2025)",
    "notice": NOTICE_79,
    "notice_title": NOTICE_79_TITLE,
    "notice_issuer": NOTICE_79_ISSUER,
    "stages": {
        "deployment": (D(2023, 1, 1), D(2023, 3, 31)),
        "implementation": (D(2023, 4, 1), D(2024, 12, 31)),
        "assessment": (D(2025, 1, 1), D(2025, 3, 31)),
    },
    # (stage, kind, Chinese title, English title, due date[, period start, period end]).
    # Summaries are annual: each reports on a calendar year (2023, 2024), due a month after
    # it ends; the assessment report (Q1 2025) assesses both years. A commission that wants
    # half-yearly summaries adds its own deliverables (Deliverable.authority) in the admin.
    "deliverables": [
        ("deployment", "plan", "价值创造行动实施方案", "Value creation implementation plan", D(2023, 3, 31)),
        ("implementation", "stage_summary", "2023年度阶段性总结", "Stage summary, 2023 full year", D(2024, 1, 31), D(2023, 1, 1), D(2023, 12, 31)),
        ("implementation", "stage_summary", "2024年度阶段性总结", "Stage summary, 2024 full year", D(2025, 1, 31), D(2024, 1, 1), D(2024, 12, 31)),
        ("assessment", "assessment_report", "价值创造行动总结评估报告", "Value creation assessment report", D(2025, 3, 31)),
    ],
}  # fmt: skip


def _month_end_before(day: dt.date) -> dt.date:
    """The last day of the last whole month before ``day``."""
    return day.replace(day=1) - dt.timedelta(days=1)


def _quarter_end_before(day: dt.date) -> dt.date:
    """The last quarter end (31 March, 30 June, 30 September, 31 December) before ``day``."""
    end = _month_end_before(day)
    while end.month % 3:
        end = _month_end_before(end)
    return end


def summary_periods(due_dates: list[dt.date], first_year: int) -> list[tuple[dt.date, dt.date]]:
    """The periods of stage summaries due on ``due_dates`` (in due order), for a campaign
    whose first stage starts in ``first_year``.

    Each reports on the year to date up to the end of the last whole month before it is
    due (due 19 November 2026: January to October 2026), and never starts before the
    campaign's first year. Two summaries due in the same month would then report on the
    same period: the earlier one reports instead up to the last quarter end before the
    later one's end (January to September; before a later one ending in September, the
    first half). Quarters, since commissions ask for quarter-end and half-year figures
    (一季度、上半年、前三季度) and every quarter end is a month end, so the labels stay
    plain; shortening the earlier summary rather than the later keeps each period over
    before its own due date."""
    ends = [_month_end_before(due) for due in due_dates]
    for i in reversed(range(len(ends) - 1)):
        if ends[i] >= ends[i + 1]:
            ends[i] = _quarter_end_before(ends[i + 1])
    return [(dt.date(max(end.year, first_year), 1, 1), end) for end in ends]


def demo_campaign(today: dt.date) -> dict[str, Any]:
    """A campaign in full swing today: the plan is approved territory, one stage summary is
    overdue, the next is due within a few days, the assessment lies ahead. Each summary
    reports on a period (``summary_periods``)."""
    start = today - dt.timedelta(days=200)
    summaries = [
        ("第一期阶段性总结", "Stage summary, period 1", today - dt.timedelta(days=10)),
        ("第二期阶段性总结", "Stage summary, period 2", today + dt.timedelta(days=4)),
        ("第三期阶段性总结", "Stage summary, period 3", today + dt.timedelta(days=100)),
    ]
    periods = summary_periods([due for _zh, _en, due in summaries], start.year)
    return {
        "code": "DEMO",
        "name_zh": "价值创造行动演示批次",
        "name_en": "Value creation demo campaign",
        "notice": NOTICE_79,
        "notice_title": NOTICE_79_TITLE,
        "notice_issuer": NOTICE_79_ISSUER,
        "stages": {
            "deployment": (start, start + dt.timedelta(days=59)),
            "implementation": (start + dt.timedelta(days=60), today + dt.timedelta(days=120)),
            "assessment": (today + dt.timedelta(days=121), today + dt.timedelta(days=210)),
        },
        "deliverables": [
            ("deployment", "plan", "价值创造行动实施方案", "Value creation implementation plan", start + dt.timedelta(days=59)),
            *(("implementation", "stage_summary", zh, en, due, *period)
              for (zh, en, due), period in zip(summaries, periods, strict=True)),
            ("assessment", "assessment_report", "价值创造行动总结评估报告", "Value creation assessment report", today + dt.timedelta(days=200)),
        ],
    }  # fmt: skip


PERIOD_FIELDS = ("period_starts_on", "period_ends_on")


def campaign_ensure(
    spec: dict[str, Any], *, campaign_model: Any, stage_model: Any, deliverable_model: Any
) -> Any:
    """Create or refresh a campaign from a spec (idempotent; keyed by code and titles).

    A deliverable is (stage, kind, Chinese title, English title, due date), and a stage
    summary adds the first and last day of its period."""
    defaults = {"name_zh": spec["name_zh"], "name_en": spec["name_en"], "notice": spec["notice"]}
    # An early migration runs this against a Campaign without the notice's title and issuer,
    # and a Deliverable without its period (migration 0005 sets the periods then).
    fields = {f.name for f in campaign_model._meta.get_fields()}
    defaults |= {k: spec[k] for k in ("notice_title", "notice_issuer") if k in spec and k in fields}
    has_period = set(PERIOD_FIELDS) <= {f.name for f in deliverable_model._meta.get_fields()}
    campaign, _created = campaign_model.objects.update_or_create(
        code=spec["code"], defaults=defaults
    )
    stages = {}
    for kind, (starts_on, ends_on) in spec["stages"].items():
        stages[kind], _ = stage_model.objects.update_or_create(
            campaign=campaign, kind=kind, defaults={"starts_on": starts_on, "ends_on": ends_on}
        )
    for stage_kind, kind, title_zh, title_en, due_on, *period in spec["deliverables"]:
        values = {"stage": stages[stage_kind], "kind": kind, "title_en": title_en, "due_on": due_on}
        if has_period and period:
            values |= dict(zip(PERIOD_FIELDS, period, strict=True))
        deliverable_model.objects.update_or_create(
            campaign=campaign, title_zh=title_zh, defaults=values
        )
    # Drop the cached list of active deliverables (see timeline.selectors); harmless inside
    # a migration, where the cache is empty anyway.
    from apps.timeline.selectors import forget_active_deliverables

    forget_active_deliverables()
    return campaign
