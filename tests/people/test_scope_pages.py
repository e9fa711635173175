"""The enterprise lead's and the lead reviewer's people pages: who may see them, who may be
invited, and that nothing is written when a request is refused."""

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.audit.models import AuditEvent
from apps.enterprises.models import Membership, Role
from apps.enterprises.services import membership_grant
from apps.people import services
from apps.people.models import Invitation
from tests.conftest import World
from tests.factories import UserFactory
from tests.people.helpers import authority_people_url, english, enterprise_people_url

pytestmark = pytest.mark.django_db

BASE = "http://testserver"


def counts() -> tuple[int, int, int]:
    return Invitation.objects.count(), Membership.objects.count(), User.objects.count()


@pytest.fixture
def bj_lead_reviewer(world: World) -> User:
    user = UserFactory(email="bj.lead.reviewer@example.cn")
    membership_grant(user=user, role=Role.LEAD_REVIEWER, authority=world.beijing)
    return user


def invite(email: str = "someone@example.cn", role: str = "editor") -> dict[str, str]:
    return {"email": email, "full_name": "Some One", "role": role, "language": "en"}


# --- Enterprise lead ----------------------------------------------------------------------


def test_lead_sees_members_and_form_offers_editor_only(world: World, client_for) -> None:
    response = client_for(english(world.lead)).get(enterprise_people_url(world.central))
    assert response.status_code == 200
    body = response.content.decode()
    assert "editor@example.cn" in body
    assert "lead@example.cn" in body
    assert '<option value="editor"' in body
    assert 'value="lead"' not in body
    assert 'value="reviewer"' not in body


def test_lead_invites_an_editor(world: World, client_for) -> None:
    response = client_for(world.lead).post(enterprise_people_url(world.central), invite())
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.enterprise) == (Role.EDITOR, world.central)


def test_lead_cannot_invite_into_another_enterprise(world: World, client_for) -> None:
    client = client_for(world.lead)
    before = counts()
    for other in (world.central_other, world.bj_enterprise, world.gd_enterprise):
        assert client.get(enterprise_people_url(other)).status_code == 404
        assert client.post(enterprise_people_url(other), invite()).status_code == 404
    assert counts() == before
    with pytest.raises(services.Refused):
        services.invitation_create(
            actor=world.lead,
            email="x@example.cn",
            role=Role.EDITOR,
            enterprise=world.central_other,
            base_url=BASE,
        )
    assert counts() == before


def test_lead_cannot_grant_lead_even_if_posted(world: World, client_for) -> None:
    client = client_for(english(world.lead))
    before = counts()
    response = client.post(enterprise_people_url(world.central), invite(role="lead"))
    assert response.status_code == 400
    assert "You may not invite people into this role here." in response.content.decode()
    assert counts() == before
    # the service refuses on its own, with the reason
    with pytest.raises(services.Refused) as refused:
        services.invitation_create(
            actor=world.lead,
            email="x@example.cn",
            role=Role.LEAD,
            enterprise=world.central,
            base_url=BASE,
        )
    assert "Only an administrator" in refused.value.message
    assert counts() == before
    assert not AuditEvent.objects.filter(action="invitation.send").exists()


def test_refusal_is_localised(world: World, client_for) -> None:
    response = client_for(world.lead).post(
        enterprise_people_url(world.central), invite(role="lead")
    )
    assert response.status_code == 400
    assert response["Content-Language"] == "zh-hans"


def test_editor_cannot_invite_at_all(world: World, client_for) -> None:
    client = client_for(world.editor)
    before = counts()
    assert client.get(enterprise_people_url(world.central)).status_code == 404
    assert client.post(enterprise_people_url(world.central), invite()).status_code == 404
    with pytest.raises(services.Refused):
        services.invitation_create(
            actor=world.editor,
            email="x@example.cn",
            role=Role.EDITOR,
            enterprise=world.central,
            base_url=BASE,
        )
    assert counts() == before


def test_reviewer_of_the_authority_does_not_manage_enterprise_people(
    world: World, client_for
) -> None:
    client = client_for(world.sasac_reviewer)
    assert client.get(enterprise_people_url(world.central)).status_code == 404


def test_lead_removes_an_editor_who_loses_access_at_once(world: World, client_for, client) -> None:
    from django.test import Client

    editor_client = Client()
    editor_client.force_login(world.editor, backend="django.contrib.auth.backends.ModelBackend")
    page = reverse("enterprises:enterprise_detail", args=[world.central.credit_code])
    assert editor_client.get(page).status_code == 200

    membership = Membership.objects.get(user=world.editor, enterprise=world.central)
    lead = client_for(world.lead)
    response = lead.post(reverse("people:membership_deactivate", args=[membership.pk]))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active
    assert AuditEvent.objects.filter(action="membership.deactivate", actor=world.lead).exists()
    # the editor's open session: the very next request no longer reaches the enterprise
    assert editor_client.get(page).status_code == 404

    lead.post(reverse("people:membership_reactivate", args=[membership.pk]))
    assert editor_client.get(page).status_code == 200
    assert AuditEvent.objects.filter(action="membership.reactivate").exists()


def test_lead_cannot_remove_a_lead_or_members_elsewhere(world: World, client_for) -> None:
    second_lead = UserFactory(email="second.lead@example.cn")
    membership_grant(user=second_lead, role=Role.LEAD, enterprise=world.central)
    client = client_for(world.lead)
    for membership in (
        Membership.objects.get(user=second_lead),
        Membership.objects.get(user=world.other_lead),
        Membership.objects.get(user=world.sasac_reviewer),
    ):
        url = reverse("people:membership_deactivate", args=[membership.pk])
        assert client.post(url).status_code == 404
        membership.refresh_from_db()
        assert membership.is_active


# --- Lead reviewer ------------------------------------------------------------------------


def test_lead_reviewer_lists_and_invites_reviewers(
    world: World, client_for, bj_lead_reviewer: User
) -> None:
    client = client_for(english(bj_lead_reviewer))
    response = client.get(authority_people_url(world.beijing))
    assert response.status_code == 200
    body = response.content.decode()
    assert "bj.reviewer@example.cn" in body
    assert "gd.reviewer@example.cn" not in body
    assert '<option value="reviewer"' in body
    assert 'value="lead_reviewer"' not in body
    response = client.post(authority_people_url(world.beijing), invite(role="reviewer"))
    assert response.status_code == 302
    assert Invitation.objects.get().authority == world.beijing


def test_beijing_lead_reviewer_gets_404_for_guangdong(
    world: World, client_for, bj_lead_reviewer: User
) -> None:
    client = client_for(bj_lead_reviewer)
    before = counts()
    assert client.get(authority_people_url(world.guangdong)).status_code == 404
    response = client.post(authority_people_url(world.guangdong), invite(role="reviewer"))
    assert response.status_code == 404
    with pytest.raises(services.Refused):
        services.invitation_create(
            actor=bj_lead_reviewer,
            email="x@example.cn",
            role=Role.REVIEWER,
            authority=world.guangdong,
            base_url=BASE,
        )
    gd_membership = Membership.objects.get(user=world.gd_reviewer)
    url = reverse("people:membership_deactivate", args=[gd_membership.pk])
    assert client.post(url).status_code == 404
    assert counts() == before
    gd_membership.refresh_from_db()
    assert gd_membership.is_active


def test_lead_reviewer_cannot_grant_lead_reviewer(
    world: World, client_for, bj_lead_reviewer: User
) -> None:
    client = client_for(bj_lead_reviewer)
    before = counts()
    response = client.post(authority_people_url(world.beijing), invite(role="lead_reviewer"))
    assert response.status_code == 400
    with pytest.raises(services.Refused):
        services.invitation_create(
            actor=bj_lead_reviewer,
            email="x@example.cn",
            role=Role.LEAD_REVIEWER,
            authority=world.beijing,
            base_url=BASE,
        )
    assert counts() == before


def test_reviewer_cannot_manage_reviewers(world: World, client_for) -> None:
    client = client_for(world.bj_reviewer)
    assert client.get(authority_people_url(world.beijing)).status_code == 404
    response = client.post(authority_people_url(world.beijing), invite("a@b.cn", "reviewer"))
    assert response.status_code == 404
    assert Invitation.objects.count() == 0


def test_lead_reviewer_removes_a_reviewer_who_loses_access_at_once(
    world: World, client_for, bj_lead_reviewer: User
) -> None:
    from django.test import Client

    from tests.conftest import login_verified

    reviewer_client = login_verified(Client(), world.bj_reviewer)
    page = reverse("enterprises:authority_detail", args=["11"])
    assert reviewer_client.get(page).status_code == 200
    membership = Membership.objects.get(user=world.bj_reviewer)
    response = client_for(bj_lead_reviewer).post(
        reverse("people:membership_deactivate", args=[membership.pk])
    )
    assert response.status_code == 302
    assert reviewer_client.get(page).status_code == 404
    assert AuditEvent.objects.filter(action="membership.deactivate").exists()


def test_enterprise_user_gets_404_for_authority_people(world: World, client_for) -> None:
    assert client_for(world.lead).get(authority_people_url(world.sasac)).status_code == 404


def test_admin_may_manage_any_scope_and_invite_leads(world: World, client_for) -> None:
    client = client_for(world.admin)
    assert client.get(enterprise_people_url(world.gd_enterprise)).status_code == 200
    response = client.post(enterprise_people_url(world.gd_enterprise), invite(role="lead"))
    assert response.status_code == 302
    assert Invitation.objects.get().role == Role.LEAD
