from typing import Any

from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from apps.demo.services import (
    DEMO_PASSWORD,
    DEMO_TOTP_KEY,
    DEMO_TOTP_SECRET,
    demo_logins,
    demo_totp_uri,
    seed_demo,
)


class Command(BaseCommand):
    help = "Load the fictional demo data (idempotent). Refused under production settings."

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo's notifications stay in the product (the bell); their emails are dropped
        # rather than printed by the console backend of `make run`.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            counts = seed_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {counts['enterprises']} enterprises, {counts['users']} users."
            )
        )
        self.stdout.write(f"Every demo login uses the password: {DEMO_PASSWORD}")
        for email, what in demo_logins():
            self.stdout.write(f"  {email:32} {what}")
        self.stdout.write(
            "Reviewers, lead reviewers and the administrator also need a code from an "
            "authenticator app (two-factor authentication). All of them share this demo key:"
        )
        self.stdout.write(f"  secret (base32, type into the app): {DEMO_TOTP_SECRET}")
        self.stdout.write(f"  key (hex):                          {DEMO_TOTP_KEY}")
        self.stdout.write(f"  otpauth URI (make a QR code of it): {demo_totp_uri()}")
        code_cmd = f"print('%06d' % totp(bytes.fromhex('{DEMO_TOTP_KEY}')))"
        self.stdout.write(
            '  or print the current code: .venv/bin/python -c "from django_otp.oath import totp; '
            f'{code_cmd}"'
        )
