"""The audit trail page reads as words in the viewer's language: actions and detail keys by
their labels, values as people say them, times as local time with the zone named."""

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from apps.audit import labels
from apps.audit.models import AuditEvent
from apps.audit.services import audit_log
from apps.enterprises.models import Role
from apps.people import services
from apps.reviews.models import Outcome
from tests.conftest import World, visible_text, zh
from tests.people.helpers import english

pytestmark = pytest.mark.django_db

AUDIT = "/people/audit/"


def in_zh(lazy: object) -> str:
    with translation.override("zh-hans"):
        return str(lazy)


@pytest.fixture
def trail(world: World) -> None:
    """A deactivation and a decision, as their services write them, and a few details of
    each kind of value: a choice, a boolean, a list."""
    services.user_deactivate(actor=world.admin, user=world.gd_reviewer)
    audit_log(
        actor=world.sasac_lead_reviewer,
        action="review.decide",
        target=world.central,
        data={
            "filing": 7,
            "outcome": "approve",
            "version": 2,
            "filing_number": "VC2023-SASAC-0004",
        },
    )
    audit_log(
        actor=world.editor,
        action="invitation.accept",
        target=world.editor,
        data={"email": "new@example.cn", "role": "editor", "new_account": True},
    )
    audit_log(
        actor=world.lead,
        action="reminders.preferences_changed",
        target=world.lead,
        data={"off": ["before_due", "overdue_repeat"]},
    )


RAW = (
    "user.deactivate",
    "review.decide",
    "invitation.accept",
    "reminders.preferences_changed",
    "filing_number",
    "new_account",
    "before_due",
    "filing_number=",
)


def test_the_trail_reads_in_chinese(world: World, client_for, trail: None) -> None:
    assert world.admin.preferred_language == "zh-hans"
    html = client_for(world.admin).get(AUDIT).content.decode()
    text = visible_text(html)
    for label in (
        "Deactivated a user",
        "Recorded a decision",
        "Accepted an invitation",
        "Changed their reminder settings",
    ):
        assert zh(label) in html
    assert zh("%(label)s: %(value)s", label="备案编号", value="VC2023-SASAC-0004") in html
    assert zh("%(label)s: %(value)s", label=zh("Outcome"), value=in_zh(Outcome.APPROVE.label)) in (
        html
    )
    assert zh("%(label)s: %(value)s", label=zh("New account"), value="是") in html
    assert zh("%(label)s: %(value)s", label=zh("Role"), value=in_zh(Role.EDITOR.label)) in html
    assert (
        zh("%(label)s: %(value)s", label=zh("Reminders turned off"), value="截止日期前, 逾期期间")
        in html
    )
    for raw in RAW:
        assert raw not in text, raw


def test_the_trail_reads_in_english(world: World, client_for, trail: None) -> None:
    html = client_for(english(world.admin)).get(AUDIT).content.decode()
    text = visible_text(html)
    assert '<td data-action="user.deactivate">Deactivated a user</td>' in html
    assert '<td data-action="review.decide">Recorded a decision</td>' in html
    assert "<div>Filing number: VC2023-SASAC-0004</div>" in html
    assert "<div>Outcome: File</div>" in html
    assert "<div>Version: 2</div>" in html
    assert "<div>New account: yes</div>" in html
    assert "<div>Role: Enterprise editor</div>" in html
    assert "<div>Reminders turned off: Before the due date, While overdue</div>" in html
    for raw in RAW:
        assert raw not in text, raw
    # the action filter offers the labels, and filters by the code
    assert '<option value="user.deactivate">Deactivated a user</option>' in html
    assert '<option value="review.decide">Recorded a decision</option>' in html
    only = client_for(world.admin).get(AUDIT, {"action": "review.decide"}).content.decode()
    assert 'data-action="review.decide"' in only
    assert 'data-action="user.deactivate"' not in only


def test_unknown_actions_and_keys_read_as_phrases(world: World, client_for) -> None:
    audit_log(
        actor=world.admin,
        action="archive.seal_box",
        target=world.central,
        data={"box_count": 3, "sealed_by_hand": False, "shelves": ["A", "B"]},
    )
    html = client_for(english(world.admin)).get(AUDIT).content.decode()
    assert '<td data-action="archive.seal_box">Archive: seal box</td>' in html
    assert "<div>Box count: 3</div>" in html
    assert "<div>Sealed by hand: no</div>" in html
    assert "<div>Shelves: A, B</div>" in html
    text = visible_text(html)
    assert "box_count" not in text and "seal_box" not in text


def test_changes_read_as_before_and_after(world: World, client_for) -> None:
    audit_log(
        actor=world.lead,
        action="enterprise.contact_update",
        target=world.central,
        data={"changes": {"contact_phone": {"before": "010-1", "after": "010-2"}}},
    )
    audit_log(
        actor=world.sasac_lead_reviewer,
        action="review.settings",
        target=world.sasac,
        data={"reviewers_may_self_assign": [False, True]},
    )
    html = client_for(english(world.admin)).get(AUDIT).content.decode()
    assert "<div>Changes: Contact phone: 010-1 → 010-2</div>" in html
    assert "<div>Reviewers may assign themselves: no → yes</div>" in html


def test_times_are_local_with_the_zone_named(world: World, client_for) -> None:
    assert settings.TIME_ZONE == "Asia/Shanghai"
    event = audit_log(actor=world.admin, action="user.reactivate", target=world.editor)
    AuditEvent.objects.filter(pk=event.pk).update(
        created_at=dt.datetime(2026, 3, 31, 2, 5, 9, tzinfo=dt.UTC)
    )
    html = client_for(english(world.admin)).get(AUDIT).content.decode()
    assert '<th scope="col">Time (UTC+08:00)</th>' in html
    assert ">2026-03-31 10:05:09</time>" in html
    assert 'datetime="2026-03-31T10:05:09+08:00"' in html


@pytest.mark.parametrize("who", ["lead", "editor", "sasac_lead_reviewer", "bj_reviewer"])
def test_outsiders_get_404(world: World, client_for, trail: None, who: str) -> None:
    response = client_for(getattr(world, who)).get(AUDIT)
    assert response.status_code == 404
    assert "VC2023-SASAC-0004" not in response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    response = client.get(AUDIT)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- the registry covers what the services write --------------------------------------------


def _audited_actions() -> set[str]:
    """Every action an ``audit_log(action=...)`` call in apps/ can write: string literals,
    both sides of ``"a" if x else "b"``, and the review services' ``_record(action="x")``,
    written as ``review.x``."""
    found: set[str] = set()
    for path in Path(settings.BASE_DIR, "apps").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            prefix = {"audit_log": "", "_record": "review."}.get(name)
            if prefix is None or (name == "_record" and "reviews" not in path.parts):
                continue
            for keyword in node.keywords:
                if keyword.arg != "action":
                    continue
                values = (
                    [keyword.value.body, keyword.value.orelse]
                    if isinstance(keyword.value, ast.IfExp)
                    else [keyword.value]
                )
                for value in values:
                    if isinstance(value, ast.Constant) and isinstance(value.value, str):
                        found.add(prefix + value.value)
    return found


def test_every_audited_action_has_a_label() -> None:
    actions = _audited_actions()
    # the scan sees the services (a sample of them), so an empty result cannot pass
    assert {"user.deactivate", "review.decide", "review.assign", "campaign.update"} <= actions
    assert sorted(actions - set(labels.ACTIONS)) == []


def test_action_labels_are_distinct() -> None:
    with translation.override("en"):
        english_labels = {code: str(label) for code, label in labels.ACTIONS.items()}
    assert english_labels["user.deactivate"] == "Deactivated a user"
    assert english_labels["review.decide"] == "Recorded a decision"
    assert len(set(english_labels.values())) == len(english_labels)  # no two alike


def test_the_choices_named_by_path_exist() -> None:
    for path in [*labels.CHOICES.values(), *labels.KEY_CHOICES.values()]:
        assert labels._choices(path), path


def test_the_django_admin_lists_labels_beside_codes(world: World, client_for, trail: None) -> None:
    from tests.factories import UserFactory

    root = english(UserFactory(email="root@example.cn", is_staff=True, is_superuser=True))
    html = client_for(root).get("/admin/audit/auditevent/").content.decode()
    assert "Recorded a decision (review.decide)" in html
