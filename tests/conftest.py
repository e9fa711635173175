"""Role users, ready to use. Each test gets fresh objects in a rolled-back transaction."""

from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import User
from apps.enterprises.models import Authority, Enterprise, Role
from apps.enterprises.scopes import forget_scope
from apps.enterprises.services import membership_grant
from apps.people.mfa import TOTP_DEVICE_NAME, mfa_required
from tests.factories import EnterpriseFactory, UserFactory, authority


def zh(msgid: str, **params: object) -> str:
    """A message as a Chinese user reads it (the interface's default language), HTML-escaped
    as a template prints it: what a page's assertion should look for."""
    with translation.override("zh-hans"):
        text = translation.gettext(msgid)
    return escape(text % params if params else text)


class _VisibleText(HTMLParser):
    """The text a person sees: element text outside scripts, styles and templates (attribute
    values, such as an option's value or an id, are not read)."""

    HIDDEN = ("script", "style", "template")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in self.HIDDEN:
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """A page's visible text, for assertions on what a person reads (not on markup)."""
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


# The campaign fixtures (campaign, plan, h2) are shared by the timeline and filings tests.
pytest_plugins = ["tests.timeline.fixtures"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL")
    skip_broker = pytest.mark.skip(reason="needs Redis: set CELERY_BROKER_URL")
    for item in items:
        if "postgres" in item.keywords and not settings.DB_IS_POSTGRES:
            item.add_marker(skip_pg)
        if "celery_worker" in item.keywords and not settings.REAL_BROKER_URL:
            item.add_marker(skip_broker)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Uploads and rendered packets go to a per-test folder, never to ./media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rendered frozen versions are cached; each test starts with an empty cache."""
    from django.core.cache import cache

    cache.clear()


@dataclass
class World:
    """Two enterprises under SASAC, one under Beijing, one under Guangdong, and a user in
    every role, so that every test has an insider and an outsider to hand."""

    sasac: Authority
    beijing: Authority
    guangdong: Authority
    central: Enterprise
    central_other: Enterprise
    bj_enterprise: Enterprise
    gd_enterprise: Enterprise
    lead: User
    editor: User
    other_lead: User
    bj_lead: User
    sasac_reviewer: User
    sasac_lead_reviewer: User
    bj_reviewer: User
    gd_reviewer: User
    admin: User


@pytest.fixture
def world(db: None) -> World:
    sasac, beijing, guangdong = authority("SASAC"), authority("11"), authority("44")
    central = EnterpriseFactory(authority=sasac, name_zh="中国测试能源集团有限公司")
    central_other = EnterpriseFactory(authority=sasac)
    bj_enterprise = EnterpriseFactory(authority=beijing, name_zh="北京测试集团有限公司")
    gd_enterprise = EnterpriseFactory(authority=guangdong, name_zh="广东测试集团有限公司")

    def user(email: str, **kw: object) -> User:
        return UserFactory(email=email, **kw)

    w = World(
        sasac=sasac,
        beijing=beijing,
        guangdong=guangdong,
        central=central,
        central_other=central_other,
        bj_enterprise=bj_enterprise,
        gd_enterprise=gd_enterprise,
        lead=user("lead@example.cn"),
        editor=user("editor@example.cn"),
        other_lead=user("other.lead@example.cn"),
        bj_lead=user("bj.ent.lead@example.cn"),
        sasac_reviewer=user("sasac.reviewer@example.cn"),
        sasac_lead_reviewer=user("sasac.lead@example.cn"),
        bj_reviewer=user("bj.reviewer@example.cn"),
        gd_reviewer=user("gd.reviewer@example.cn"),
        admin=user("admin@example.cn", is_staff=True),
    )
    membership_grant(user=w.lead, role=Role.LEAD, enterprise=central)
    membership_grant(user=w.editor, role=Role.EDITOR, enterprise=central)
    membership_grant(user=w.other_lead, role=Role.LEAD, enterprise=central_other)
    membership_grant(user=w.bj_lead, role=Role.LEAD, enterprise=bj_enterprise)
    membership_grant(user=w.sasac_reviewer, role=Role.REVIEWER, authority=sasac)
    membership_grant(user=w.sasac_lead_reviewer, role=Role.LEAD_REVIEWER, authority=sasac)
    membership_grant(user=w.bj_reviewer, role=Role.REVIEWER, authority=beijing)
    membership_grant(user=w.gd_reviewer, role=Role.REVIEWER, authority=guangdong)
    return w


# A fixed test key (20 bytes, hex) so that tests can compute valid codes.
TEST_TOTP_KEY = b"test-totp-key-20byte".hex()


def give_totp_device(user: User, key: str = TEST_TOTP_KEY) -> TOTPDevice:
    """A confirmed authenticator for ``user`` (the one they already have, if any)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=TOTP_DEVICE_NAME, key=key, confirmed=True
        )
    return device


def verify_session(client: Client, device: TOTPDevice) -> None:
    """What django_otp.login() does after a correct code: remember the device in the
    session."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def login_verified(client: Client, user: User) -> Client:
    """Log ``user`` in, past the MFA step when their role needs one or they enrolled."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    forget_scope(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None and mfa_required(user):
        device = give_totp_device(user)
    forget_scope(user)
    if device is not None:
        verify_session(client, device)
    return client


@pytest.fixture
def client_for(client: Client):  # type: ignore[no-untyped-def]
    """Log a user in without going through the login form (and its throttling); reviewers
    and administrators get a confirmed TOTP device and an MFA-verified session."""

    def login(user: User) -> Client:
        return login_verified(client, user)

    return login
