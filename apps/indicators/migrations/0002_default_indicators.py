"""Every existing campaign gets the default indicator set (new campaigns get it on
creation, see IndicatorsConfig.ready)."""

from typing import Any

from django.db import migrations


def seed(apps: Any, schema_editor: Any) -> None:
    from apps.indicators import defaults

    Campaign = apps.get_model("timeline", "Campaign")
    Definition = apps.get_model("indicators", "IndicatorDefinition")
    Requirement = apps.get_model("indicators", "IndicatorRequirement")
    WarningLine = apps.get_model("indicators", "WarningLine")
    for campaign in Campaign.objects.all():
        if Definition.objects.filter(campaign=campaign).exists():
            continue
        for order, spec in enumerate(defaults.DEFAULT_INDICATORS):
            definition = Definition.objects.create(campaign=campaign, order=order, **spec)
            for (code, category), requirement in defaults.DEFAULT_REQUIREMENTS.items():
                if code == definition.code:
                    Requirement.objects.create(
                        indicator=definition, category=category, requirement=requirement
                    )
            for industry, line in defaults.DEFAULT_WARNING_LINES.get(definition.code, {}).items():
                WarningLine.objects.create(indicator=definition, industry=industry, line=line)


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_initial"),
        ("timeline", "0003_campaign_notice"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
