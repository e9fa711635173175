"""City commissions on the dashboards: a province sees its cities' counts, never their
filings; a city sees nothing of its province's other cities; the national overview lists
each city under its province, with the province's total."""

import csv
import io
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import User
from apps.enterprises.authorities import city_commission_ensure
from apps.enterprises.models import Authority, Enterprise, Role
from apps.enterprises.services import membership_grant
from apps.filings.models import Filing
from apps.filings.workflow import State
from tests.conftest import World
from tests.dashboards.conftest import Dash, add_result, enterprises, make_filing
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

PROVINCE_DASHBOARD = reverse("dashboards:authority", args=["44"])
NATIONAL = reverse("dashboards:national")


@dataclass
class Cities:
    guangzhou: Authority
    foshan: Authority
    gz: list[Enterprise]
    fs: Enterprise
    gz_submitted: Filing
    fs_filing: Filing
    gz_reviewer: User
    fs_reviewer: User


def city(code: str, name_zh: str, name_en: str) -> Authority:
    return city_commission_ensure(code=code, name_zh=name_zh, name_en=name_en, province_code="44")


def reviewer(authority: Authority, email: str) -> User:
    user = UserFactory(email=email)
    membership_grant(user=user, role=Role.REVIEWER, authority=authority)
    return user


@pytest.fixture
def cities(world: World, dash: Dash) -> Cities:
    """Guangzhou: three SOEs (plan filed, plan submitted, nothing yet), one summary with two
    results; Foshan: one SOE with its plan under review; Guangdong's own: nothing filed."""
    guangzhou = city("440100", "广州市国资委", "Guangzhou SASAC")
    foshan = city("440600", "佛山市国资委", "Foshan SASAC")
    gz = enterprises(guangzhou, 3, name_zh="广州秘密企业有限公司")
    (fs,) = enterprises(foshan, 1, name_zh="佛山秘密企业有限公司")
    u = world.lead
    make_filing(gz[0], dash.plan, State.APPROVED, user=u)
    gz_submitted = make_filing(gz[1], dash.plan, State.SUBMITTED, user=u)
    summary = make_filing(gz[0], dash.s1, State.SUBMITTED, user=u)
    add_result(summary, "total_profit", True)
    add_result(summary, "roe", False)
    fs_filing = make_filing(fs, dash.plan, State.UNDER_REVIEW, user=u)
    return Cities(
        guangzhou, foshan, gz, fs, gz_submitted, fs_filing,
        reviewer(guangzhou, "gz.reviewer@example.cn"),
        reviewer(foshan, "fs.reviewer@example.cn"),
    )  # fmt: skip


def row(body: str, code: str, testid: str = "national-row") -> dict[str, str]:
    """The counts of one authority's row (or, with testid="rollup-subtotal", of a province
    with its cities), as the page shows them."""
    match = re.search(rf'data-testid="{testid}" data-authority="{code}">(.*?)</tr>', body, re.S)
    assert match, (testid, code)
    return {
        key: re.sub(r"<[^>]+>", "", value).strip()
        for key, value in re.findall(r'data-testid="([\w-]+)">(.*?)</td>', match.group(1), re.S)
    }


def counts(
    enterprises: int, submitted: int, approved: int, overdue: int, rate: str
) -> dict[str, str]:
    return {
        "enterprises": str(enterprises), "submitted": str(submitted), "approved": str(approved),
        "not-submitted": str(enterprises - submitted), "overdue": str(overdue), "rate": rate,
    }  # fmt: skip


GZ = counts(3, 2, 1, 1, "50.0% (1/2)")
FS = counts(1, 1, 0, 0, "—")
GD_OWN = counts(1, 0, 0, 1, "—")
GD_WITH_CITIES = counts(5, 3, 1, 2, "50.0% (1/2)")


def test_the_province_sees_its_cities_counts(world: World, cities: Cities, client_for: Any) -> None:
    body = client_for(world.gd_reviewer).get(PROVINCE_DASHBOARD).content.decode()
    section = body.split('data-testid="cities-section"')[1].split("</section>")[0]
    assert row(section, "44") == GD_OWN
    assert row(section, "440100") == GZ
    assert row(section, "440600") == FS
    assert row(section, "44", "rollup-subtotal") == GD_WITH_CITIES
    # Counts only: no city enterprise's name or code, and no link into a city's pages.
    for enterprise in [*cities.gz, cities.fs]:
        assert enterprise.name_zh not in body
        assert enterprise.credit_code not in body
    assert "/authorities/440100/" not in body
    assert f"/filings/{cities.gz_submitted.pk}/" not in body


def test_the_province_cannot_open_a_citys_filing(
    world: World, cities: Cities, client_for: Any
) -> None:
    client = client_for(world.gd_reviewer)
    gz_enterprise = cities.gz[1]
    for url in (
        reverse("filings:detail", args=[cities.gz_submitted.pk]),
        reverse("filings:versions", args=[cities.gz_submitted.pk]),
        reverse("enterprises:enterprise_detail", args=[gz_enterprise.credit_code]),
        reverse("dashboards:authority", args=["440100"]),
        reverse("timeline:authority_obligations", args=["440100"]),
        f"{PROVINCE_DASHBOARD}?enterprise={gz_enterprise.credit_code}",
    ):
        assert client.get(url).status_code == 404, url
    # The filing itself is there: its own commission's reviewer opens it.
    own = client_for(cities.gz_reviewer)
    assert own.get(reverse("filings:detail", args=[cities.gz_submitted.pk])).status_code == 200


def test_a_city_sees_nothing_of_its_provinces_other_cities(
    world: World, cities: Cities, client_for: Any
) -> None:
    client = client_for(cities.gz_reviewer)
    own = client.get(reverse("dashboards:authority", args=["440100"]))
    assert own.status_code == 200
    body = own.content.decode()
    assert 'data-testid="cities-section"' not in body  # a city has no cities under it
    assert cities.fs.credit_code not in body and "佛山" not in body
    for url in (
        reverse("filings:detail", args=[cities.fs_filing.pk]),
        reverse("enterprises:enterprise_detail", args=[cities.fs.credit_code]),
        reverse("dashboards:authority", args=["440600"]),
        reverse("dashboards:authority_export", args=["440600", "progress", "csv"]),
        PROVINCE_DASHBOARD,
        reverse("dashboards:authority_export", args=["44", "cities", "csv"]),
        reverse("enterprises:enterprise_detail", args=[world.gd_enterprise.credit_code]),
        NATIONAL,
    ):
        assert client.get(url).status_code == 404, url
    # Foshan's reviewer, likewise, of Guangzhou's.
    other = client_for(cities.fs_reviewer)
    assert other.get(reverse("filings:detail", args=[cities.gz_submitted.pk])).status_code == 404
    assert other.get(reverse("dashboards:authority", args=["440100"])).status_code == 404


def test_cities_export_has_the_page_figures(world: World, cities: Cities, client_for: Any) -> None:
    client = client_for(world.gd_reviewer)
    response = client.get(reverse("dashboards:authority_export", args=["44", "cities", "csv"]))
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))  # type: ignore[attr-defined]
    )
    assert [
        (r["authority"], r["parent_authority"], r["enterprises"], r["submitted"], r["approved"],
         r["not_yet_submitted"], r["overdue"], r["on_track_rate_percent"])
        for r in rows
    ] == [
        ("44", "", "1", "0", "0", "1", "1", ""),
        ("440100", "44", "3", "2", "1", "1", "1", "50.0"),
        ("440600", "44", "1", "1", "0", "0", "0", ""),
    ]  # fmt: skip
    xlsx = client.get(reverse("dashboards:authority_export", args=["44", "cities", "xlsx"]))
    assert xlsx.status_code == 200
    # A commission without cities has no such table to export.
    beijing = client_for(world.bj_reviewer)
    body = beijing.get(reverse("dashboards:authority", args=["11"])).content.decode()
    assert 'data-testid="cities-section"' not in body
    url = reverse("dashboards:authority_export", args=["11", "cities", "csv"])
    assert beijing.get(url).status_code == 404


def test_the_cities_table_follows_the_filters(
    world: World, dash: Dash, cities: Cities, client_for: Any
) -> None:
    client = client_for(world.gd_reviewer)
    # The stage summary due ten days ago: Guangzhou's first SOE submitted it.
    body = client.get(f"{PROVINCE_DASHBOARD}?deliverable={dash.s1.pk}").content.decode()
    assert row(body, "440100") == counts(3, 1, 0, 2, "50.0% (1/2)")
    # Category narrows every count: the factory's SOEs are all commercial I.
    body = client.get(f"{PROVINCE_DASHBOARD}?category=public_welfare").content.decode()
    assert row(body, "440100") == counts(0, 0, 0, 0, "—")


def test_the_national_overview_lists_cities_under_their_province(
    world: World, cities: Cities, client_for: Any
) -> None:
    body = client_for(world.sasac_reviewer).get(NATIONAL).content.decode()
    assert row(body, "44") == GD_OWN
    assert row(body, "440100") == GZ
    assert row(body, "440600") == FS
    assert row(body, "44", "rollup-subtotal") == GD_WITH_CITIES
    # In that order: the province, its cities, the province's total, then the next province.
    order = re.findall(r'data-testid="(national-row|rollup-subtotal)" data-authority="(\w+)"', body)
    at = order.index(("national-row", "44"))
    assert order[at : at + 5] == [
        ("national-row", "44"), ("national-row", "440100"), ("national-row", "440600"),
        ("rollup-subtotal", "44"), ("national-row", "45"),
    ]  # fmt: skip
    # Only Guangdong has cities: no other province gets a total row.
    assert [code for kind, code in order if kind == "rollup-subtotal"] == ["44"]
    # The national total counts each enterprise once: world's 2 central + 1 Beijing + 5 here.
    total = re.search(r'data-testid="national-total">(.*?)</tr>', body, re.S)
    assert total
    assert re.findall(r'<td class="text-end">([^<]*)</td>', total.group(1))[0] == "8"
    for enterprise in cities.gz:
        assert enterprise.name_zh not in body

    export = client_for(world.sasac_reviewer).get(
        reverse("dashboards:national_export", args=["csv"])
    )
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))  # type: ignore[attr-defined]
    assert len(rows) == 40  # the 38 and the two cities; no subtotal rows
    codes = [r["authority"] for r in rows]
    assert codes[codes.index("44") : codes.index("44") + 4] == ["44", "440100", "440600", "45"]
    gz = next(r for r in rows if r["authority"] == "440100")
    assert (gz["parent_authority"], gz["enterprises"], gz["approved"]) == ("44", "3", "1")


# --- Query counts ---------------------------------------------------------------------------


def grow(world: World, dash: Dash, n_cities: int, per_city: int, offset: int) -> None:
    """``n_cities`` more Guangdong cities (codes from ``offset``), each with SOEs whose
    plans are in several states."""
    states = [State.APPROVED, State.SUBMITTED, State.DRAFT, State.UNDER_REVIEW]
    for i in range(n_cities):
        authority = city(f"44{offset + i:02d}00", f"测试{offset + i}市国资委", f"City {i}")
        for j, enterprise in enumerate(enterprises(authority, per_city)):
            make_filing(enterprise, dash.plan, states[j % len(states)], user=world.lead)


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200, url
        if response.streaming:
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return len(ctx.captured_queries)


def test_same_queries_whatever_the_number_of_cities(
    world: World, dash: Dash, client_for: Any
) -> None:
    province = [
        PROVINCE_DASHBOARD,
        f"{PROVINCE_DASHBOARD}?deliverable={dash.s1.pk}&category=commercial_1",
        reverse("dashboards:authority_export", args=["44", "cities", "csv"]),
        reverse("dashboards:authority_export", args=["44", "cities", "xlsx"]),
    ]
    national = [
        NATIONAL,
        reverse("dashboards:national_export", args=["csv"]),
        reverse("dashboards:national_export", args=["xlsx"]),
    ]
    grow(world, dash, 1, 1, offset=1)

    def measure() -> dict[str, int]:
        measured = {}
        for user, urls in ((world.gd_reviewer, province), (world.sasac_reviewer, national)):
            client = client_for(user)
            for url in urls:
                client.get(url)  # warm the per-user navigation cache
            measured.update({url: queries(client, url) for url in urls})
        return measured

    small = measure()
    grow(world, dash, 8, 4, offset=10)  # 441000 to 441700 (not 4403: Shenzhen)
    large = measure()
    assert small == large
    assert max(small.values()) <= 25, small
