"""Pages under load: the plan page, the version comparison and the enterprise home, each as
a ratio to a trivial view, with seed_bench's 5,000 enterprises and 20,000 filings."""

from django.test import Client

from apps.accounts.models import User
from apps.demo.bench import BENCH_LEAD, seed_bench
from apps.filings.models import Filing


def run() -> list[str]:
    from benchmarks.http import measure

    seeded = seed_bench(enterprises=5000, filings=20000)
    lead = User.objects.get(email=BENCH_LEAD)
    filing = Filing.objects.select_related("enterprise").get(pk=seeded["showcase"])
    client = Client()
    client.force_login(lead, backend="django.contrib.auth.backends.ModelBackend")
    pages = [
        ("trivial view (/ping)", "/ping"),
        ("plan page", f"/filings/{filing.pk}/"),
        ("version diff", f"/filings/{filing.pk}/compare/?a=1&b=3"),
        ("enterprise home", filing.enterprise.get_absolute_url()),
    ]
    return [f"data: {Filing.objects.count()} filings", *measure(pages, client)]
