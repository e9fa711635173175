"""Pages under load: the plan page, the version comparison, the enterprise home and the
reviewer's queue, each as a ratio to a trivial view, with seed_bench's 5,000 enterprises and
20,000 filings."""

from itertools import groupby

from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import User
from apps.demo.bench import BENCH_LEAD, BENCH_REVIEWER, seed_bench
from apps.filings.models import Filing
from apps.people.mfa import TOTP_DEVICE_NAME
from benchmarks.db import settle

TRIVIAL = ("trivial view (/ping)", "/ping")


def verified_client(user: User) -> Client:
    """A client logged in as ``user`` past the MFA step reviewers must take: a confirmed
    authenticator (made if missing, with a random key) remembered in the session, which is
    what django_otp.login() does after a correct code."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def run() -> list[str]:
    from benchmarks.http import measure

    seeded = seed_bench(enterprises=5000, filings=20000)
    settle()
    lead = User.objects.get(email=BENCH_LEAD)
    filing = Filing.objects.select_related("enterprise__authority").get(pk=seeded["showcase"])
    client = Client()
    client.force_login(lead, backend="django.contrib.auth.backends.ModelBackend")
    # The bench reviewer leads the reviews of the showcase enterprise's authority.
    reviewer = verified_client(User.objects.get(email=BENCH_REVIEWER))
    queue = reverse("reviews:queue", args=[filing.enterprise.authority.code])
    # The navigation is cached per user: count the queries of a warm page.
    reviewer.get(queue, HTTP_HOST="127.0.0.1")
    pages = [
        (*TRIVIAL, client),
        ("plan page", f"/filings/{filing.pk}/", client),
        ("version diff", f"/filings/{filing.pk}/compare/?a=1&b=3", client),
        ("enterprise home", filing.enterprise.get_absolute_url(), client),
        ("reviewer queue", queue, reviewer),
    ]
    lines = [f"data: {Filing.objects.count()} filings"]
    # measure() drives one session; each further session is measured against the trivial
    # view again, in its own run, so that every ratio compares figures taken together.
    for index, (session, group) in enumerate(groupby(pages, key=lambda page: page[2])):
        measured = [(name, path) for name, path, _client in group]
        if measured[0] != TRIVIAL:
            measured.insert(0, (f"{TRIVIAL[0]} again", TRIVIAL[1]))
        figures = measure(measured, session)
        lines += figures if index == 0 else figures[1:]
    return lines
