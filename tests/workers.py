"""A real Celery worker in a subprocess, on the real Redis broker.

Used by the tests that must prove behaviour across processes (acknowledgement, redelivery,
a worker killed mid-task); everything else runs tasks in-process.
"""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def celery_worker(
    *,
    queues: str = "default,pdf,mail",
    env: dict[str, str] | None = None,
    ready_timeout: float = 60,
) -> Iterator[subprocess.Popen[bytes]]:
    log_path = ROOT / "test-artifacts" / f"worker-{os.getpid()}-{time.monotonic_ns()}.log"
    log_path.parent.mkdir(exist_ok=True)
    worker_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.worker_test",
        "CELERY_BROKER_URL": settings.REAL_BROKER_URL,
        "CELERY_RESULT_BACKEND": settings.REAL_BROKER_URL,
        "TEST_DB_NAME": settings.DATABASES["default"]["NAME"],
        **(env or {}),
    }
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-Q",
                queues,
                "-l",
                "info",
                "-n",
                f"test-{os.getpid()}@%h",
            ],
            cwd=ROOT,
            env=worker_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + ready_timeout
            while b" ready." not in log_path.read_bytes():
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"worker did not start:\n{log_path.read_text()}")
                time.sleep(0.2)
            yield process
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
