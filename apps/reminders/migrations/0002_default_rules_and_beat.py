"""The default reminder rules for every existing campaign, and the daily beat schedule:
08:00 Asia/Shanghai, kept in the database by django-celery-beat. Idempotent: running it again
(or after an administrator edited the rules or the schedule's enabled flag) adds only what
is missing."""

from typing import Any

from django.db import migrations

# Frozen here, as migrations must be: (kind, days, every_days, mandatory). The same list as
# services.DEFAULT_RULES on the day this migration was written.
DEFAULTS = [
    ("before_due", 14, None, False),
    ("before_due", 7, None, False),
    ("before_due", 3, None, False),
    ("before_due", 1, None, False),
    ("on_due", 0, None, True),
    ("overdue_repeat", 0, 7, True),
    ("escalation", 7, 7, True),
    ("review_waiting", 10, 7, False),
]
TASK_NAME = "Deadline reminders: daily sweep"
TASK = "apps.reminders.tasks.run_reminder_sweep"


def install(apps: Any, schema_editor: Any) -> None:
    Campaign = apps.get_model("timeline", "Campaign")
    ReminderRule = apps.get_model("reminders", "ReminderRule")
    for campaign in Campaign.objects.all():
        for kind, days, every_days, mandatory in DEFAULTS:
            ReminderRule.objects.get_or_create(
                campaign=campaign,
                kind=kind,
                days=days,
                defaults={"every_days": every_days, "mandatory": mandatory},
            )

    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    crontab, _created = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="8",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={
            "task": TASK,
            "crontab": crontab,
            "interval": None,
            "queue": "default",
            "description": "Claims and sends the day's deadline reminders (apps.reminders).",
        },
    )
    # Tell a running beat that its schedule changed.
    from django.utils import timezone

    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def uninstall(apps: Any, schema_editor: Any) -> None:
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
