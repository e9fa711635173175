from typing import Any

from django.core.management.base import BaseCommand

from apps.demo.services import DEMO_PASSWORD, demo_logins, seed_demo


class Command(BaseCommand):
    help = "Load the fictional demo data (idempotent). Refused under production settings."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = seed_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {counts['enterprises']} enterprises, {counts['users']} users."
            )
        )
        self.stdout.write(f"Every demo login uses the password: {DEMO_PASSWORD}")
        for email, what in demo_logins():
            self.stdout.write(f"  {email:32} {what}")
