"""Two-factor authentication: who must enrol, the verify step of the login, recovery codes,
throttling, and the opt-in for enterprise users."""

import base64
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import User
from apps.audit.models import AuditEvent
from apps.people.mfa_views import ENROL_KEY_SESSION
from tests.conftest import TEST_TOTP_KEY, World, give_totp_device, login_verified
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ENROL = "/accounts/mfa/enrol/"
VERIFY = "/accounts/mfa/verify/"
SECURITY = "/accounts/security/"


def token_for(key_hex: str = TEST_TOTP_KEY, steps: int = 0) -> str:
    """The code an authenticator app shows now (or ``steps`` periods later)."""
    return f"{totp(bytes.fromhex(key_hex), t0=-30 * steps):06d}"


def password_login(client: Client, user: User) -> None:
    response = client.post(LOGIN, {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


def english(user: User) -> User:
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    return user


def test_paths() -> None:
    assert reverse("people:mfa_enrol") == ENROL
    assert reverse("people:mfa_verify") == VERIFY
    assert reverse("people:security") == SECURITY


def test_reviewer_without_device_is_sent_to_enrol_on_every_page(
    world: World, client: Client
) -> None:
    password_login(client, world.bj_reviewer)
    for path in (
        "/",
        reverse("enterprises:authority_detail", args=["11"]),
        reverse("enterprises:enterprise_detail", args=[world.bj_enterprise.credit_code]),
        SECURITY,
        "/people/",
    ):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(f"{ENROL}?next="), path
    # a form post is sent there too, without a `next` to replay
    response = client.post(reverse("people:membership_deactivate", args=[1]))
    assert response["Location"] == ENROL
    # the allow-list stays reachable
    assert client.get(ENROL).status_code == 200
    assert client.get(reverse("accounts:password_change")).status_code == 200
    assert client.get("/healthz").status_code in (200, 503)
    assert client.post(reverse("accounts:set_language"), {"language": "en"}).status_code == 302
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get("/")["Location"].startswith(LOGIN)


def test_administrator_must_enrol_before_the_django_admin(world: World, client: Client) -> None:
    password_login(client, world.admin)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(ENROL)
    give_totp_device(world.admin)
    client.post(reverse("accounts:logout"))
    password_login(client, world.admin)
    assert client.get("/admin/")["Location"].startswith(VERIFY)


def test_enrolment_with_recovery_codes(world: World, client: Client) -> None:
    english(world.bj_reviewer)
    password_login(client, world.bj_reviewer)
    page = client.get(f"{ENROL}?next=/authorities/11/")
    body = page.content.decode()
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in body  # QR code, no inline script or style
    assert " style=" not in body
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', body).group(1)  # type: ignore[union-attr]
    key_hex = base64.b32decode(secret.replace(" ", "")).hex()
    assert key_hex == client.session[ENROL_KEY_SESSION]
    assert not TOTPDevice.objects.filter(user=world.bj_reviewer).exists()  # nothing yet

    wrong = client.post(ENROL, {"token": "000000" if token_for(key_hex) != "000000" else "111111"})
    assert wrong.status_code == 400
    assert "not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=world.bj_reviewer).exists()

    response = client.post(ENROL, {"token": token_for(key_hex), "next": "/authorities/11/"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("people:mfa_recovery_codes"))
    device = TOTPDevice.objects.get(user=world.bj_reviewer)
    assert device.confirmed
    assert device.key == key_hex
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert AuditEvent.objects.filter(action="mfa.enrol", actor=world.bj_reviewer).exists()

    codes_page = client.get(response["Location"]).content.decode()
    codes = re.findall(r'<li class="col">([a-z2-7]{8})</li>', codes_page)
    assert len(codes) == 10
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=world.bj_reviewer).values_list("token", flat=True)
    )
    download = client.get(reverse("people:mfa_recovery_codes_download"))
    assert download["Content-Type"].startswith("text/plain")
    assert "attachment" in download["Content-Disposition"]
    assert all(code in download.content.decode() for code in codes)
    done = client.post(reverse("people:mfa_recovery_codes"), {"next": "/authorities/11/"})
    assert done["Location"] == "/authorities/11/"
    # shown once
    assert codes[0] not in client.get(reverse("people:mfa_recovery_codes")).content.decode()
    assert client.get(reverse("people:mfa_recovery_codes_download")).status_code == 404
    # and now the reviewer may work
    assert client.get("/authorities/11/").status_code == 200


def test_enrolling_ends_other_sessions(world: World, client: Client) -> None:
    other_browser = Client()
    password_login(other_browser, world.lead)
    assert other_browser.get("/").status_code == 200
    password_login(client, world.lead)
    client.get(ENROL)
    key_hex = client.session[ENROL_KEY_SESSION]
    client.post(ENROL, {"token": token_for(key_hex)})
    assert client.get("/").status_code == 200  # the enrolling session carries on
    assert other_browser.get("/")["Location"].startswith(LOGIN)


def test_reviewer_with_device_must_verify_after_login(world: World, client: Client) -> None:
    english(world.bj_reviewer)
    give_totp_device(world.bj_reviewer)
    response = client.post(
        f"{LOGIN}?next=/authorities/11/",
        {"username": world.bj_reviewer.email, "password": PASSWORD, "next": "/authorities/11/"},
    )
    assert response["Location"] == "/authorities/11/"
    response = client.get("/authorities/11/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fauthorities%2F11%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200
    verified = client.post(VERIFY, {"token": token_for(), "next": "/authorities/11/"})
    assert verified.status_code == 302
    assert verified["Location"] == "/authorities/11/"
    assert client.get("/authorities/11/").status_code == 200


def test_wrong_token_is_refused_and_throttled(world: World, client: Client) -> None:
    english(world.bj_reviewer)
    device = give_totp_device(world.bj_reviewer)
    password_login(client, world.bj_reviewer)
    wrong = "123456" if token_for() != "123456" else "654321"
    response = client.post(VERIFY, {"token": wrong})
    assert response.status_code == 400
    assert "That code is not right." in response.content.decode()
    assert client.get("/")["Location"].startswith(VERIFY)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1

    # right away, even the right code is refused: django-otp's back-off is on
    response = client.post(VERIFY, {"token": token_for()})
    assert response.status_code == 400
    assert "Too many wrong codes" in response.content.decode()
    assert client.get("/")["Location"].startswith(VERIFY)

    # once the back-off has passed, the right code works
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(minutes=5)
    )
    response = client.post(VERIFY, {"token": token_for()})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_a_code_cannot_be_replayed(world: World, client: Client) -> None:
    give_totp_device(world.bj_reviewer)
    password_login(client, world.bj_reviewer)
    code = token_for()
    assert client.post(VERIFY, {"token": code}).status_code == 302
    client.post(reverse("accounts:logout"))
    password_login(client, world.bj_reviewer)
    assert client.post(VERIFY, {"token": code}).status_code == 400


def test_recovery_code_works_once(world: World, client: Client) -> None:
    give_totp_device(world.gd_reviewer)
    device = StaticDevice.objects.create(user=world.gd_reviewer, name="recovery codes")
    device.token_set.create(token="abcd2345")
    device.token_set.create(token="wxyz6789")

    password_login(client, world.gd_reviewer)
    response = client.post(VERIFY, {"token": "ABCD 2345"})  # as typed from a printout
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="mfa.recovery_code_used").exists()
    assert list(device.token_set.values_list("token", flat=True)) == ["wxyz6789"]

    client.post(reverse("accounts:logout"))
    password_login(client, world.gd_reviewer)
    assert client.post(VERIFY, {"token": "abcd2345"}).status_code == 400
    assert client.get("/")["Location"].startswith(VERIFY)


def test_enterprise_user_logs_in_without_mfa(world: World, client: Client) -> None:
    password_login(client, world.lead)
    assert client.get("/").status_code == 200
    assert client.get(SECURITY).status_code == 200


def test_enterprise_user_opts_in_then_must_verify_then_opts_out(
    world: World, client: Client
) -> None:
    english(world.editor)
    password_login(client, world.editor)
    body = client.get(SECURITY).content.decode()
    assert ENROL in body
    client.get(ENROL)
    key_hex = client.session[ENROL_KEY_SESSION]
    assert client.post(ENROL, {"token": token_for(key_hex)}).status_code == 302
    body = client.get(SECURITY).content.decode()
    assert "10 recovery codes left" in body
    assert reverse("people:mfa_remove") in body

    client.post(reverse("accounts:logout"))
    password_login(client, world.editor)
    assert client.get("/")["Location"].startswith(VERIFY)
    client.post(VERIFY, {"token": token_for(key_hex, steps=1)})
    assert client.get("/").status_code == 200

    client.post(reverse("people:mfa_remove"))
    assert not TOTPDevice.objects.filter(user=world.editor).exists()
    assert AuditEvent.objects.filter(action="mfa.remove").exists()
    client.post(reverse("accounts:logout"))
    password_login(client, world.editor)
    assert client.get("/").status_code == 200


def test_reviewer_cannot_remove_mfa(world: World, client_for) -> None:
    client = client_for(english(world.bj_reviewer))
    body = client.get(SECURITY).content.decode()
    assert reverse("people:mfa_remove") not in body
    client.post(reverse("people:mfa_remove"))
    assert TOTPDevice.objects.filter(user=world.bj_reviewer).exists()


def test_regenerating_recovery_codes_replaces_them(world: World, client_for) -> None:
    client = client_for(world.bj_reviewer)
    device = StaticDevice.objects.create(user=world.bj_reviewer, name="recovery codes")
    device.token_set.create(token="oldcode2")
    response = client.post(reverse("people:mfa_recovery_codes_regenerate"))
    assert response.status_code == 302
    tokens = set(
        StaticToken.objects.filter(device__user=world.bj_reviewer).values_list("token", flat=True)
    )
    assert len(tokens) == 10
    assert "oldcode2" not in tokens
    assert AuditEvent.objects.filter(action="mfa.recovery_codes_regenerate").exists()


def test_security_page_is_linked_from_the_header(world: World, client_for) -> None:
    body = client_for(world.lead).get("/").content.decode()
    assert f'href="{SECURITY}"' in body


def test_client_for_gives_reviewers_a_verified_session(world: World, client_for) -> None:
    client = client_for(world.sasac_reviewer)
    assert client.get("/").status_code == 200
    assert TOTPDevice.objects.filter(user=world.sasac_reviewer, confirmed=True).exists()
    assert not TOTPDevice.objects.filter(user=world.lead).exists()
    assert login_verified(Client(), world.lead).get("/").status_code == 200


def test_htmx_requests_are_redirected_with_a_header(world: World, client: Client) -> None:
    password_login(client, world.bj_reviewer)
    response = client.get("/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(ENROL)
