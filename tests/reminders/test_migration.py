"""The data migration: default rules for existing campaigns and the daily beat schedule at
08:00 Asia/Shanghai, installed idempotently."""

import importlib

import pytest
from django.apps import apps
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from apps.reminders.models import ReminderRule
from apps.timeline.models import Campaign

pytestmark = pytest.mark.django_db
migration = importlib.import_module("apps.reminders.migrations.0002_default_rules_and_beat")


def test_the_beat_schedule_and_default_rules_are_installed_once(campaign: Campaign) -> None:
    migration.install(apps, None)
    migration.install(apps, None)  # again: nothing doubled
    task = PeriodicTask.objects.get(name=migration.TASK_NAME)
    assert task.task == "apps.reminders.tasks.run_reminder_sweep"
    assert task.enabled and task.queue == "default"
    assert task.crontab is not None
    assert (task.crontab.minute, task.crontab.hour) == ("0", "8")
    assert str(task.crontab.timezone) == "Asia/Shanghai"
    assert PeriodicTask.objects.filter(task=migration.TASK).count() == 1
    assert CrontabSchedule.objects.filter(hour="8", minute="0").count() == 1
    assert ReminderRule.objects.filter(campaign=campaign).count() == len(migration.DEFAULTS)


def test_the_task_is_registered_under_the_scheduled_name() -> None:
    from apps.reminders.tasks import run_reminder_sweep
    from config.celery_app import app

    assert run_reminder_sweep.name == migration.TASK
    route = app.amqp.router.route({}, "apps.reminders.tasks.send_reminder_emails")
    assert route["queue"].name == "mail"
    assert app.amqp.router.route({}, migration.TASK)["queue"].name == "default"
