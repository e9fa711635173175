"""How the audit trail reads to people, in the viewer's language.

The rows keep their codes (``action`` is what the filter and the tests match, ``data`` what
the service wrote); only the page words them: a label for each action (``ACTIONS``), a label
for each key of the details (``KEYS``), and readable values: a choice's label instead of its
code, yes or no, lists joined, a change as "before → after". A key without a label reads as
a plain phrase made from its name, never as ``snake_case=value``.

Every app writes here, so this app sits below them all: it names their choices by dotted
path (``CHOICES``), resolved when a page is rendered, rather than importing them.

Adding an audited action: give it a label in ``ACTIONS`` (tests/people/test_audit_labels.py
fails for an ``audit_log(action=...)`` without one) and its new detail keys a label in
``KEYS``.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django_stubs_ext import StrOrPromise

from apps.core.i18n import in_language

# action → what someone did, as a short sentence without its subject.
ACTIONS: dict[str, StrOrPromise] = {
    # people and access
    "user.deactivate": gettext_lazy("Deactivated a user"),
    "user.reactivate": gettext_lazy("Reactivated a user"),
    "membership.grant": gettext_lazy("Granted a role"),
    "membership.deactivate": gettext_lazy("Revoked a role"),
    "membership.reactivate": gettext_lazy("Restored a role"),
    "invitation.send": gettext_lazy("Sent an invitation"),
    "invitation.resend": gettext_lazy("Sent an invitation again"),
    "invitation.revoke": gettext_lazy("Revoked an invitation"),
    "invitation.accept": gettext_lazy("Accepted an invitation"),
    "mfa.enrol": gettext_lazy("Set up two-factor authentication"),
    "mfa.recovery_codes_regenerate": gettext_lazy("Made new recovery codes"),
    "mfa.recovery_code_used": gettext_lazy("Signed in with a recovery code"),
    "mfa.remove": gettext_lazy("Turned two-factor authentication off"),
    "mfa.reset": gettext_lazy("Reset a user's two-factor authentication"),
    # enterprises
    "enterprise.create": gettext_lazy("Created an enterprise"),
    "enterprise.contact_update": gettext_lazy("Changed an enterprise's contact details"),
    "enterprise.import": gettext_lazy("Imported enterprises"),
    # campaigns and deadlines
    "campaign.create": gettext_lazy("Created a campaign"),
    "campaign.update": gettext_lazy("Changed a campaign"),
    "deliverable.create": gettext_lazy("Created a deliverable"),
    "deliverable.update": gettext_lazy("Changed a deliverable"),
    "deliverable.delete": gettext_lazy("Deleted a deliverable"),
    "deadline.set": gettext_lazy("Set an authority's own deadline"),
    "deadline.clear": gettext_lazy("Removed an authority's own deadline"),
    "extension.grant": gettext_lazy("Granted an extension"),
    "extension.revoke": gettext_lazy("Withdrew an extension"),
    # reviews
    "review.settings": gettext_lazy("Changed the review settings"),
    "review.assign": gettext_lazy("Assigned a reviewer"),
    "review.unassign": gettext_lazy("Removed a reviewer"),
    "review.comment": gettext_lazy("Commented on a filing"),
    "review.recommend": gettext_lazy("Recommended a decision"),
    "review.decide": gettext_lazy("Recorded a decision"),
    # stage summaries and assessment
    "stages.open_amendment": gettext_lazy("Opened an amendment of a plan"),
    "stages.score": gettext_lazy("Scored an assessment report"),
    "stages.designate": gettext_lazy("Named a model enterprise or benchmarking project"),
    "stages.revoke": gettext_lazy("Withdrew a designation"),
    # model enterprise and benchmarking project nominations
    "nominations.nominate": gettext_lazy("Nominated a model enterprise or benchmarking project"),
    "nominations.apply": gettext_lazy("Applied to be a model enterprise or benchmarking project"),
    "nominations.score": gettext_lazy("Scored a nomination"),
    "nominations.propose": gettext_lazy("Proposed a nomination for a public notice"),
    "nominations.reject": gettext_lazy("Decided not to propose a nomination"),
    "nominations.in_notice": gettext_lazy("Listed a proposal in a public notice"),
    "nominations.objection": gettext_lazy("Recorded an objection"),
    "nominations.objection_upheld": gettext_lazy("Upheld an objection"),
    "nominations.objection_dismissed": gettext_lazy("Dismissed an objection"),
    "nominations.designate": gettext_lazy("Designated after the public notice"),
    "notice.publish": gettext_lazy("Published a public notice"),
    # authorities (the commissions' register)
    "authority.create": gettext_lazy("Registered a supervising authority"),
    "authority.update": gettext_lazy("Changed a supervising authority"),
    # groups
    "groups.policy_set": gettext_lazy("Set which subsidiaries file to the group"),
    # packets
    "packet.retry": gettext_lazy("Retried a filing packet"),
    "packet.verify": gettext_lazy("Verified a packet's fingerprint"),
    "packet_bundle.request": gettext_lazy("Requested a ZIP of final packets"),
    "packet_bundle.expire": gettext_lazy("Deleted an expired ZIP of packets"),
    # reminders
    "reminders.rules_defaults": gettext_lazy("Installed the default reminder rules"),
    "reminders.rule_created": gettext_lazy("Created a reminder rule"),
    "reminders.rule_changed": gettext_lazy("Changed a reminder rule"),
    "reminders.preferences_changed": gettext_lazy("Changed their reminder settings"),
}

# key of the details → its label. Nested keys (a campaign's fields, an import's changes) too.
KEYS: dict[str, StrOrPromise] = {
    "active": gettext_lazy("Active"),
    "added": gettext_lazy("Added"),
    "address": gettext_lazy("Address"),
    "after": gettext_lazy("After"),
    "anchor": gettext_lazy("Section"),
    "areas": gettext_lazy("Action areas"),
    "authority": gettext_lazy("Authority"),
    "before": gettext_lazy("Before"),
    "campaign": gettext_lazy("Campaign"),
    "case_id": gettext_lazy("Case"),
    "changes": gettext_lazy("Changes"),
    # "Code" alone is the sign-in code of two-factor authentication.
    "code": pgettext_lazy("audit detail", "Code"),
    "codes_left": gettext_lazy("Recovery codes left"),
    "comment": gettext_lazy("Comment"),
    "contact_email": gettext_lazy("Contact email"),
    "contact_name": gettext_lazy("Contact person"),
    "contact_phone": gettext_lazy("Contact phone"),
    "created": gettext_lazy("Created"),
    "created_codes": gettext_lazy("Credit codes created"),
    "credit_code": gettext_lazy("Unified social credit code"),
    "days": gettext_lazy("Days"),
    "deliverable": gettext_lazy("Deliverable"),
    "due_on": gettext_lazy("Due date"),
    "email": gettext_lazy("Email"),
    "ends_on": gettext_lazy("Ends on"),
    "error": gettext_lazy("Error"),
    "every_days": gettext_lazy("Repeat every (days)"),
    "fields": gettext_lazy("Values"),
    "file": gettext_lazy("File name"),
    "filing": gettext_lazy("Filing"),
    "filing_number": gettext_lazy("Filing number"),
    "in_force": gettext_lazy("Version in force"),
    "in_force_number": gettext_lazy("Filing number in force"),
    "is_active": gettext_lazy("Active"),
    "kind": gettext_lazy("Kind"),
    "language": gettext_lazy("Language"),
    "later": gettext_lazy("Later version"),
    "mandatory": gettext_lazy("Mandatory"),
    "matches": gettext_lazy("Matches"),
    "method": gettext_lazy("Checked by"),
    "name_en": gettext_lazy("English name"),
    "name_zh": gettext_lazy("Chinese name"),
    "new_account": gettext_lazy("New account"),
    "note": gettext_lazy("Note"),
    "notice": gettext_lazy("Notice"),
    "off": gettext_lazy("Reminders turned off"),
    "outcome": gettext_lazy("Outcome"),
    "overall": gettext_lazy("Overall rating"),
    "plan_filing": gettext_lazy("Plan filing"),
    "previous_state": gettext_lazy("Previous state"),
    "reason": gettext_lazy("Reason"),
    "recommendation": gettext_lazy("Recommendation"),
    "reviewer": gettext_lazy("Reviewer"),
    "reviewer_name": gettext_lazy("Reviewer"),
    "reviewers_may_self_assign": gettext_lazy("Reviewers may assign themselves"),
    "role": gettext_lazy("Role"),
    "self": gettext_lazy("Assigned themselves"),
    "sha256": gettext_lazy("SHA-256 fingerprint"),
    "stage": gettext_lazy("Stage"),
    "stages": gettext_lazy("Stages"),
    "standings": gettext_lazy("What was shown"),
    "starts_on": gettext_lazy("Starts on"),
    "status": gettext_lazy("Status"),
    "title": gettext_lazy("Title"),
    "title_en": gettext_lazy("English title"),
    "title_zh": gettext_lazy("Chinese title"),
    "unchanged": gettext_lazy("Unchanged"),
    "updated": gettext_lazy("Updated"),
    "user": gettext_lazy("User"),
    "version": gettext_lazy("Version"),
    # nominations
    "designation": gettext_lazy("Designation"),
    "field": gettext_lazy("Action area"),
    "industry": gettext_lazy("Industry section"),
    "mean": gettext_lazy("Mean score"),
    "nomination": gettext_lazy("Nomination"),
    "nominations": gettext_lazy("Nominations"),
    "objection": gettext_lazy("Objection"),
    "publish_summary": gettext_lazy("Summary published"),
    "received_on": gettext_lazy("Received on"),
    "score": gettext_lazy("Score"),
    "scores": gettext_lazy("Number of scores"),
    "text": gettext_lazy("Text"),
}

# A key shown only when the other is missing: an id beside the name it stands for.
SHOWN_UNLESS = {"reviewer": "reviewer_name"}

# key → the choices its values come from, by dotted path; (action prefix, key) first.
CHOICES: dict[str | tuple[str, str], str] = {
    ("reminders.", "kind"): "apps.reminders.models.RuleKind",
    ("stages.", "kind"): "apps.stages.constants.DesignationKind",
    ("nominations.", "kind"): "apps.stages.constants.DesignationKind",
    ("nominations.", "field"): "apps.plans.constants.ActionArea",
    ("nominations.", "industry"): "apps.enterprises.models.Industry",
    ("deliverable.", "kind"): "apps.timeline.models.DeliverableKind",
    "off": "apps.reminders.models.RuleKind",
    "outcome": "apps.reviews.models.Outcome",
    "role": "apps.enterprises.models.Role",
    "language": "apps.accounts.models.Language",
    "previous_state": "apps.packets.models.PacketState",
    "status": "apps.packets.selectors.Standing",
}
# key → the choices that name the keys of its (dict) value.
KEY_CHOICES: dict[str, str] = {
    "stages": "apps.timeline.models.StageKind",
    "areas": "apps.plans.constants.ActionArea",
}
# Values that are codes of this app's own making.
VALUES: dict[str, dict[str, StrOrPromise]] = {
    "method": {"file": gettext_lazy("uploaded file"), "sha256": gettext_lazy("pasted fingerprint")},
}
# Booleans written as text (a campaign's fields are stored with str()).
TEXT_BOOLEANS = {"True": True, "False": False}
BOOLEAN_KEYS = {"active", "is_active", "mandatory"}
IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*")
# Two-item lists that are a change (before, after) or a span (from, to).
CHANGE_KEYS = {"reviewers_may_self_assign", "score"}
SPAN_KEYS = {"stages"}


@dataclass(frozen=True)
class Detail:
    label: str
    value: str


@cache
def _choices(path: str) -> dict[str, str] | None:
    """{value: label} of a choices class; None if it has moved (the code is shown then)."""
    try:
        choices = import_string(path)
    except ImportError:
        return None
    return {str(value): label for value, label in choices.choices}


def _choice_label(path: str | None, value: Any) -> str | None:
    labels = _choices(path) if path else None
    if labels is None or str(value) not in labels:
        return None
    return str(labels[str(value)])


def humanize(key: str) -> str:
    """A code without a label, as a phrase: ``reviewer_name`` → "Reviewer name",
    ``packet_bundle.expire`` → "Packet bundle: expire". Anything else (a credit code used as
    a key) is shown as it is."""
    if not IDENTIFIER.fullmatch(key):
        return key
    text = ": ".join(" ".join(part.split("_")).strip() for part in key.split("."))
    return text[:1].upper() + text[1:]


def action_label(action: str) -> str:
    label = ACTIONS.get(action)
    return str(label) if label is not None else humanize(action)


def action_choices(actions: Iterable[str]) -> list[tuple[str, str]]:
    """(code, label) for a filter, in the order of the labels in the active language."""
    return sorted(((a, action_label(a)) for a in actions), key=lambda c: (c[1], c[0]))


def key_label(key: str, parent: str = "") -> str:
    by_parent = _choice_label(KEY_CHOICES.get(parent), key)
    if by_parent is not None:
        return by_parent
    label = KEYS.get(key)
    return str(label) if label is not None else humanize(key)


def _choices_path(action: str, key: str) -> str | None:
    for entry, path in CHOICES.items():
        if isinstance(entry, tuple) and entry[1] == key and action.startswith(entry[0]):
            return path
    return CHOICES.get(key)


def value_text(action: str, key: str, value: Any, *, within_changes: bool = False) -> str:
    """A value as people read it; ``key`` names what it is (its choices, how to join it)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str) and key in BOOLEAN_KEYS and value in TEXT_BOOLEANS:
        return _("yes") if TEXT_BOOLEANS[value] else _("no")
    if isinstance(value, dict):
        if set(value) == {"zh", "en"}:  # worded in both languages when it was recorded
            return in_language(str(value["zh"]), str(value["en"]))
        if set(value) == {"before", "after"}:
            return _change(action, key, value["before"], value["after"])
        return ", ".join(
            _("%(label)s: %(value)s")
            % {
                "label": key_label(str(k), key),
                "value": value_text(
                    action, str(k), v, within_changes=within_changes or key == "changes"
                ),
            }
            for k, v in value.items()
        )
    if isinstance(value, list | tuple):
        items = list(value)
        if len(items) == 2 and (key in CHANGE_KEYS or within_changes):
            return _change(action, key, items[0], items[1])
        if len(items) == 2 and key in SPAN_KEYS:
            return f"{value_text(action, key, items[0])} – {value_text(action, key, items[1])}"
        if key == "added":  # reminder rules as "kind:days"
            items = [_rule_text(str(item)) for item in items]
            return ", ".join(items)
        if any(isinstance(item, dict) for item in items):
            return "; ".join(
                f"({value_text(action, key, item, within_changes=within_changes)})"
                for item in items
            )
        return ", ".join(
            value_text(action, key, item, within_changes=within_changes) for item in items
        )
    if key in VALUES and str(value) in VALUES[key]:
        return str(VALUES[key][str(value)])
    label = _choice_label(_choices_path(action, key), value)
    return label if label is not None else str(value)


def _change(action: str, key: str, before: Any, after: Any) -> str:
    return f"{value_text(action, key, before)} → {value_text(action, key, after)}"


def _rule_text(item: str) -> str:
    kind, _sep, days = item.partition(":")
    label = _choice_label(CHOICES[("reminders.", "kind")], kind) or kind
    return f"{label} ({days})" if days else label


def details(action: str, data: Mapping[str, Any] | None) -> list[Detail]:
    """The event's details, each as a label and a readable value, in the active language."""
    if not isinstance(data, Mapping):
        return [] if data in (None, "") else [Detail(label=_("Details"), value=str(data))]
    return [
        Detail(label=key_label(key), value=value_text(action, key, value))
        for key, value in data.items()
        if not (key in SHOWN_UNLESS and data.get(SHOWN_UNLESS[key]))
    ]
