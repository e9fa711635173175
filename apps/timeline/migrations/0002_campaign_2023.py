"""The 2023–2025 campaign of notice No. 79 (data in apps/timeline/campaigns.py)."""

from django.db import migrations

from apps.timeline.campaigns import CAMPAIGN_2023, campaign_ensure


def create(apps, schema_editor):
    campaign_ensure(
        CAMPAIGN_2023,
        campaign_model=apps.get_model("timeline", "Campaign"),
        stage_model=apps.get_model("timeline", "Stage"),
        deliverable_model=apps.get_model("timeline", "Deliverable"),
    )


def remove(apps, schema_editor):
    apps.get_model("timeline", "Campaign").objects.filter(code=CAMPAIGN_2023["code"]).delete()


class Migration(migrations.Migration):
    dependencies = [("timeline", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
