"""Production settings refuse to start without what they need, and pass check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "SECRET_KEY": "x" * 30
    + "-Zq8!kLm#P2vR7tY9wB4nC6dF1gH3jK5"
    + "-Zq8!kLm#P2vR7tY9wB4nC6dF1gH3jK5",
    "ALLOWED_HOSTS": "filing.example.cn",
    "DATABASE_URL": "postgres://u:p@db.example.cn:5432/vc",
    "CELERY_BROKER_URL": "redis://redis.example.cn:6379/0",
    "SITE_URL": "https://filing.example.cn",
}


def run_check(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in GOOD}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args, "--settings=config.settings.production"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("missing", sorted(GOOD))
def test_production_refuses_to_start_without(missing: str) -> None:
    env = {k: v for k, v in GOOD.items() if k != missing}
    result = run_check(env)
    assert result.returncode != 0
    assert missing in result.stderr or "ALLOWED_HOSTS" in result.stderr


def test_production_refuses_sqlite() -> None:
    result = run_check({**GOOD, "DATABASE_URL": "sqlite:///tmp/x.sqlite3"})
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr


def test_production_refuses_wildcard_hosts() -> None:
    result = run_check({**GOOD, "ALLOWED_HOSTS": "*"})
    assert result.returncode != 0


def test_check_deploy_is_clean() -> None:
    result = run_check(GOOD, "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_demo_data_refused_under_production(db: None) -> None:
    from django.core.exceptions import ImproperlyConfigured
    from django.test import override_settings

    from apps.demo.services import seed_demo

    with override_settings(DEMO_DATA_ALLOWED=False), pytest.raises(ImproperlyConfigured):
        seed_demo()


def test_production_refuses_a_short_secret_key() -> None:
    result = run_check({**GOOD, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
