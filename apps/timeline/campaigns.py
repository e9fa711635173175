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
    # (stage, kind, Chinese title, English title, due date)
    "deliverables": [
        ("deployment", "plan", "价值创造行动实施方案", "Value creation implementation plan", D(2023, 3, 31)),
        ("implementation", "stage_summary", "2023年上半年阶段性总结", "Stage summary, first half of 2023", D(2023, 7, 31)),
        ("implementation", "stage_summary", "2023年下半年阶段性总结", "Stage summary, second half of 2023", D(2024, 1, 31)),
        ("implementation", "stage_summary", "2024年上半年阶段性总结", "Stage summary, first half of 2024", D(2024, 7, 31)),
        ("implementation", "stage_summary", "2024年下半年阶段性总结", "Stage summary, second half of 2024", D(2025, 1, 31)),
        ("assessment", "assessment_report", "价值创造行动总结评估报告", "Value creation assessment report", D(2025, 3, 31)),
    ],
}  # fmt: skip


def demo_campaign(today: dt.date) -> dict[str, Any]:
    """A campaign in full swing today: the plan is approved territory, one stage summary is
    overdue, the next is due within a few days, the assessment lies ahead."""
    start = today - dt.timedelta(days=200)
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
            ("implementation", "stage_summary", "第一期阶段性总结", "Stage summary, period 1", today - dt.timedelta(days=10)),
            ("implementation", "stage_summary", "第二期阶段性总结", "Stage summary, period 2", today + dt.timedelta(days=4)),
            ("implementation", "stage_summary", "第三期阶段性总结", "Stage summary, period 3", today + dt.timedelta(days=100)),
            ("assessment", "assessment_report", "价值创造行动总结评估报告", "Value creation assessment report", today + dt.timedelta(days=200)),
        ],
    }  # fmt: skip


def campaign_ensure(
    spec: dict[str, Any], *, campaign_model: Any, stage_model: Any, deliverable_model: Any
) -> Any:
    """Create or refresh a campaign from a spec (idempotent; keyed by code and titles)."""
    defaults = {"name_zh": spec["name_zh"], "name_en": spec["name_en"], "notice": spec["notice"]}
    # An early migration runs this against a Campaign without the notice's title and issuer.
    fields = {f.name for f in campaign_model._meta.get_fields()}
    defaults |= {k: spec[k] for k in ("notice_title", "notice_issuer") if k in spec and k in fields}
    campaign, _created = campaign_model.objects.update_or_create(
        code=spec["code"], defaults=defaults
    )
    stages = {}
    for kind, (starts_on, ends_on) in spec["stages"].items():
        stages[kind], _ = stage_model.objects.update_or_create(
            campaign=campaign, kind=kind, defaults={"starts_on": starts_on, "ends_on": ends_on}
        )
    for stage_kind, kind, title_zh, title_en, due_on in spec["deliverables"]:
        deliverable_model.objects.update_or_create(
            campaign=campaign,
            title_zh=title_zh,
            defaults={
                "stage": stages[stage_kind],
                "kind": kind,
                "title_en": title_en,
                "due_on": due_on,
            },
        )
    # Drop the cached list of active deliverables (see timeline.selectors); harmless inside
    # a migration, where the cache is empty anyway.
    from apps.timeline.selectors import forget_active_deliverables

    forget_active_deliverables()
    return campaign
