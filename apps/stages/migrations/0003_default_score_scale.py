from django.db import migrations

from apps.stages.scales import score_scale_ensure


def add_scale(apps, schema_editor):  # type: ignore[no-untyped-def]
    score_scale_ensure(apps.get_model("stages", "ScoreScale"), apps.get_model("stages", "ScoreLevel"))


class Migration(migrations.Migration):
    dependencies = [("stages", "0002_scoring_designations")]

    operations = [migrations.RunPython(add_scale, migrations.RunPython.noop)]
