"""Outsiders get 404; each membership grants rights only inside its own scope."""

import pytest
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from apps.enterprises.models import Enterprise, Membership, Role
from apps.enterprises.services import membership_grant
from tests.conftest import World

pytestmark = pytest.mark.django_db


def enterprise_url(enterprise: Enterprise) -> str:
    return reverse("enterprises:enterprise_detail", args=[enterprise.credit_code])


def authority_url(code: str) -> str:
    return reverse("enterprises:authority_detail", args=[code])


def test_enterprise_member_sees_own_enterprise(world: World, client_for) -> None:
    response = client_for(world.editor).get(enterprise_url(world.central))
    assert response.status_code == 200
    assert world.central.credit_code in response.content.decode()


def test_enterprise_user_gets_404_for_another_enterprise(world: World, client_for) -> None:
    client: Client = client_for(world.lead)
    for other in (world.central_other, world.bj_enterprise, world.gd_enterprise):
        assert client.get(enterprise_url(other)).status_code == 404


def test_enterprise_user_gets_404_for_authority_pages(world: World, client_for) -> None:
    assert client_for(world.lead).get(authority_url("SASAC")).status_code == 404


def test_reviewer_sees_enterprises_of_own_authority(world: World, client_for) -> None:
    client = client_for(world.bj_reviewer)
    assert client.get(enterprise_url(world.bj_enterprise)).status_code == 200
    response = client.get(authority_url("11"))
    assert response.status_code == 200
    body = response.content.decode()
    assert world.bj_enterprise.credit_code in body
    assert world.gd_enterprise.credit_code not in body


def test_reviewer_gets_404_for_another_authoritys_enterprise(world: World, client_for) -> None:
    client = client_for(world.bj_reviewer)
    assert client.get(enterprise_url(world.gd_enterprise)).status_code == 404
    assert client.get(enterprise_url(world.central)).status_code == 404
    assert client.get(authority_url("44")).status_code == 404
    assert client.get(authority_url("SASAC")).status_code == 404


def test_unknown_enterprise_and_authority_are_404(world: World, client_for) -> None:
    client = client_for(world.admin)
    assert client.get(enterprise_url(world.central)).status_code == 200
    assert client.get(reverse("enterprises:enterprise_detail", args=["X" * 18])).status_code == 404
    assert client.get(authority_url("99")).status_code == 404


def test_anonymous_is_sent_to_login(world: World, client: Client) -> None:
    response = client.get(enterprise_url(world.central))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_user_with_two_memberships_keeps_each_scope(world: World, client_for) -> None:
    """An editor of a central enterprise who also reviews for Beijing: may read Beijing's
    enterprises and their own, but nothing of Guangdong's or of another central enterprise,
    and is no reviewer of their own enterprise."""
    membership_grant(user=world.editor, role=Role.REVIEWER, authority=world.beijing)
    client = client_for(world.editor)
    assert client.get(enterprise_url(world.central)).status_code == 200
    assert client.get(enterprise_url(world.bj_enterprise)).status_code == 200
    assert client.get(enterprise_url(world.gd_enterprise)).status_code == 404
    assert client.get(enterprise_url(world.central_other)).status_code == 404
    user = world.editor
    assert user.has_perm("enterprises.view_authority", world.beijing)
    assert not user.has_perm("enterprises.view_authority", world.sasac)
    assert user.has_perm("enterprises.edit_enterprise_contact", world.central)
    assert not user.has_perm("enterprises.edit_enterprise_contact", world.bj_enterprise)
    # an editor is not a lead, and reviewing for Beijing does not make them one anywhere
    assert not user.has_perm("enterprises.view_enterprise_members", world.central)
    assert user.has_perm("enterprises.view_enterprise_members", world.bj_enterprise)


def test_for_user_querysets(world: World) -> None:
    assert set(Enterprise.objects.for_user(world.lead)) == {world.central}
    assert set(Enterprise.objects.for_user(world.sasac_reviewer)) == {
        world.central,
        world.central_other,
    }
    assert set(Enterprise.objects.for_user(world.gd_reviewer)) == {world.gd_enterprise}
    assert Enterprise.objects.for_user(world.admin).count() == Enterprise.objects.count()


def test_inactive_membership_grants_nothing(world: World, client_for) -> None:
    Membership.objects.filter(user=world.lead).update(is_active=False)
    assert client_for(world.lead).get(enterprise_url(world.central)).status_code == 404


def test_membership_scope_is_enforced_by_the_database(world: World) -> None:
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=world.lead, role=Role.REVIEWER, enterprise=world.central)


def test_membership_grant_is_audited(world: World) -> None:
    from apps.audit.models import AuditEvent

    membership = Membership.objects.get(user=world.lead, enterprise=world.central)
    event = AuditEvent.objects.for_target(membership).get()
    assert event.action == "membership.grant"
    assert event.data["role"] == "lead"


def test_members_list_shown_to_lead_not_editor(world: World, client_for) -> None:
    assert (
        "editor@example.cn"
        in client_for(world.lead).get(enterprise_url(world.central)).content.decode()
    )
    client_for(world.editor)
    body = client_for(world.editor).get(enterprise_url(world.central)).content.decode()
    assert "lead@example.cn" not in body


def test_authority_page_query_count_is_constant(world: World, client_for) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import EnterpriseFactory

    client = client_for(world.sasac_reviewer)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(authority_url("SASAC")).status_code == 200
        return len(ctx.captured_queries)

    count()  # warm the per-user caches (navigation)
    small = count()
    EnterpriseFactory.create_batch(120, authority=world.sasac)
    assert count() == small
