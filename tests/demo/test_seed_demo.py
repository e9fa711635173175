import pytest
from django.core.management import call_command

from apps.accounts.models import User
from apps.demo.services import DEMO_PASSWORD
from apps.enterprises.models import Enterprise, Membership, Role

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int]:
    return Enterprise.objects.count(), User.objects.count(), Membership.objects.count()


def test_seed_demo_is_idempotent_and_complete(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out

    central = Enterprise.objects.filter(authority__code="SASAC", parent__isnull=True)
    assert central.count() >= 3
    assert Enterprise.objects.filter(authority__code="11").count() >= 2
    assert Enterprise.objects.filter(authority__code="44").count() >= 2
    assert Enterprise.objects.filter(authority__code="4403").count() >= 1
    for enterprise in Enterprise.objects.filter(parent__isnull=True):
        roles = set(Membership.objects.filter(enterprise=enterprise).values_list("role", flat=True))
        assert roles == {Role.LEAD, Role.EDITOR}, enterprise
    for code in ("SASAC", "11", "44", "4403", "440100"):
        roles = set(Membership.objects.filter(authority__code=code).values_list("role", flat=True))
        assert roles == {Role.REVIEWER, Role.LEAD_REVIEWER}, code
    assert User.objects.filter(is_staff=True).exists()
    for user in User.objects.all():
        assert user.check_password(DEMO_PASSWORD)


def test_every_demo_credit_code_is_valid() -> None:
    from apps.enterprises.creditcode import validate_credit_code

    call_command("seed_demo")
    for code in Enterprise.objects.values_list("credit_code", flat=True):
        validate_credit_code(code)


def test_subsidiary_shares_its_groups_authority() -> None:
    call_command("seed_demo")
    for sub in Enterprise.objects.filter(parent__isnull=False).select_related("parent"):
        assert sub.authority_id == sub.parent.authority_id


def test_demo_filings_in_every_state() -> None:
    from apps.filings.models import Filing

    call_command("seed_demo")
    call_command("seed_demo")  # idempotent: nothing rewritten or added
    states = {
        f.enterprise.credit_code[-4:]: (f.state, f.is_amendment)
        for f in Filing.objects.select_related("enterprise")
    }
    found = set(states.values())
    for expected in [("draft", False), ("submitted", False), ("under_review", False),
                     ("returned", False), ("approved", False), ("draft", True)]:  # fmt: skip
        assert expected in found, expected
    # Eight plans: every demo group's but gdwt's (not started), Guangzhou's city SOE's too.
    assert Filing.objects.filter(kind="plan").count() == 8
    assert Filing.objects.filter(kind="stage_summary").count() == 2
    for filing in Filing.objects.filter(state="approved"):
        assert filing.approved_version.sha256


def test_seed_bench_is_bulk_and_idempotent() -> None:
    from apps.demo.bench import PREFIX, seed_bench
    from apps.filings.models import Filing, FilingVersion

    first = seed_bench(enterprises=20, filings=50)
    assert first["enterprises"] == 20
    assert first["filings"] == 50
    again = seed_bench(enterprises=20, filings=50)
    assert again["created"] == 0
    assert Filing.objects.filter(enterprise__credit_code__startswith=PREFIX).count() == 50
    frozen = FilingVersion.objects.filter(submitted_at__isnull=False).first()
    import hashlib

    assert frozen.sha256 == hashlib.sha256(frozen.snapshot.encode()).hexdigest()


def test_demo_has_a_guangdong_city_commission_with_one_enterprise() -> None:
    import os

    from apps.enterprises.models import Authority
    from apps.filings.models import Filing

    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)
        call_command("seed_demo", stdout=quiet)  # idempotent
    guangzhou = Authority.objects.get(code="440100")
    assert (guangzhou.name_zh, guangzhou.kind, guangzhou.parent.code) == (
        "广州市国资委", "prefecture", "44"
    )  # fmt: skip
    assert Authority.objects.filter(parent__isnull=False).count() == 1
    assert list(
        Enterprise.objects.filter(authority=guangzhou).values_list("name_zh", flat=True)
    ) == ["广州示范地铁集团有限公司"]
    # Its plan was submitted to the city commission, whose staff can log in.
    assert Filing.objects.get(enterprise__authority=guangzhou, kind="plan").state == "submitted"
    emails = set(
        Membership.objects.filter(authority=guangzhou).values_list("user__email", flat=True)
    )
    assert emails == {"gz.lead@example.cn", "gz.reviewer@example.cn"}
