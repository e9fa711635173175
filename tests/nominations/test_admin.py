"""The admin pages of the nomination models: readable, never an add, change or delete."""

from typing import Any

import pytest
from django.test import Client

from apps.accounts.models import User
from apps.filings.models import Filing
from apps.nominations import services
from apps.timeline.models import local_today
from tests.conftest import World
from tests.factories import UserFactory
from tests.nominations.conftest import in_notice

pytestmark = pytest.mark.django_db


def test_the_admin_reads_but_does_not_write(
    approved_report: Filing, world: World, client_for: Any, second_reviewer: User
) -> None:
    nomination, notice = in_notice(approved_report, world, second_reviewer)
    objection = services.objection_record(
        nomination=nomination, text="异议。", received_on=local_today(), actor=world.sasac_reviewer
    )
    root = UserFactory.create(email="root@example.cn", is_staff=True, is_superuser=True)
    client: Client = client_for(root)
    pages = {
        "nomination": nomination.pk,
        "publicnotice": notice.pk,
        "objection": objection.pk,
    }
    for model, pk in pages.items():
        listing = client.get(f"/admin/nominations/{model}/")
        assert listing.status_code == 200, model
        detail = client.get(f"/admin/nominations/{model}/{pk}/change/")
        assert detail.status_code == 200, model
        assert client.get(f"/admin/nominations/{model}/add/").status_code == 403, model
        assert client.post(f"/admin/nominations/{model}/{pk}/delete/").status_code == 403
    html = client.get(f"/admin/nominations/nomination/{nomination.pk}/change/").content.decode()
    assert "异议。" in html  # the objection inline
