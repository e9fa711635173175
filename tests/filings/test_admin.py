"""Administrators edit a deliverable's attachment types in the admin."""

import pytest
from django.test import Client

from apps.accounts.models import User
from apps.filings.models import AttachmentType
from apps.timeline.models import Deliverable
from tests.conftest import World, login_verified
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_attachment_types_are_listed_searched_and_added(world: World, plan: Deliverable) -> None:
    root: User = UserFactory.create(email="root@example.cn", is_staff=True, is_superuser=True)
    client = login_verified(Client(), root)
    AttachmentType.objects.create(
        deliverable=plan, code="decision_record", name_zh="党委（党组）会议纪要或董事会决议",
        name_en="Decision record", required=True, order=1,
    )  # fmt: skip
    listing = client.get("/admin/filings/attachmenttype/", {"q": "会议纪要"})
    assert listing.status_code == 200
    assert "党委（党组）会议纪要或董事会决议" in listing.content.decode()
    assert client.get("/admin/filings/attachmenttype/", {"required__exact": "1"}).status_code == 200
    added = client.post(
        "/admin/filings/attachmenttype/add/",
        {"deliverable": plan.pk, "code": "benchmark_report", "name_zh": "对标分析报告",
         "name_en": "Benchmarking report", "required": "", "order": "2"},
    )  # fmt: skip
    assert added.status_code == 302
    assert AttachmentType.objects.get(deliverable=plan, code="benchmark_report").required is False


def test_not_for_enterprise_users(world: World) -> None:
    client = login_verified(Client(), world.lead)
    response = client.get("/admin/filings/attachmenttype/")
    assert response.status_code == 302  # to the admin's login: not staff
    assert "/admin/login/" in response["Location"]
