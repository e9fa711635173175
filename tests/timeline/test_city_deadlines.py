"""A city commission's own deadline may not be later than its province's."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from apps.accounts.models import User
from apps.enterprises.authorities import city_commission_ensure
from apps.enterprises.models import Authority, Role
from apps.enterprises.services import membership_grant
from apps.timeline.models import AuthorityDeadline, Deliverable
from apps.timeline.services import authority_deadline_set
from tests.conftest import World, zh
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def cities(world: World) -> tuple[Authority, Authority]:
    guangzhou = city_commission_ensure(
        code="440100", name_zh="广州市国资委", name_en="Guangzhou SASAC", province_code="44"
    )
    foshan = city_commission_ensure(
        code="440600", name_zh="佛山市国资委", name_en="Foshan SASAC", province_code="44"
    )
    return guangzhou, foshan


def lead_reviewer(authority: Authority, email: str) -> User:
    user = UserFactory(email=email)
    membership_grant(user=user, role=Role.LEAD_REVIEWER, authority=authority)
    return user


def set_date(authority: Authority, deliverable: Deliverable, day: dt.date | None) -> None:
    with translation.override("en"):
        authority_deadline_set(
            deliverable=deliverable, authority=authority, due_on=day, actor=User.objects.first()
        )


def refused(authority: Authority, deliverable: Deliverable, day: dt.date) -> list[str]:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        set_date(authority, deliverable, day)
    return caught.value.message_dict["due_on"]


def own_dates(deliverable: Deliverable) -> dict[str, dt.date]:
    return dict(
        AuthorityDeadline.objects.filter(deliverable=deliverable).values_list(
            "authority__code", "due_on"
        )
    )


def test_a_city_may_not_set_a_later_date_than_its_province(
    world: World, cities: tuple[Authority, Authority], plan: Deliverable
) -> None:
    guangzhou, _foshan = cities
    set_date(world.guangdong, plan, D(2026, 3, 20))
    assert refused(guangzhou, plan, D(2026, 3, 21)) == [
        "A city commission's deadline may not be later than its province's: Guangdong SASAC "
        "has set 2026-03-20."
    ]
    assert own_dates(plan) == {"44": D(2026, 3, 20)}
    set_date(guangzhou, plan, D(2026, 3, 20))  # the same day is not later
    set_date(guangzhou, plan, D(2026, 3, 15))
    assert own_dates(plan) == {"44": D(2026, 3, 20), "440100": D(2026, 3, 15)}


def test_without_a_provincial_date_a_city_sets_its_own(
    world: World, cities: tuple[Authority, Authority], plan: Deliverable
) -> None:
    guangzhou, _foshan = cities
    # Beijing's date is no concern of Guangzhou's; Guangdong has none.
    set_date(world.beijing, plan, D(2026, 3, 1))
    set_date(guangzhou, plan, D(2026, 4, 30))
    assert own_dates(plan)["440100"] == D(2026, 4, 30)
    # And then the province cannot go earlier than it.
    assert refused(world.guangdong, plan, D(2026, 4, 29)) == [
        "A city commission under this one has a later deadline: Guangzhou SASAC (2026-04-30). "
        "A city's deadline may not be later than its province's: choose 2026-04-30 or later, "
        "or ask the city to move its date first."
    ]


def test_a_province_may_not_move_before_its_cities_dates(
    world: World, cities: tuple[Authority, Authority], plan: Deliverable, h2: Deliverable
) -> None:
    guangzhou, foshan = cities
    set_date(world.guangdong, plan, D(2026, 3, 25))
    set_date(guangzhou, plan, D(2026, 3, 15))
    set_date(foshan, plan, D(2026, 3, 18))
    assert refused(world.guangdong, plan, D(2026, 3, 10)) == [
        "City commissions under this one have later deadlines: Guangzhou SASAC (2026-03-15), "
        "Foshan SASAC (2026-03-18). A city's deadline may not be later than its province's: "
        "choose 2026-03-18 or later, or ask the cities to move their dates first."
    ]
    assert refused(world.guangdong, plan, D(2026, 3, 17))[0].startswith(
        "A city commission under this one has a later deadline: Foshan SASAC (2026-03-18)."
    )
    assert own_dates(plan)["44"] == D(2026, 3, 25)  # unchanged
    set_date(world.guangdong, plan, D(2026, 3, 18))
    # Another deliverable's dates are another matter.
    set_date(world.guangdong, h2, D(2026, 3, 1))
    assert own_dates(plan)["44"] == D(2026, 3, 18)
    # Clearing is always allowed: a city without a date of its own follows the campaign's.
    set_date(world.guangdong, plan, None)
    set_date(guangzhou, plan, None)
    assert own_dates(plan) == {"440600": D(2026, 3, 18)}


def test_the_deadline_page_says_why_and_shows_the_bounds(
    world: World, cities: tuple[Authority, Authority], plan: Deliverable, client_for
) -> None:  # type: ignore[no-untyped-def]
    guangzhou, foshan = cities
    gd_lead = lead_reviewer(world.guangdong, "gd.lead@example.cn")
    gz_lead = lead_reviewer(guangzhou, "gz.lead@example.cn")
    set_date(world.guangdong, plan, D(2026, 3, 20))
    set_date(foshan, plan, D(2026, 3, 12))

    client = client_for(gz_lead)
    url = reverse("timeline:authority_deadline_edit", args=["440100", plan.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="province-deadline"' in page
    response = client.post(url, {"due_on": "2026-03-27", "note": ""})
    assert response.status_code == 200  # the form again, with the reason
    assert (
        zh(
            "A city commission's deadline may not be later than its province's: "
            "%(province)s has set %(date)s.",
            province="广东省国资委",
            date="2026-03-20",
        )
        in response.content.decode()
    )
    assert "440100" not in own_dates(plan)
    assert client.post(url, {"due_on": "2026-03-19", "note": ""}).status_code == 302
    assert own_dates(plan)["440100"] == D(2026, 3, 19)
    # Outsiders: a city's lead reviewer has no say in its province's date, nor the other way.
    for code in ("44", "440600"):
        other = reverse("timeline:authority_deadline_edit", args=[code, plan.pk])
        assert client.get(other).status_code == 404, code

    client = client_for(gd_lead)
    page = client.get(reverse("timeline:authority_deadline_edit", args=["44", plan.pk])).content
    cities_hint = page.decode().split('data-testid="city-deadlines"')[1].split("</div>")[0]
    assert "广州市国资委" in cities_hint and "佛山市国资委" in cities_hint
    assert client.get(url).status_code == 404
