"""Settings for a real Celery worker started by the test suite: the test settings, pointed at
the test database that pytest-django created, with tasks really queued."""

from .test import *  # noqa: F403
from .test import DATABASES, env

CELERY_TASK_ALWAYS_EAGER = False
DATABASES["default"]["NAME"] = env("TEST_DB_NAME", default=DATABASES["default"]["NAME"])
