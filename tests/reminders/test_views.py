"""The preferences page (each user their own) and the campaign rules page (administrators)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.reminders.models import ReminderOptOut, ReminderRule, RuleKind
from apps.reminders.services import rules_install_defaults
from apps.timeline.models import Campaign
from tests.conftest import World, zh
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PREFS = reverse("reminders:preferences")


@pytest.fixture
def rules(campaign: Campaign) -> Campaign:
    rules_install_defaults(campaign=campaign)
    return campaign


def _switches(html: str) -> dict[str, str]:
    """Each kind's switch on the page: "locked" (on and disabled) or "on"."""
    found = {}
    for kind in RuleKind.values:
        start = f'name="{kind}" id="id_{kind}" aria-describedby="id_{kind}_help" checked'
        if start + " disabled" in html:
            found[kind] = "locked"
        elif start + ">" in html:
            found[kind] = "on"
    return found


def test_preferences_show_mandatory_kinds_locked(world: World, rules: Campaign, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(world.editor).get(PREFS)
    assert response.status_code == 200
    # on_due and overdue_repeat are mandatory by default: shown on and disabled. The
    # reviewers' kinds are not offered to an enterprise's editor.
    assert _switches(response.content.decode()) == {
        "before_due": "on",
        "on_due": "locked",
        "overdue_repeat": "locked",
    }


def test_reviewers_see_the_kinds_that_reach_them(world: World, rules: Campaign, client_for) -> None:  # type: ignore[no-untyped-def]
    lead_reviewer = client_for(world.sasac_lead_reviewer).get(PREFS).content.decode()
    assert _switches(lead_reviewer) == {"escalation": "locked", "review_waiting": "on"}
    reviewer = client_for(world.sasac_reviewer).get(PREFS).content.decode()
    assert _switches(reviewer) == {"review_waiting": "on"}
    nobody = client_for(UserFactory()).get(PREFS).content.decode()
    assert _switches(nobody) == {}
    assert 'data-testid="no-reminders"' in nobody


def test_a_new_campaign_gets_the_default_rules(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        campaign = Campaign.objects.create(code="NEW26", name_zh="新批次", name_en="New")
    kinds = set(ReminderRule.objects.filter(campaign=campaign).values_list("kind", "days"))
    assert ("on_due", 0) in kinds and ("before_due", 14) in kinds and len(kinds) == 8


def test_a_user_turns_an_optional_kind_off_but_not_a_mandatory_one(
    world: World, rules: Campaign, client_for
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.editor)
    # Only review_waiting stays on; the form tries to turn off on_due too (a forged POST:
    # the page does not even send disabled fields).
    response = client.post(PREFS, {"review_waiting": "on"})
    assert response.status_code == 302
    assert set(ReminderOptOut.objects.filter(user=world.editor).values_list("kind", flat=True)) == {
        RuleKind.BEFORE_DUE
    }
    html = client.get(PREFS).content.decode()
    assert 'name="before_due" id="id_before_due" aria-describedby="id_before_due_help">' in html
    assert AuditEvent.objects.filter(action="reminders.preferences_changed").count() == 1


def test_a_user_edits_only_their_own_preferences(world: World, rules: Campaign, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.editor)
    # There is no user in the URL; a posted "user" is ignored.
    client.post(PREFS, {"user": world.lead.pk, "review_waiting": "on"})
    assert not ReminderOptOut.objects.filter(user=world.lead).exists()
    assert ReminderOptOut.objects.filter(user=world.editor).exists()


def test_preferences_need_a_login(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(PREFS)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_preferences_page_runs_a_constant_number_of_queries(
    world: World, rules: Campaign, client_for
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.editor)
    client.get(PREFS)
    with CaptureQueriesContext(connection) as small:
        client.get(PREFS)
    for i in range(30):  # many more campaigns with rules, many more opt-outs by others
        other = Campaign.objects.create(code=f"X{i}", name_zh="批次", name_en="c", notice="n")
        rules_install_defaults(campaign=other)
        ReminderOptOut.objects.create(user=UserFactory(), kind=RuleKind.BEFORE_DUE)
    with CaptureQueriesContext(connection) as large:
        client.get(PREFS)
    assert len(small) == len(large)


# --- rules page -------------------------------------------------------------------------


def rules_url(campaign: Campaign) -> str:
    return reverse("reminders:campaign_rules", kwargs={"pk": campaign.pk})


@pytest.mark.parametrize(
    "who", ["lead", "editor", "sasac_reviewer", "sasac_lead_reviewer", "bj_reviewer"]
)
def test_only_administrators_reach_the_rules(
    world: World, rules: Campaign, client_for, who: str
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(getattr(world, who))
    assert client.get(rules_url(rules)).status_code == 404
    assert client.post(rules_url(rules), {"install_defaults": "1"}).status_code == 404


def _formset_data(campaign: Campaign, **changes: dict[str, object]) -> dict[str, object]:
    rules = list(ReminderRule.objects.filter(campaign=campaign).order_by("kind", "-days", "id"))
    data: dict[str, object] = {
        "rules-TOTAL_FORMS": len(rules) + 1,
        "rules-INITIAL_FORMS": len(rules),
        "rules-MIN_NUM_FORMS": 0,
        "rules-MAX_NUM_FORMS": 1000,
    }
    for i, rule in enumerate(rules):
        row = {
            "id": rule.pk,
            "kind": rule.kind,
            "days": rule.days,
            "every_days": rule.every_days or "",
        }
        if rule.mandatory:
            row["mandatory"] = "on"
        if rule.is_active:
            row["is_active"] = "on"
        row.update(changes.get(str(rule.pk), {}))
        for key, value in row.items():
            if value is not None:
                data[f"rules-{i}-{key}"] = value
    extra = changes.get("new", {})
    for key, value in extra.items():
        data[f"rules-{len(rules)}-{key}"] = value
    data[f"rules-{len(rules)}-days"] = extra.get("days", 0)
    return data


def test_an_administrator_edits_and_adds_rules(world: World, rules: Campaign, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.admin)
    assert client.get(rules_url(rules)).status_code == 200
    fourteen = ReminderRule.objects.get(campaign=rules, kind="before_due", days=14)
    data = _formset_data(
        rules,
        **{
            str(fourteen.pk): {"days": 10, "mandatory": "on"},
            "new": {"kind": "before_due", "days": 5, "is_active": "on"},
        },
    )
    response = client.post(rules_url(rules), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    fourteen.refresh_from_db()
    assert (fourteen.days, fourteen.mandatory) == (10, True)
    assert ReminderRule.objects.filter(campaign=rules, kind="before_due", days=5).exists()
    assert AuditEvent.objects.filter(action="reminders.rule_changed").count() == 1
    assert AuditEvent.objects.filter(action="reminders.rule_created").count() == 1


def test_bad_rules_are_refused_and_nothing_changes(
    world: World, rules: Campaign, client_for
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.admin)
    seven = ReminderRule.objects.get(campaign=rules, kind="before_due", days=7)
    overdue = ReminderRule.objects.get(campaign=rules, kind="overdue_repeat")
    before = sorted(ReminderRule.objects.filter(campaign=rules).values_list("kind", "days"))
    # A duplicate (7 → 3 exists already) and a repeating rule without "every".
    data = _formset_data(rules, **{str(seven.pk): {"days": 3}, str(overdue.pk): {"every_days": ""}})
    response = client.post(rules_url(rules), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        zh("A repeating reminder needs “every” of at least 1 day.") in html
        or zh("Two rows describe the same reminder.") in html
    )
    assert sorted(ReminderRule.objects.filter(campaign=rules).values_list("kind", "days")) == before
    # The duplicate alone, caught by the formset.
    response = client.post(rules_url(rules), _formset_data(rules, **{str(seven.pk): {"days": 3}}))
    assert response.status_code == 200
    assert zh("Two rows describe the same reminder.") in response.content.decode()
    assert sorted(ReminderRule.objects.filter(campaign=rules).values_list("kind", "days")) == before


def test_rules_page_runs_a_constant_number_of_queries(
    world: World, rules: Campaign, client_for
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.admin)
    client.get(rules_url(rules))
    with CaptureQueriesContext(connection) as small:
        client.get(rules_url(rules))
    for days in range(20, 40):
        ReminderRule.objects.create(campaign=rules, kind="before_due", days=days)
    with CaptureQueriesContext(connection) as large:
        client.get(rules_url(rules))
    assert len(small) == len(large)
