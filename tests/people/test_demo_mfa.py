import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.demo.services import DEMO_PASSWORD, DEMO_TOTP_KEY, DEMO_TOTP_SECRET

pytestmark = pytest.mark.django_db


def test_demo_reviewers_and_admin_get_the_documented_totp_key(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    out = capsys.readouterr().out
    assert DEMO_TOTP_SECRET in out
    assert "otpauth://totp/" in out
    for email in ("admin@example.cn", "bj.lead@example.cn", "sz.reviewer@example.cn"):
        device = TOTPDevice.objects.get(user__email=email)
        assert device.confirmed
        assert device.key == DEMO_TOTP_KEY
    assert not TOTPDevice.objects.filter(user__email__startswith="lead.").exists()
    assert not TOTPDevice.objects.filter(user__email__startswith="editor.").exists()


def test_demo_reviewer_logs_in_with_the_demo_code(client: Client) -> None:
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.post(
        "/accounts/login/", {"username": "gd.reviewer@example.cn", "password": DEMO_PASSWORD}
    )
    assert client.get("/")["Location"].startswith("/accounts/mfa/verify/")
    code = f"{totp(bytes.fromhex(DEMO_TOTP_KEY)):06d}"
    assert client.post("/accounts/mfa/verify/", {"token": code}).status_code == 302
    assert client.get("/").status_code == 200
