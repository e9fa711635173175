"""Ending a user's sessions with the session epoch (see User.get_session_auth_hash)."""

import datetime as dt
import time

import pytest
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.middleware import SessionIdleMiddleware
from apps.accounts.services import user_end_sessions
from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_epoch_zero_keeps_djangos_hash_so_existing_sessions_survive(world: World) -> None:
    user = world.lead
    assert user.session_epoch == 0
    assert user.get_session_auth_hash() == AbstractBaseUser.get_session_auth_hash(user)


def test_ending_sessions_logs_out_every_browser(world: World) -> None:
    browsers = [Client(), Client()]
    for browser in browsers:
        browser.force_login(world.lead, backend="django.contrib.auth.backends.ModelBackend")
        assert browser.get("/").status_code == 200
    user_end_sessions(user=world.lead)
    for browser in browsers:
        response = browser.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    # a new login works
    fresh = Client()
    fresh.force_login(world.lead, backend="django.contrib.auth.backends.ModelBackend")
    assert fresh.get("/").status_code == 200


def test_secret_key_rotation_keeps_sessions_after_an_epoch_change(world: World) -> None:
    user_end_sessions(user=world.lead)
    browser = Client()
    with override_settings(SECRET_KEY="old-secret-key-for-this-test"):
        browser.force_login(world.lead, backend="django.contrib.auth.backends.ModelBackend")
    with override_settings(
        SECRET_KEY="new-secret-key-for-this-test",
        SECRET_KEY_FALLBACKS=["old-secret-key-for-this-test"],
    ):
        assert browser.get("/").status_code == 200


def _session_updates(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]
    ]


def test_a_used_session_is_kept_alive_but_written_at_most_once_a_minute(world: World) -> None:
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    browser = Client()
    browser.force_login(world.lead, backend="django.contrib.auth.backends.ModelBackend")
    assert browser.get("/").status_code == 200
    key = browser.session.session_key
    # A request within the touch interval writes nothing.
    with CaptureQueriesContext(connection) as queries:
        assert browser.get("/").status_code == 200
    assert _session_updates(queries) == []
    # Pretend the last write was two minutes ago, with the expiry to match.
    store = SessionStore(session_key=key)
    store[SessionIdleMiddleware.KEY] = int(time.time()) - 120
    store.save()
    earlier = timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 120)
    Session.objects.filter(session_key=key).update(expire_date=earlier)
    with CaptureQueriesContext(connection) as queries:
        assert browser.get("/").status_code == 200
    assert len(_session_updates(queries)) == 1
    renewed = Session.objects.get(session_key=key).expire_date
    assert renewed - earlier >= dt.timedelta(seconds=110)


def test_an_idle_session_expires(world: World) -> None:
    from django.contrib.sessions.models import Session

    browser = Client()
    browser.force_login(world.lead, backend="django.contrib.auth.backends.ModelBackend")
    assert browser.get("/").status_code == 200
    key = browser.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = browser.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
