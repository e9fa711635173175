"""Test settings. PostgreSQL and Redis when DATABASE_URL / CELERY_BROKER_URL are set (CI)."""

from .base import *  # noqa: F403
from .base import CELERY_BROKER_URL, DATABASES, env

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEMO_DATA_ALLOWED = True

# Unit tests run tasks in-process; the tests that need a real worker say so and point it at
# the broker themselves.
CELERY_TASK_ALWAYS_EAGER = True
REAL_BROKER_URL = CELERY_BROKER_URL
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", default=None)}
AXES_ENABLED = True
# Serve static files from the finders (static/ and static/vendor) without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
