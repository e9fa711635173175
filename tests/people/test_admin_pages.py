"""The administrators' pages: people list, user detail, deactivation, grants, audit trail."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import User
from apps.audit.models import AuditEvent
from apps.enterprises.models import Membership, Role
from apps.enterprises.services import membership_grant
from apps.people import services
from tests.conftest import World, give_totp_device, login_verified
from tests.factories import EnterpriseFactory, UserFactory
from tests.people.helpers import english

pytestmark = pytest.mark.django_db

PEOPLE = "/people/"
AUDIT = "/people/audit/"


def detail_url(user: User, action: str = "") -> str:
    if action:
        return reverse(f"people:user_{action}", args=[user.pk])
    return reverse("people:user_detail", args=[user.pk])


def test_paths() -> None:
    assert reverse("people:user_list") == PEOPLE
    assert reverse("people:audit_list") == AUDIT


@pytest.mark.parametrize(
    "who", ["lead", "editor", "sasac_reviewer", "sasac_lead_reviewer", "bj_reviewer"]
)
def test_admin_pages_are_404_for_everyone_else(world: World, client_for, who: str) -> None:
    client = client_for(getattr(world, who))
    target = world.editor
    assert client.get(PEOPLE).status_code == 404
    assert client.get(AUDIT).status_code == 404
    assert client.get(reverse("people:invite")).status_code == 404
    assert client.get(detail_url(target)).status_code == 404
    assert client.post(detail_url(target, "deactivate")).status_code == 404
    assert client.post(detail_url(target, "mfa_reset")).status_code == 404
    assert (
        client.post(
            detail_url(target, "grant"),
            {"role": "lead", "enterprise_code": world.central.credit_code},
        ).status_code
        == 404
    )
    target.refresh_from_db()
    assert target.is_active


def test_people_list_search_and_filters(world: World, client_for) -> None:
    client = client_for(english(world.admin))
    body = client.get(PEOPLE).content.decode()
    for user in (world.lead, world.editor, world.gd_reviewer, world.admin):
        assert user.email in body
    body = client.get(PEOPLE, {"q": "gd.rev"}).content.decode()
    assert "gd.reviewer@example.cn" in body
    assert "bj.reviewer@example.cn" not in body
    body = client.get(PEOPLE, {"role": "reviewer"}).content.decode()
    assert "gd.reviewer@example.cn" in body
    assert "lead@example.cn" not in body
    body = client.get(PEOPLE, {"authority": world.beijing.pk}).content.decode()
    assert "bj.reviewer@example.cn" in body  # reviews for Beijing
    assert "bj.ent.lead@example.cn" in body  # leads an enterprise Beijing supervises
    assert "gd.reviewer@example.cn" not in body
    body = client.get(PEOPLE, {"role": "admin"}).content.decode()
    assert "admin@example.cn" in body
    assert "editor@example.cn" not in body
    User.objects.filter(pk=world.editor.pk).update(is_active=False)
    body = client.get(PEOPLE, {"active": "no"}).content.decode()
    assert "editor@example.cn" in body
    assert "gd.reviewer@example.cn" not in body


def _people(n: int, world: World) -> None:
    for i in range(n):
        user = UserFactory(email=f"bulk{i}@example.cn")
        if i % 3 == 0:
            membership_grant(user=user, role=Role.EDITOR, enterprise=EnterpriseFactory())
        elif i % 3 == 1:
            membership_grant(user=user, role=Role.REVIEWER, authority=world.guangdong)
            give_totp_device(user)


def test_people_list_query_count_is_constant(world: World, client_for) -> None:
    client = client_for(world.admin)
    client.get(PEOPLE)  # warm up: session and anything cached once per process

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(PEOPLE)
        assert response.status_code == 200
        return len(captured)

    _people(5, world)
    small = queries()
    _people(80, world)  # more than one page of 50
    large = queries()
    assert small == large, (small, large)
    assert small <= 15


def test_deactivated_users_open_session_is_refused_on_its_next_request(
    world: World, client_for
) -> None:
    victim = login_verified(Client(), world.sasac_reviewer)
    page = reverse("enterprises:authority_detail", args=["SASAC"])
    assert victim.get(page).status_code == 200
    session_key = victim.session.session_key

    admin = client_for(world.admin)
    response = admin.post(detail_url(world.sasac_reviewer, "deactivate"))
    assert response.status_code == 302
    world.sasac_reviewer.refresh_from_db()
    assert not world.sasac_reviewer.is_active
    assert AuditEvent.objects.filter(action="user.deactivate", actor=world.admin).exists()

    refused = victim.get(page)
    assert refused.status_code == 302
    assert refused["Location"].startswith("/accounts/login/")
    # the old session was flushed, and stays dead even once the account is reactivated
    admin.post(detail_url(world.sasac_reviewer, "reactivate"))
    world.sasac_reviewer.refresh_from_db()
    assert world.sasac_reviewer.is_active
    assert victim.get(page).status_code == 302
    assert victim.session.session_key != session_key
    assert AuditEvent.objects.filter(action="user.reactivate").exists()


def test_admin_cannot_deactivate_themselves(world: World, client_for) -> None:
    client_for(world.admin).post(detail_url(world.admin, "deactivate"))
    world.admin.refresh_from_db()
    assert world.admin.is_active


def test_admin_grants_and_revokes_any_role(world: World, client_for) -> None:
    client = client_for(english(world.admin))
    person = UserFactory(email="person@example.cn")
    response = client.post(
        detail_url(person, "grant"),
        {"role": "lead", "enterprise_code": world.gd_enterprise.credit_code},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=person)
    assert (membership.role, membership.enterprise) == (Role.LEAD, world.gd_enterprise)

    response = client.post(
        detail_url(person, "grant"), {"role": "lead_reviewer", "authority": world.beijing.pk}
    )
    assert response.status_code == 302
    assert Membership.objects.get(user=person, authority=world.beijing).role == Role.LEAD_REVIEWER

    bad = client.post(detail_url(person, "grant"), {"role": "reviewer"})
    assert bad.status_code == 400
    assert "A reviewer role needs an authority." in bad.content.decode()

    revoke = client.post(reverse("people:membership_deactivate", args=[membership.pk]))
    assert revoke.status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active

    detail = client.get(detail_url(person)).content.decode()
    assert world.gd_enterprise.name in detail
    assert "Revoked" in detail
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"membership.grant", "membership.deactivate"} <= actions


def test_admin_resets_mfa_and_the_user_enrols_again(world: World, client_for) -> None:
    reviewer = login_verified(Client(), world.gd_reviewer)
    assert TOTPDevice.objects.filter(user=world.gd_reviewer).exists()
    response = client_for(world.admin).post(detail_url(world.gd_reviewer, "mfa_reset"))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.gd_reviewer).exists()
    assert not StaticDevice.objects.filter(user=world.gd_reviewer).exists()
    event = AuditEvent.objects.get(action="mfa.reset")
    assert event.actor == world.admin
    assert event.target_id == str(world.gd_reviewer.pk)
    # their session ended; at the next login they must enrol again
    assert reviewer.get("/")["Location"].startswith("/accounts/login/")
    world.gd_reviewer.refresh_from_db()
    reviewer.force_login(world.gd_reviewer, backend="django.contrib.auth.backends.ModelBackend")
    assert reviewer.get("/")["Location"].startswith(reverse("people:mfa_enrol"))


def test_admin_invites_anyone_into_any_role(world: World, client_for) -> None:
    client = client_for(world.admin)
    response = client.post(
        reverse("people:invite"),
        {
            "email": "new.lead.reviewer@example.cn",
            "role": "lead_reviewer",
            "authority": world.guangdong.pk,
            "language": "zh-hans",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("people:invite")).content.decode()
    assert "new.lead.reviewer@example.cn" in page


def test_audit_page_lists_membership_changes_with_filters(world: World, client_for) -> None:
    membership = Membership.objects.get(user=world.editor)
    services.membership_deactivate(actor=world.lead, membership=membership)
    services.membership_reactivate(actor=world.lead, membership=membership)
    client = client_for(english(world.admin))
    body = client.get(AUDIT).content.decode()
    # each row says what was done, in words; its code stays in an attribute
    assert '<td data-action="membership.deactivate">Revoked a role</td>' in body
    assert '<td data-action="membership.reactivate">Restored a role</td>' in body
    assert '<td data-action="membership.grant">Granted a role</td>' in body

    body = client.get(AUDIT, {"action": "membership.deactivate"}).content.decode()
    assert 'data-action="membership.deactivate"' in body
    assert 'data-action="membership.grant"' not in body

    body = client.get(AUDIT, {"actor": "lead@example"}).content.decode()
    assert 'data-action="membership.deactivate"' in body
    assert 'data-action="membership.grant"' not in body  # granted by nobody

    body = client.get(AUDIT, {"target": "gd.reviewer"}).content.decode()
    assert "gd.reviewer@example.cn" in body
    assert "editor@example.cn ·" not in body


def test_audit_page_paginates(world: World, client_for) -> None:
    for _ in range(60):
        AuditEvent.objects.create(action="test.event", target_type="x", target_id="1")
    client = client_for(english(world.admin))
    first = client.get(AUDIT, {"action": "test.event"}).content.decode()
    assert first.count('<td data-action="test.event">') == 50
    assert "page=2" in first
    assert "action=test.event" in first  # the filter survives paging
    second = client.get(AUDIT, {"action": "test.event", "page": 2}).content.decode()
    assert second.count('<td data-action="test.event">') == 10
