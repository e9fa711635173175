"""Invitations: sent in the invitation's language, one-time links, expiry, revocation."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.audit.models import AuditEvent
from apps.enterprises.models import Membership, Role
from apps.people import services
from apps.people.models import Invitation, hash_token
from apps.people.tasks import send_invitation_email
from tests.conftest import World
from tests.factories import PASSWORD
from tests.people.helpers import (
    NEW_PASSWORD,
    english,
    enterprise_people_url,
    last_invitation_link,
)

pytestmark = pytest.mark.django_db


def invite_editor(world: World, client_for, capture, **data: str):  # type: ignore[no-untyped-def]
    client = client_for(world.lead)
    payload = {"email": "new.editor@example.cn", "full_name": "New Editor", "role": "editor"}
    payload |= {"language": "en"} | data
    with capture(execute=True):
        response = client.post(enterprise_people_url(world.central), payload)
    return response


def test_happy_path_email_link_password_login_membership_audit(
    world: World, client_for, django_capture_on_commit_callbacks
) -> None:
    english(world.lead)
    response = invite_editor(world, client_for, django_capture_on_commit_callbacks)
    assert response.status_code == 302

    invitation = Invitation.objects.get()
    assert invitation.email == "new.editor@example.cn"
    assert invitation.role == Role.EDITOR
    assert invitation.enterprise == world.central
    assert invitation.invited_by == world.lead
    assert invitation.expires_at - invitation.created_at == timedelta(hours=72)
    assert AuditEvent.objects.filter(action="invitation.send", actor=world.lead).count() == 1

    # the email: in English (the invitation's language), plain text and HTML, with the link
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.editor@example.cn"]
    assert "Invitation to the Value Creation Filing System" in message.subject
    assert world.central.name_en in message.body
    assert world.central.name_zh not in message.body
    assert "Enterprise editor" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    link = last_invitation_link()
    assert link in html
    token = link.split("/")[-2]
    assert invitation.token_hash == hash_token(token)
    assert token not in invitation.token_hash  # only the hash is stored

    # the link: a fresh browser, in the invitation's language, asks for name and password
    fresh = Client()
    page = fresh.get(link)
    assert page.status_code == 200
    assert '<html lang="en">' in page.content.decode()
    assert 'data-testid="signup-form"' in page.content.decode()
    done = fresh.post(
        link, {"full_name": "New Editor", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("home")

    user = User.objects.get(email="new.editor@example.cn")
    assert user.check_password(NEW_PASSWORD)
    assert user.preferred_language == "en"
    assert Membership.objects.get(user=user).role == Role.EDITOR
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert invitation.accepted_user == user
    assert AuditEvent.objects.filter(action="invitation.accept", actor=user).exists()
    assert AuditEvent.objects.filter(action="membership.grant", actor=world.lead).exists()

    # logged in: the home page shows the enterprise
    home = fresh.get("/")
    assert home.status_code == 200
    assert world.central.name_en in home.content.decode()


def test_email_in_chinese_when_the_invitation_is_chinese(
    world: World, client_for, django_capture_on_commit_callbacks
) -> None:
    english(world.lead)  # the inviter's own language does not matter
    invite_editor(world, client_for, django_capture_on_commit_callbacks, language="zh-hans")
    body = mail.outbox[0].body
    assert world.central.name_zh in body
    assert "填报员" in body


def test_language_defaults_to_the_inviters(world: World, django_capture_on_commit_callbacks):
    english(world.lead)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            actor=world.lead,
            email="x@example.cn",
            role=Role.EDITOR,
            enterprise=world.central,
            base_url="http://testserver",
        )
    assert invitation.language == "en"
    assert world.central.name_en in mail.outbox[0].body


def test_email_is_sent_only_after_commit(world: World, client_for) -> None:
    client = client_for(world.lead)
    # without running the on-commit callbacks (the test transaction never commits)
    client.post(
        enterprise_people_url(world.central),
        {"email": "n@example.cn", "role": "editor", "language": "en"},
    )
    assert Invitation.objects.count() == 1
    assert mail.outbox == []


def test_task_routes_to_the_mail_queue() -> None:
    from config.celery_app import app

    assert send_invitation_email.name == "apps.people.tasks.send_invitation_email"
    route = app.amqp.router.route({}, send_invitation_email.name)
    assert route["queue"].name == "mail"


def test_expired_link_is_refused(
    world: World, client_for, django_capture_on_commit_callbacks
) -> None:
    invite_editor(world, client_for, django_capture_on_commit_callbacks)
    link = last_invitation_link()
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    fresh = Client()
    fresh.cookies["vc_language"] = "en"
    page = fresh.get(link)
    assert page.status_code == 410
    assert 'data-status="expired"' in page.content.decode()
    assert "expired" in page.content.decode()
    post = fresh.post(
        link, {"full_name": "X", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert post.status_code == 410
    assert not User.objects.filter(email="new.editor@example.cn").exists()


def test_link_works_once(world: World, client_for, django_capture_on_commit_callbacks) -> None:
    invite_editor(world, client_for, django_capture_on_commit_callbacks)
    link = last_invitation_link()
    data = {"full_name": "New Editor", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    assert Client().post(link, data).status_code == 302
    again = Client()
    page = again.get(link)
    assert page.status_code == 410
    assert 'data-status="accepted"' in page.content.decode()
    assert again.post(link, data).status_code == 410
    assert User.objects.filter(email="new.editor@example.cn").count() == 1
    assert Membership.objects.filter(user__email="new.editor@example.cn").count() == 1
    assert again.get("/").status_code == 302  # not logged in


def test_revoked_link_is_refused(
    world: World, client_for, django_capture_on_commit_callbacks
) -> None:
    invite_editor(world, client_for, django_capture_on_commit_callbacks)
    link = last_invitation_link()
    invitation = Invitation.objects.get()
    lead = client_for(world.lead)
    response = lead.post(reverse("people:invitation_revoke", args=[invitation.pk]))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="invitation.revoke").exists()
    page = Client().get(link)
    assert page.status_code == 410
    assert 'data-status="revoked"' in page.content.decode()


def test_unknown_link_is_404(db: None) -> None:
    page = Client().get(reverse("people:invitation_accept", args=["not-a-real-token"]))
    assert page.status_code == 404
    assert 'data-status="unknown"' in page.content.decode()


def test_resend_replaces_the_link(
    world: World, client_for, django_capture_on_commit_callbacks
) -> None:
    invite_editor(world, client_for, django_capture_on_commit_callbacks)
    old_link = last_invitation_link()
    invitation = Invitation.objects.get()
    Invitation.objects.update(expires_at=timezone.now() - timedelta(hours=1))
    lead = client_for(world.lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = lead.post(reverse("people:invitation_resend", args=[invitation.pk]))
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    new_link = last_invitation_link()
    assert new_link != old_link
    assert Client().get(old_link).status_code == 404
    assert Client().get(new_link).status_code == 200
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + timedelta(hours=71)
    assert AuditEvent.objects.filter(action="invitation.resend").exists()


def test_a_stale_task_does_not_send_a_replaced_link(world: World) -> None:
    invitation = services.invitation_create(
        actor=world.lead,
        email="x@example.cn",
        role=Role.EDITOR,
        enterprise=world.central,
        base_url="http://testserver",
    )
    assert (
        services.invitation_email_send(
            invitation_id=invitation.pk, token="an-old-token", base_url="http://testserver"
        )
        is False
    )
    assert mail.outbox == []


def test_password_rules_apply(world: World, client_for, django_capture_on_commit_callbacks):
    invite_editor(world, client_for, django_capture_on_commit_callbacks)
    link = last_invitation_link()
    fresh = Client()
    fresh.cookies["vc_language"] = "en"
    short = fresh.post(link, {"full_name": "N", "password1": "short", "password2": "short"})
    assert short.status_code == 200
    assert "too short" in short.content.decode()
    differ = fresh.post(
        link, {"full_name": "N", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"}
    )
    assert "differ" in differ.content.decode()
    assert not User.objects.filter(email="new.editor@example.cn").exists()


def test_existing_user_logs_in_then_accepts(
    world: World, client_for, django_capture_on_commit_callbacks
) -> None:
    """bj_lead already has an account: the link asks them to log in, then to accept."""
    invite_editor(
        world, client_for, django_capture_on_commit_callbacks, email="BJ.ent.lead@example.cn"
    )
    link = last_invitation_link()
    anonymous = Client()
    page = anonymous.get(link)
    assert page.status_code == 200
    assert f"/accounts/login/?next={link.replace('/', '%2F')}" in page.content.decode()
    assert not Membership.objects.filter(user=world.bj_lead, enterprise=world.central).exists()

    login = anonymous.post(
        f"/accounts/login/?next={link}",
        {"username": "bj.ent.lead@example.cn", "password": PASSWORD, "next": link},
    )
    assert login["Location"] == link
    confirm = anonymous.get(link)
    assert 'data-testid="accept-form"' in confirm.content.decode()
    accepted = anonymous.post(link)
    assert accepted.status_code == 302
    membership = Membership.objects.get(user=world.bj_lead, enterprise=world.central)
    assert membership.role == Role.EDITOR
    # the other membership is untouched
    assert Membership.objects.get(user=world.bj_lead, enterprise=world.bj_enterprise).is_active


def test_another_logged_in_user_cannot_accept(
    world: World, client_for, django_capture_on_commit_callbacks
) -> None:
    invite_editor(world, client_for, django_capture_on_commit_callbacks)
    link = last_invitation_link()
    other = client_for(english(world.other_lead))
    page = other.get(link)
    assert "but you are logged in as other.lead@example.cn" in page.content.decode()
    other.post(link, {"full_name": "X", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert not User.objects.filter(email="new.editor@example.cn").exists()
    assert Invitation.objects.get().accepted_at is None


def test_cannot_invite_a_current_member_or_twice(world: World) -> None:
    with pytest.raises(services.Refused):
        services.invitation_create(
            actor=world.lead,
            email="editor@example.cn",
            role=Role.EDITOR,
            enterprise=world.central,
            base_url="http://testserver",
        )
    services.invitation_create(
        actor=world.lead,
        email="someone@example.cn",
        role=Role.EDITOR,
        enterprise=world.central,
        base_url="http://testserver",
    )
    with pytest.raises(services.Refused):
        services.invitation_create(
            actor=world.lead,
            email="Someone@example.cn",
            role=Role.EDITOR,
            enterprise=world.central,
            base_url="http://testserver",
        )
    assert Invitation.objects.count() == 1


def test_accepting_an_old_invitation_never_demotes(world: World) -> None:
    """An admin invited someone as editor; meanwhile they were made lead. Accepting the old
    invitation keeps them lead."""
    invitation = services.invitation_create(
        actor=world.admin,
        email="later.lead@example.cn",
        role=Role.EDITOR,
        enterprise=world.central,
        base_url="http://testserver",
    )
    from tests.factories import UserFactory

    person = UserFactory(email="later.lead@example.cn")
    services.membership_grant_checked(
        actor=world.admin, user=person, role=Role.LEAD, enterprise=world.central
    )
    services.invitation_accept(invitation=invitation, user=person)
    assert Membership.objects.get(user=person, enterprise=world.central).role == Role.LEAD
