"""Stage summaries report on a period, and the 2023 campaign's are annual.

VC2023: its four half-yearly summaries become two annual ones (2023 and 2024, due the next
31 January). A half-yearly summary nothing was filed for is deleted; one with filings stays,
its period read from its title (2023年上半年: January to June 2023), so that nothing filed is
lost. The annual summaries are created (or, on a database created after the change, given
their periods) with the default attachment types of their kind.

DEMO: its summaries get periods by the rule the demo campaign is made with
(``campaigns.summary_periods``). Periods an administrator has set are left alone."""

import datetime as dt
import re

from django.db import migrations

from apps.timeline.campaigns import CAMPAIGN_2023, summary_periods

HALF_YEAR = re.compile(r"(?P<year>\d{4})年(?P<half>上|下)半年")
HALF_YEAR_EN = re.compile(r"(?P<half>first|second) half of (?P<year>\d{4})", re.IGNORECASE)


def half_year_period(title_zh: str, title_en: str) -> tuple[dt.date, dt.date] | None:
    """The half-year a summary's title names (2023年上半年, "first half of 2023"), or None."""
    match = HALF_YEAR.search(title_zh or "")
    if match:
        year, first = int(match["year"]), match["half"] == "上"
    else:
        match = HALF_YEAR_EN.search(title_en or "")
        if not match:
            return None
        year, first = int(match["year"]), match["half"].lower() == "first"
    if first:
        return dt.date(year, 1, 1), dt.date(year, 6, 30)
    return dt.date(year, 7, 1), dt.date(year, 12, 31)


def _has_filings(apps, deliverable) -> bool:
    """Filings (or a ZIP of their packets) hold on to a deliverable: it is never deleted."""
    if apps.get_model("filings", "Filing").objects.filter(deliverable_id=deliverable.pk).exists():
        return True
    bundle = apps.get_model("packets", "PacketBundle")
    return bundle.objects.filter(deliverable_id=deliverable.pk).exists()


def _vc2023(apps) -> None:
    Campaign = apps.get_model("timeline", "Campaign")
    Stage = apps.get_model("timeline", "Stage")
    Deliverable = apps.get_model("timeline", "Deliverable")
    campaign = Campaign.objects.filter(code=CAMPAIGN_2023["code"]).first()
    if campaign is None:
        return
    spec = {row[2]: row for row in CAMPAIGN_2023["deliverables"]}
    for old in Deliverable.objects.filter(campaign=campaign, kind="stage_summary").exclude(
        title_zh__in=spec
    ):
        if not _has_filings(apps, old):
            old.delete()
            continue
        period = half_year_period(old.title_zh, old.title_en)
        if period and old.period_starts_on is None and old.period_ends_on is None:
            old.period_starts_on, old.period_ends_on = period
            old.save(update_fields=["period_starts_on", "period_ends_on"])
    # The campaign's name and stages stay as its administrators left them: only the
    # deliverables of the spec are made to match it.
    from apps.filings.attachment_types import attachment_types_ensure

    attachment_type = apps.get_model("filings", "AttachmentType")
    stage_dates = CAMPAIGN_2023["stages"]
    for stage_kind, kind, title_zh, title_en, due_on, *period in spec.values():
        starts_on, ends_on = stage_dates[stage_kind]
        stage, _created = Stage.objects.get_or_create(
            campaign=campaign, kind=stage_kind, defaults={"starts_on": starts_on, "ends_on": ends_on}
        )
        deliverable = Deliverable.objects.filter(campaign=campaign, title_zh=title_zh).first()
        if deliverable is None:
            deliverable = Deliverable.objects.create(
                campaign=campaign, stage=stage, kind=kind, title_zh=title_zh,
                title_en=title_en, due_on=due_on,
            )  # fmt: skip
        if period and deliverable.period_starts_on is None and deliverable.period_ends_on is None:
            deliverable.period_starts_on, deliverable.period_ends_on = period
            deliverable.save(update_fields=["period_starts_on", "period_ends_on"])
        attachment_types_ensure(deliverable, model=attachment_type)


def _demo(apps) -> None:
    Campaign = apps.get_model("timeline", "Campaign")
    Stage = apps.get_model("timeline", "Stage")
    Deliverable = apps.get_model("timeline", "Deliverable")
    campaign = Campaign.objects.filter(code="DEMO").first()
    if campaign is None:
        return
    first = Stage.objects.filter(campaign=campaign).order_by("starts_on").first()
    summaries = list(
        Deliverable.objects.filter(campaign=campaign, kind="stage_summary").order_by("due_on", "id")
    )
    if first is None or not summaries:
        return
    periods = summary_periods([d.due_on for d in summaries], first.starts_on.year)
    for deliverable, (starts_on, ends_on) in zip(summaries, periods, strict=True):
        if deliverable.period_starts_on or deliverable.period_ends_on or starts_on >= ends_on:
            continue
        deliverable.period_starts_on, deliverable.period_ends_on = starts_on, ends_on
        deliverable.save(update_fields=["period_starts_on", "period_ends_on"])


def forwards(apps, schema_editor) -> None:
    _vc2023(apps)
    _demo(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0004_deliverable_periods"),
        # Whatever refers to a deliverable, so that deleting one sees it (and one with
        # filings or bundles is kept).
        ("filings", "0005_vocabulary_of_filing"),
        ("packets", "0002_bundles"),
        ("reminders", "0001_initial"),
        ("stages", "0001_indicator_result"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
