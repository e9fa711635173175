import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.enterprises.creditcode import make_credit_code
from apps.enterprises.models import Enterprise
from tests.conftest import World
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db
LIST = "/registry/"


def bulk_enterprises(n: int, authority, prefix: str = "92") -> None:  # type: ignore[no-untyped-def]
    Enterprise.objects.bulk_create(
        Enterprise(
            credit_code=make_credit_code(f"{prefix}440000{i:09d}"),
            name_zh=f"批量企业{i:05d}有限公司",
            name_en=f"Bulk {i:05d}",
            authority=authority,
            category="commercial_1",
            industry="C",
        )
        for i in range(n)
    )


def test_reviewer_sees_only_own_authority(world: World, client_for) -> None:
    body = client_for(world.bj_reviewer).get(LIST).content.decode()
    assert world.bj_enterprise.credit_code in body
    assert world.gd_enterprise.credit_code not in body
    assert world.central.credit_code not in body


def test_admin_sees_all_and_filters_by_authority(world: World, client_for) -> None:
    client = client_for(world.admin)
    body = client.get(LIST).content.decode()
    for e in (world.central, world.bj_enterprise, world.gd_enterprise):
        assert e.credit_code in body
    body = client.get(LIST, {"authority": "44"}).content.decode()
    assert world.gd_enterprise.credit_code in body
    assert world.bj_enterprise.credit_code not in body


def test_reviewer_cannot_widen_scope_with_the_authority_filter(world: World, client_for) -> None:
    response = client_for(world.bj_reviewer).get(LIST, {"authority": "44"})
    body = response.content.decode()
    assert world.gd_enterprise.credit_code not in body
    # the form says the choice is invalid rather than silently showing another authority
    assert world.bj_enterprise.credit_code in body


@pytest.mark.parametrize(
    ("query", "found"),
    [("北京测试", "bj_enterprise"), ("广东", "gd_enterprise"), ("", None)],
)
def test_search_by_chinese_name(world: World, client_for, query: str, found: str | None) -> None:
    body = client_for(world.admin).get(LIST, {"q": query}).content.decode()
    if found:
        assert getattr(world, found).credit_code in body


def test_search_by_english_name_and_credit_code(world: World, client_for) -> None:
    client = client_for(world.admin)
    world.gd_enterprise.name_en = "Pearl River Demo Holdings"
    world.gd_enterprise.save()
    body = client.get(LIST, {"q": "pearl river"}).content.decode()
    assert world.gd_enterprise.credit_code in body
    assert world.bj_enterprise.credit_code not in body
    body = client.get(LIST, {"q": world.bj_enterprise.credit_code[:12].lower()}).content.decode()
    assert world.bj_enterprise.credit_code in body


def test_filters_category_industry_level_active(world: World, client_for) -> None:
    sub = EnterpriseFactory(
        authority=world.sasac,
        parent=world.central,
        category="public_welfare",
        industry="N",
        is_active=False,
    )
    client = client_for(world.admin)
    assert sub.credit_code in client.get(LIST, {"category": "public_welfare"}).content.decode()
    assert world.central.credit_code not in client.get(LIST, {"industry": "N"}).content.decode()
    body = client.get(LIST, {"level": "subsidiary"}).content.decode()
    assert sub.credit_code in body and world.central.credit_code not in body
    body = client.get(LIST, {"active": "no"}).content.decode()
    assert sub.credit_code in body and world.central.credit_code not in body


def test_keyset_pagination_walks_every_row_once(world: World, client_for) -> None:
    bulk_enterprises(120, world.guangdong)
    client = client_for(world.gd_reviewer)
    seen: list[str] = []
    response = client.get(LIST)
    pages = 0
    while True:
        page = response.context["page"]
        seen += [e.credit_code for e in page.object_list]
        pages += 1
        if not page.has_next:
            break
        response = client.get(LIST, {"after": page.next_cursor})
    assert pages == 3
    assert len(seen) == len(set(seen)) == 121
    assert seen == sorted(seen)
    # and back again from the last page
    previous = client.get(LIST, {"before": response.context["page"].previous_cursor})
    assert [e.credit_code for e in previous.context["page"].object_list] == seen[50:100]


def test_mangled_cursor_is_the_first_page(world: World, client_for) -> None:
    response = client_for(world.admin).get(LIST, {"after": "!!not-a-cursor"})
    assert response.status_code == 200


def list_queries(client) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST, {"q": "企业"})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_registry_list_query_count_is_constant(world: World, client_for) -> None:
    """The same number of queries at 10 and at 5,000 enterprises."""
    client = client_for(world.admin)
    bulk_enterprises(10, world.guangdong)
    list_queries(client)  # warm what every page caches (navigation, the campaign's notice)
    small = list_queries(client)
    bulk_enterprises(4990, world.guangdong, prefix="93")
    assert Enterprise.objects.count() >= 5000
    large = list_queries(client)
    assert small == large, (small, large)


def test_member_edits_contact_fields_only(world: World, client_for) -> None:
    url = reverse("registry:enterprise_contact_edit", args=[world.central.credit_code])
    client = client_for(world.editor)
    response = client.post(
        url,
        {
            "contact_name": "王经理",
            "contact_phone": "010-12345678",
            "contact_email": "office@example.cn",
            "address": "北京市西城区",
            "name_zh": "改名企业",  # not a contact field: ignored
            "authority": world.beijing.pk,
        },
    )
    assert response.status_code == 302
    world.central.refresh_from_db()
    assert world.central.contact_name == "王经理"
    assert world.central.name_zh == "中国测试能源集团有限公司"
    assert world.central.authority == world.sasac
    event = AuditEvent.objects.for_target(world.central).get(action="enterprise.contact_update")
    assert event.data["changes"]["contact_name"]["after"] == "王经理"
    assert event.actor == world.editor


def test_bad_contact_email_is_refused_and_changes_nothing(world: World, client_for) -> None:
    url = reverse("registry:enterprise_contact_edit", args=[world.central.credit_code])
    response = client_for(world.editor).post(url, {"contact_email": "not-an-email"})
    assert response.status_code == 200
    assert "contact_email" in response.context["form"].errors
    assert "invalid-feedback" in response.content.decode()
    world.central.refresh_from_db()
    assert world.central.contact_email == ""


def test_contact_edit_outsiders_get_404(world: World, client_for) -> None:
    url = reverse("registry:enterprise_contact_edit", args=[world.central.credit_code])
    assert client_for(world.other_lead).get(url).status_code == 404
    assert client_for(world.bj_reviewer).get(url).status_code == 404
    # a reviewer of the right authority may read the profile but not edit it
    assert client_for(world.sasac_reviewer).get(url).status_code == 404


def test_group_rules(world: World) -> None:
    sub = EnterpriseFactory(authority=world.sasac, parent=world.central)
    # a subsidiary under another authority than its group
    sub.authority = world.beijing
    with pytest.raises(ValidationError) as exc:
        sub.full_clean()
    assert "parent" in exc.value.message_dict
    # a cycle: the group becomes a subsidiary of its own subsidiary
    world.central.parent = sub
    sub.authority = world.sasac
    sub.save()
    with pytest.raises(ValidationError) as exc:
        world.central.full_clean()
    assert "parent" in exc.value.message_dict
    # moving a group to another authority while its subsidiaries stay
    world.central.refresh_from_db()
    world.central.authority = world.beijing
    with pytest.raises(ValidationError) as exc:
        world.central.full_clean()
    assert "authority" in exc.value.message_dict
    assert world.central.files_for_group and not sub.files_for_group
