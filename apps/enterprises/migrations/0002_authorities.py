"""Create the 38 supervising authorities (list in apps/enterprises/authorities.py)."""

from django.db import migrations

from apps.enterprises.authorities import AUTHORITIES, authorities_ensure


def create(apps, schema_editor):
    authorities_ensure(apps.get_model("enterprises", "Authority"))


def remove(apps, schema_editor):
    apps.get_model("enterprises", "Authority").objects.filter(
        code__in=[row[0] for row in AUTHORITIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
