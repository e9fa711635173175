import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from apps.demo.bench import seed_bench


class Command(BaseCommand):
    help = "Bulk benchmark data (idempotent: adds only what is missing). Not for production."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enterprises", type=int, default=5000)
        parser.add_argument("--filings", type=int, default=20000)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        result = seed_bench(enterprises=options["enterprises"], filings=options["filings"])
        self.stdout.write(
            f"{result['enterprises']} enterprises, {result['filings']} filings "
            f"({result['created']} new) in {time.perf_counter() - started:.1f} s; "
            f"showcase filing {result['showcase']}, log in as {result['lead']}"
        )
