from collections.abc import Callable

import pytest
from django.http import Http404, HttpResponse
from django.test import Client, RequestFactory
from django.utils import translation

from apps.accounts.models import User
from apps.filings.models import Filing
from apps.plans.views import indicator_gap_fragment
from tests.conftest import World


def post(user: User, pk: int, data: dict[str, str]) -> HttpResponse:
    request = RequestFactory().post(f"/filings/{pk}/plan/gap/", data)
    request.user = user
    return indicator_gap_fragment(request, pk)


def test_gap_fragment_for_a_posted_row(world: World, saved_filing: Filing) -> None:
    data = {
        "indicators-2-id": "debt_to_asset",
        "indicators-2-direction": "lower",
        "indicators-2-baseline_year": "2022",
        "indicators-2-baseline": "70",
        "indicators-2-target_2023": "68",
        "indicators-2-target_2025": "61",
        "indicators-2-benchmark": "60",
        "indicators-2-benchmark_source": "年报",
    }
    with translation.override("en"):
        response = post(world.lead, saved_filing.pk, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Behind by 10 (16.7%)" in html
    assert "Target 2025: Behind by 1 (1.7%)" in html


def test_gap_fragment_without_numbers(world: World, saved_filing: Filing) -> None:
    response = post(world.editor, saved_filing.pk, {"indicators-0-baseline": ""})
    assert response.status_code == 200
    assert "—" in response.content.decode()


def test_gap_fragment_outsider_gets_404(world: World, saved_filing: Filing) -> None:
    with pytest.raises(Http404):
        post(world.other_lead, saved_filing.pk, {"indicators-0-baseline": "1"})


def test_gap_fragment_needs_post(world: World, saved_filing: Filing) -> None:
    request = RequestFactory().get(f"/filings/{saved_filing.pk}/plan/gap/")
    request.user = world.lead
    assert indicator_gap_fragment(request, saved_filing.pk).status_code == 405


def test_gap_fragment_reads_the_row_that_changed(world: World, saved_filing: Filing) -> None:
    """htmx sends the whole form: the trigger's name picks the row."""
    data = {
        "indicators-0-direction": "higher",
        "indicators-0-baseline": "100",
        "indicators-0-benchmark": "120",
        "indicators-2-direction": "lower",
        "indicators-2-baseline": "70",
        "indicators-2-target_2025": "61",
        "indicators-2-benchmark": "60",
    }
    request = RequestFactory().post(
        f"/filings/{saved_filing.pk}/plan/gap/",
        data,
        headers={"HX-Request": "true", "HX-Trigger-Name": "indicators-2-baseline"},
    )
    request.user = world.lead
    with translation.override("en"):
        html = indicator_gap_fragment(request, saved_filing.pk).content.decode()
    assert "Behind by 10 (16.7%)" in html
    assert "Target 2025: Behind by 1 (1.7%)" in html


@pytest.mark.urls("tests.plans.urls")
def test_gap_url_through_the_client(
    world: World, saved_filing: Filing, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.lead)
    url = f"/filings/{saved_filing.pk}/plan/gap/"
    response = client.post(
        url,
        {"indicators-0-baseline": "100", "indicators-0-benchmark": "120"},
        headers={"HX-Request": "true", "HX-Trigger-Name": "indicators-0-benchmark"},
    )
    assert response.status_code == 200
    assert 'data-testid="gap"' in response.content.decode()
    outsider = client_for(world.bj_lead).post(url, {"indicators-0-baseline": "1"})
    assert outsider.status_code == 404
