"""City commissions under their provinces: one level, checked by clean() and, where one row
suffices, by the database."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.test import Client
from django.utils import translation

from apps.enterprises.authorities import city_commission_ensure
from apps.enterprises.models import Authority, AuthorityKind
from tests.conftest import World, zh
from tests.factories import UserFactory, authority

pytestmark = pytest.mark.django_db


def guangzhou() -> Authority:
    authority("44")
    return city_commission_ensure(
        code="440100", name_zh="广州市国资委", name_en="Guangzhou SASAC", province_code="44"
    )


def city(code: str, parent: Authority | None, **kw: Any) -> Authority:
    return Authority(
        code=code, name_zh="某市国资委", name_en="Some City SASAC",
        kind=kw.pop("kind", AuthorityKind.PREFECTURE), parent=parent, **kw,
    )  # fmt: skip


def refusal(candidate: Authority) -> dict[str, list[str]]:
    """What full_clean() says, in English."""
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            candidate.full_clean()
        return caught.value.message_dict


def test_a_city_commission_under_its_province() -> None:
    gz = guangzhou()
    gd = authority("44")
    assert (gz.kind, gz.parent_id, gz.sort_order) == ("prefecture", gd.pk, gd.sort_order)
    assert list(gd.children.all()) == [gz]
    # Sorted with its province: right after Guangdong, before Guangxi.
    codes = list(Authority.objects.values_list("code", flat=True))
    assert codes[codes.index("44") + 1] == "440100"
    assert codes[codes.index("440100") + 1] == "45"
    # Idempotent: a second call refreshes the same row.
    again = city_commission_ensure(
        code="440100", name_zh="广州市国资委", name_en="Guangzhou SASASC", province_code="44"
    )
    assert again.pk == gz.pk
    assert Authority.objects.filter(kind=AuthorityKind.PREFECTURE).count() == 1


def test_a_city_commission_needs_a_provincial_parent() -> None:
    gz = guangzhou()
    assert "parent" in refusal(city("440200", None))
    for not_a_province in ("SASAC", "4403", "XPCC"):
        errors = refusal(city("440200", authority(not_a_province)))
        assert errors["parent"] == ["A city commission is under a provincial-level commission."]
    # Nor under another city commission: one level only.
    assert refusal(city("440200", gz))["parent"] == [
        "A city commission is under a provincial-level commission."
    ]


def test_the_other_kinds_have_no_parent() -> None:
    gd = authority("44")
    for code in ("SASAC", "11", "4403", "XPCC"):
        candidate = authority(code)
        candidate.parent = gd
        assert "parent" in refusal(candidate), code


def test_a_city_code_is_six_digits_within_its_province() -> None:
    gd = authority("44")
    for bad in ("4401", "440101", "440000", "4401000", "ABC100"):
        assert "code" in refusal(city(bad, gd)), bad
    # Another province's city.
    assert refusal(city("450100", gd))["code"] == [
        "The code 450100 is not in Guangdong SASAC: a city's GB/T 2260 code begins with its "
        "province's (44)."
    ]
    # Shenzhen (4403) answers to no province: its prefecture code is not Guangdong's to use.
    errors = refusal(city("440300", gd))
    assert errors["code"] == [
        "This city has independent planning status: its commission, Shenzhen SASAC, answers to "
        "no province."
    ]
    city("440600", gd).full_clean()  # Foshan is fine


def test_no_cycle_and_no_province_demoted_under_its_cities() -> None:
    gz = guangzhou()
    gd = authority("44")
    # A province given a parent (its own city, which would close a cycle) is refused.
    gd.parent = gz
    assert "parent" in refusal(gd)
    gd.refresh_from_db()
    # A province with cities under it stays provincial.
    gd.kind = AuthorityKind.CITY
    assert refusal(gd)["kind"] == [
        "City commissions sit under this commission: it stays a provincial-level commission "
        "while they do."
    ]
    gz.parent = gz
    assert "parent" in refusal(gz)


def test_the_database_keeps_the_one_row_rules() -> None:
    gd = authority("44")
    bad_rows = [
        city("440200", None),  # a city without a province
        city("440200", gd, kind=AuthorityKind.PROVINCIAL),  # a province with a parent
        city("4402", gd),  # not a six-digit code
    ]
    for row in bad_rows:
        with pytest.raises(IntegrityError), transaction.atomic():
            row.save()
    gz = guangzhou()
    with pytest.raises(IntegrityError), transaction.atomic():
        Authority.objects.filter(pk=gz.pk).update(parent_id=gz.pk)


def test_a_province_with_cities_cannot_be_deleted() -> None:
    guangzhou()
    with pytest.raises(ProtectedError):
        authority("44").delete()


def test_admin_adds_a_city_under_its_province(world: World, client_for: Any) -> None:
    root = UserFactory.create(email="root@example.cn", is_staff=True, is_superuser=True)
    client: Client = client_for(root)
    add = "/admin/enterprises/authority/add/"
    page = client.get(add).content.decode()
    # Only provincial commissions are offered as the parent.
    assert f'<option value="{world.guangdong.pk}">' in page
    assert f'<option value="{world.sasac.pk}">' not in page
    form = {"code": "440100", "name_zh": "广州市国资委", "name_en": "Guangzhou SASAC",
            "kind": "prefecture", "sort_order": "19"}  # fmt: skip
    # Without a parent: refused, nothing written.
    response = client.post(add, form)
    assert response.status_code == 200
    assert zh("Choose the provincial commission this city commission is under.") in (
        response.content.decode()
    )
    assert not Authority.objects.filter(code="440100").exists()
    response = client.post(add, {**form, "parent": world.guangdong.pk})
    assert response.status_code == 302
    assert Authority.objects.get(code="440100").parent == world.guangdong
    listing = client.get("/admin/enterprises/authority/?kind=prefecture").content.decode()
    assert "广州市国资委" in listing
    assert "北京市国资委" not in listing
