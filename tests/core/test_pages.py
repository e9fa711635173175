import pytest
from django.test import Client

from tests.conftest import World, zh

pytestmark = pytest.mark.django_db


def test_home_for_each_role(world: World, client_for) -> None:
    body = client_for(world.lead).get("/").content.decode()
    assert world.central.name_zh in body
    assert zh("Filing officer") in body
    body = client_for(world.bj_reviewer).get("/").content.decode()
    assert "北京市国资委" in body
    assert "审核员" in body
    body = client_for(world.admin).get("/").content.decode()
    assert "/admin/" in body


def test_home_for_user_without_memberships_explains(client_for) -> None:
    from tests.factories import UserFactory

    body = client_for(UserFactory()).get("/").content.decode()
    assert "尚未关联" in body


def test_404_page_is_bilingual(world: World, client_for) -> None:
    response = client_for(world.lead).get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body
    assert "Page not found" in body


def test_security_headers(client: Client) -> None:
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_inline_scripts_in_pages(world: World, client_for) -> None:
    """CSP forbids inline script; a page that used one would silently break."""
    import re

    for path in ("/", f"/enterprises/{world.central.credit_code}/"):
        body = client_for(world.lead).get(path).content.decode()
        for tag in re.findall(r"<script[^>]*>", body):
            assert "src=" in tag, tag
        assert " style=" not in body
