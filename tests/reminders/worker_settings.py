"""Settings for the real Celery workers of the reminders tests: the worker test settings with
a mail backend that records every message in a file, so that the test (another process)
counts the mails that really left."""

from config.settings.worker_test import *  # noqa: F403

EMAIL_BACKEND = "tests.reminders.backends.FileRecordingBackend"
