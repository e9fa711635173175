import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from tests.conftest import World
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def test_login_path_is_part_of_the_interface() -> None:
    assert reverse("accounts:login") == LOGIN


def test_login_page_is_chinese_by_default_even_for_english_browsers(client: Client) -> None:
    response = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="zh-Hans">' in body
    assert "登录" in body
    assert response["Content-Language"] == "zh-hans"


def test_language_switch_for_anonymous_uses_a_cookie(client: Client) -> None:
    response = client.post(reverse("accounts:set_language"), {"language": "en", "next": LOGIN})
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    body = client.get(LOGIN).content.decode()
    assert '<html lang="en">' in body
    assert "Log in" in body


def test_language_switch_rejects_foreign_redirects(client: Client) -> None:
    response = client.post(
        reverse("accounts:set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


def test_login_with_email_any_case(world: World, client: Client) -> None:
    response = client.post(LOGIN, {"username": "LEAD@Example.cn", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    home = client.get(reverse("home"))
    assert world.central.name_zh in home.content.decode()


def test_bad_password_gives_a_clear_error(world: World, client: Client) -> None:
    response = client.post(LOGIN, {"username": "lead@example.cn", "password": "wrong"})
    assert response.status_code == 200
    assert "不正确" in response.content.decode()


def test_language_preference_is_remembered_on_the_user(world: World, client_for) -> None:
    client = client_for(world.lead)
    client.post(reverse("accounts:set_language"), {"language": "en", "next": "/"})
    world.lead.refresh_from_db()
    assert world.lead.preferred_language == "en"
    # a new browser (no cookie) still gets English once logged in
    fresh = Client()
    fresh.force_login(world.lead, backend="django.contrib.auth.backends.ModelBackend")
    assert "Welcome" in fresh.get("/").content.decode()


def test_login_throttling_locks_out_after_five_failures(world: World, client: Client) -> None:
    for _ in range(5):
        client.post(LOGIN, {"username": "lead@example.cn", "password": "wrong"})
    response = client.post(LOGIN, {"username": "lead@example.cn", "password": PASSWORD})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    # another account from the same address is not locked
    ok = Client().post(LOGIN, {"username": "editor@example.cn", "password": PASSWORD})
    assert ok.status_code == 302


def test_deactivated_user_session_is_refused(world: World, client_for) -> None:
    client = client_for(world.lead)
    assert client.get("/").status_code == 200
    User.objects.filter(pk=world.lead.pk).update(is_active=False)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_logout_is_post_only(world: World, client_for) -> None:
    client = client_for(world.lead)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get("/").status_code == 302


def test_password_reset_email_in_users_language_and_link_works(
    world: World, client: Client
) -> None:
    world.lead.preferred_language = "en"
    world.lead.save()
    response = client.post(reverse("accounts:password_reset"), {"email": "lead@example.cn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lead@example.cn"]
    assert "Set a new password" in message.subject
    link = re.search(r"https?://[^/]+(/accounts/password/reset/[^\s]+/)", message.body)
    assert link
    page = client.get(link.group(1), follow=True)
    assert page.status_code == 200
    new = "a-brand-new-passphrase-9"
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link.group(1)
    done = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    world.lead.refresh_from_db()
    assert world.lead.check_password(new)


def test_password_reset_for_unknown_address_reveals_nothing(client: Client, db: None) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.cn"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_change(world: World, client_for) -> None:
    client = client_for(world.editor)
    new = "another-long-passphrase-7"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    world.editor.refresh_from_db()
    assert world.editor.check_password(new)


def test_session_cookie_has_idle_timeout(world: World, client: Client) -> None:
    from django.conf import settings

    client.post(LOGIN, {"username": "lead@example.cn", "password": PASSWORD})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert settings.SESSION_COOKIE_AGE <= 60 * 60
