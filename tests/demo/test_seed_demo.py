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
    for code in ("SASAC", "11", "44", "4403"):
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
