"""Celery application.

Queues: ``default`` for small jobs, ``pdf`` for packet rendering (slow, memory-hungry, so a
worker can be dedicated to it), ``mail`` for outgoing email (so a slow SMTP server never
holds up rendering). Tasks subclass Celery's ``DjangoTask`` so that ``delay_on_commit``
enqueues only once the surrounding transaction has committed.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("valuecreation", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
