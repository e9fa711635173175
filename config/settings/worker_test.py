"""Settings for a real Celery worker started by the test suite: the test settings, pointed at
the test database that pytest-django created, with tasks really queued."""

from .test import *  # noqa: F403
from .test import DATABASES, env

CELERY_TASK_ALWAYS_EAGER = False
DATABASES["default"]["NAME"] = env("TEST_DB_NAME", default=DATABASES["default"]["NAME"])
# A message taken by a worker that dies unacknowledged (acks_late) goes back to the queue once
# this many seconds have passed: short, so that the redelivery test need not wait an hour.
# Kombu sweeps for such messages every interval × throttle seconds (10 × 10 by default).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 5,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
# Makes packet rendering sleep this long with the packet row locked, so that a test can kill
# the worker in the middle of it. Only this settings module reads the variable.
PACKETS_TEST_RENDER_DELAY = env.float("PACKETS_TEST_RENDER_DELAY", default=0)
