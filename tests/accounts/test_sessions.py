"""Ending a user's sessions with the session epoch (see User.get_session_auth_hash)."""

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from django.test import Client, override_settings

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
