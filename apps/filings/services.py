"""Writes of the filing workflow: one implementation for every kind of filing."""

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.enterprises.models import Enterprise, Role
from apps.enterprises.scopes import scope_for
from apps.filings.describe import describe
from apps.filings.diff import content_diff, summarise
from apps.filings.kinds import ATTACHMENTS_KEY, Missing, get_kind
from apps.filings.models import (
    Attachment,
    AttachmentType,
    DecisionBody,
    DocumentNumber,
    Filing,
    FilingEvent,
    FilingVersion,
    canonical_json,
    sha256_hex,
)
from apps.filings.workflow import EDITABLE_STATES, State, Transition, transition_for
from apps.groups.selectors import reviewing_group_for
from apps.timeline.models import Deliverable

SNAPSHOT_SCHEMA = 1


class FilingError(Exception):
    """A refused request, with a message for the user (already translated)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class IllegalTransition(FilingError):
    pass


class NotAllowed(FilingError):
    pass


class Incomplete(FilingError):
    def __init__(self, missing: list[Missing]) -> None:
        super().__init__(
            _("The filing is not complete yet: %(n)d item(s) missing.") % {"n": len(missing)}
        )
        self.missing = missing


@dataclass(frozen=True)
class Submission:
    """What the enterprise states when it submits: its own document number (报送文号), the
    company leader who signed it off (签发人), and its internal decision on the filing."""

    document_number: str = ""
    signatory_name: str = ""
    signatory_title: str = ""
    decision_body: str = ""
    decision_on: dt.date | None = None

    def as_snapshot(self) -> dict[str, Any]:
        return {
            "document_number": self.document_number,
            "signatory": {"name": self.signatory_name, "title": self.signatory_title},
            "decision": {
                "body": self.decision_body,
                "date": self.decision_on.isoformat() if self.decision_on else None,
            },
        }


class SubmissionRefused(FilingError):
    """The submission lacks what the commission needs to accept it as the enterprise's record.
    ``errors`` maps each field (or ``attachment:<code>``) to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(
            _("The submission is not complete: %(n)d item(s) to put right.") % {"n": len(errors)}
        )
        self.errors = errors


@dataclass
class EditConflict(FilingError):
    """Someone saved the same section since this editor loaded it."""

    section: str
    current: dict[str, Any]
    current_revision: int
    differences: list[Any]  # field by field: the saved value (before) against yours (after)
    changed_by: str
    changed_at: Any

    def __post_init__(self) -> None:
        super().__init__(
            _("%(who)s saved this section while you were editing it. Nothing of yours was "
              "saved; review their changes below, then apply yours again.")
            % {"who": self.changed_by}
        )  # fmt: skip


# Called after commit with (filing id, action, version id): packets and notifications hang
# off these, registered by their apps, so this module never imports them.
TransitionHook = Callable[[int, str, int | None], None]
_hooks: list[TransitionHook] = []


def register_transition_hook(hook: TransitionHook) -> TransitionHook:
    if hook not in _hooks:
        _hooks.append(hook)
    return hook


def open_draft(filing: Filing, *, lock: bool = False) -> FilingVersion:
    """The filing's open draft (callers have checked that it has one)."""
    if filing.draft_id is None:
        raise NotAllowed(_("This filing has no open draft: a submitted version cannot be edited."))
    queryset = FilingVersion.objects.select_for_update() if lock else FilingVersion.objects
    return queryset.get(pk=filing.draft_id)


FreezeExtra = Callable[[Filing, FilingVersion], Any]
_freeze_extras: list[tuple[str, FreezeExtra]] = []


def register_freeze_extra(key: str, func: FreezeExtra) -> None:
    """``func(filing, version)`` gives what is kept under ``content[key]`` when a version is
    frozen (None: nothing). For apps above filings (apps.groups' roll-up annex)."""
    if (key, func) not in _freeze_extras:
        _freeze_extras.append((key, func))


def filing_roles(user: Any, filing: Filing) -> set[str]:
    """The user's roles toward this filing: their enterprise role if it is their
    enterprise's, their reviewing role if they review it for the body that reviews it (its
    group headquarters, or its authority). Each membership counts only in its own scope."""
    scope = scope_for(user)
    roles: set[str] = set()
    enterprise_role = scope.enterprise_role(filing.enterprise_id)
    if enterprise_role:
        roles.add(enterprise_role)
    review_role = scope.review_role(filing)
    if review_role:
        roles.add(review_role)
    return roles


def _event(
    filing: Filing,
    *,
    action: str,
    actor: Any,
    ip_address: str | None,
    version: FilingVersion | None = None,
    from_state: str = "",
    to_state: str = "",
    data: dict[str, Any] | None = None,
    internal: bool = False,
) -> FilingEvent:
    return FilingEvent.objects.create(
        filing=filing,
        version=version,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        from_state=from_state,
        to_state=to_state,
        data=data or {},
        internal=internal,
        ip_address=ip_address,
    )


@transaction.atomic
def filing_start(
    *, enterprise: Enterprise, deliverable: Deliverable, actor: Any, ip_address: str | None = None
) -> Filing:
    """Open the enterprise's filing for a deliverable (idempotent: returns the existing one)."""
    if scope_for(actor).enterprise_role(enterprise.pk) not in (Role.EDITOR, Role.LEAD):
        raise NotAllowed(_("Only the enterprise's editors and leads can start its filings."))
    if not enterprise.files_for_group:
        raise NotAllowed(_("A subsidiary does not file: its group headquarters files for it."))
    if not deliverable.applies_to(enterprise.authority_id):
        raise NotAllowed(_("This deliverable is another authority's own: not this enterprise's."))
    kind = get_kind(deliverable.kind)
    Enterprise.objects.select_for_update().get(pk=enterprise.pk)  # one starter at a time
    existing = Filing.objects.filter(enterprise=enterprise, deliverable=deliverable).first()
    if existing is not None:
        return existing
    refusal = kind.can_start(enterprise, deliverable) if kind.can_start else None
    if refusal:
        raise NotAllowed(refusal)
    filing = Filing.objects.create(
        enterprise=enterprise,
        deliverable=deliverable,
        kind=kind.key,
        reviewing_group=reviewing_group_for(enterprise),
    )
    version = FilingVersion.objects.create(
        filing=filing, number=1, content=kind.initial_content(filing), created_by=actor
    )
    filing.draft = version
    filing.save(update_fields=["draft"])
    _event(
        filing,
        action="create",
        actor=actor,
        ip_address=ip_address,
        version=version,
        to_state=State.DRAFT,
    )
    return filing


def _require_editor(actor: Any, filing: Filing) -> None:
    if not filing_roles(actor, filing) & {Role.EDITOR, Role.LEAD}:
        raise NotAllowed(_("Only the enterprise's editors and leads can edit its drafts."))
    if filing.state not in EDITABLE_STATES or filing.draft_id is None:
        raise NotAllowed(_("This filing has no open draft: a submitted version cannot be edited."))


@transaction.atomic
def filing_save_section(
    *,
    filing: Filing,
    section: str,
    data: dict[str, Any],
    base_revision: int,
    actor: Any,
    ip_address: str | None = None,
) -> FilingVersion:
    """Save one section of the open draft, unless someone saved it since ``base_revision``
    was read: then raise EditConflict and change nothing."""
    filing = Filing.objects.select_for_update().select_related("enterprise").get(pk=filing.pk)
    _require_editor(actor, filing)
    draft = open_draft(filing, lock=True)
    current_revision = int(draft.revisions.get(section, 0))
    if base_revision != current_revision:
        last = (
            FilingEvent.objects.filter(filing=filing, version=draft, action="edit",
                                       data__section=section)
            .select_related("actor").first()
        )  # fmt: skip
        raise EditConflict(
            section=section,
            current=draft.content.get(section) or {},
            current_revision=current_revision,
            differences=describe(
                get_kind(filing.kind),
                content_diff(
                    {section: draft.content.get(section) or {}},
                    {section: data},
                    get_kind(filing.kind),
                ),
            ),
            changed_by=last.actor.full_name if last and last.actor else _("someone"),
            changed_at=last.created_at if last else None,
        )
    before = draft.content.get(section)
    if before == data:
        return draft
    kind = get_kind(filing.kind)
    changes = content_diff({section: before or {}}, {section: data}, kind)
    draft.content = {**draft.content, section: data}
    draft.revisions = {**draft.revisions, section: current_revision + 1}
    draft.save(update_fields=["content", "revisions"])
    _event(filing, action="edit", actor=actor, ip_address=ip_address, version=draft,
           data={"section": section, "revision": current_revision + 1,
                 "changes": summarise(changes, kind)})  # fmt: skip
    return draft


def build_snapshot(
    filing: Filing, version: FilingVersion, submission: Submission | None = None
) -> dict[str, Any]:
    """What a frozen version is: who filed what, for which deliverable, and its content; with
    the formal submission (document number, signatory, decision) when there is one."""
    enterprise = filing.enterprise
    deliverable = filing.deliverable
    submitted = {"submission": submission.as_snapshot()} if submission else {}
    return {
        **submitted,
        "schema": SNAPSHOT_SCHEMA,
        "kind": filing.kind,
        "enterprise": {
            "credit_code": enterprise.credit_code,
            "name_zh": enterprise.name_zh,
            "authority": enterprise.authority.code,
        },
        "deliverable": {
            "id": deliverable.pk,
            "campaign": deliverable.campaign.code,
            "title_zh": deliverable.title_zh,
            "due_on": deliverable.due_on.isoformat(),
        },
        "version": version.number,
        "content": version.content,
    }


def missing_attachment_types(filing: Filing, content: dict[str, Any]) -> list[AttachmentType]:
    """The required attachment types the draft has no file of."""
    present = {a.get("attachment_type") for a in content.get(ATTACHMENTS_KEY, [])}
    return [
        t
        for t in AttachmentType.objects.filter(deliverable_id=filing.deliverable_id, required=True)
        if t.code not in present
    ]


def _check_submission(
    filing: Filing, version: FilingVersion, submission: Submission | None
) -> Submission:
    """Refuse, naming every gap at once, a submission the commission could not accept."""
    given = submission or Submission()
    given = Submission(
        document_number=given.document_number.strip(),
        signatory_name=given.signatory_name.strip(),
        signatory_title=given.signatory_title.strip(),
        decision_body=given.decision_body,
        decision_on=given.decision_on,
    )
    errors: dict[str, str] = {}
    if not given.document_number:
        errors["document_number"] = _("Enter the enterprise's document number (报送文号).")
    elif len(given.document_number) > 100:
        errors["document_number"] = _("The document number is too long.")
    elif DocumentNumber.objects.filter(
        enterprise_id=filing.enterprise_id, number=given.document_number
    ).exists():
        errors["document_number"] = _(
            "Document number %(number)s was already used for another submission of this "
            "enterprise: each submission needs its own."
        ) % {"number": given.document_number}
    if not given.signatory_name:
        errors["signatory_name"] = _("Enter the name of the leader who signed it off (签发人).")
    if not given.signatory_title:
        errors["signatory_title"] = _("Enter the signatory's title.")
    if given.decision_body not in DecisionBody.values:
        errors["decision_body"] = _("Choose which body decided: the Party committee or the board.")
    if given.decision_on is None:
        errors["decision_on"] = _("Enter the date of the decision.")
    elif given.decision_on > timezone.localdate():
        errors["decision_on"] = _("The decision date cannot be in the future.")
    for missing in missing_attachment_types(filing, version.content):
        errors[f"attachment:{missing.code}"] = _("Attach the %(type)s: it is required.") % {
            "type": missing.name
        }
    if errors:
        raise SubmissionRefused(errors)
    return given


def _new_draft(filing: Filing, *, source: FilingVersion, actor: Any) -> FilingVersion:
    number = (filing.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return FilingVersion.objects.create(
        filing=filing, number=number, content=copy.deepcopy(source.content), created_by=actor
    )


@transaction.atomic
def filing_transition(
    *,
    filing: Filing,
    action: str,
    actor: Any,
    ip_address: str | None = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
    submission: Submission | None = None,
) -> Filing:
    """Fire ``action`` on the filing as declared in workflow.TRANSITIONS, or refuse it.
    ``details`` go into the history entry (e.g. the filing number an approval was given);
    a submission needs ``submission`` (document number, signatory, decision)."""
    filing = (
        Filing.objects.select_for_update(of=("self",))
        .select_related("enterprise__authority", "deliverable__campaign")
        .get(pk=filing.pk)
    )
    transition: Transition | None = transition_for(filing.state, action)
    if transition is None:
        raise IllegalTransition(
            _("“%(action)s” is not possible while the filing is %(state)s.")
            % {"action": action, "state": State(filing.state).label}
        )
    if not filing_roles(actor, filing) & set(transition.roles):
        raise NotAllowed(_("You may not do this to this filing."))
    now = timezone.now()
    from_state = filing.state
    version: FilingVersion | None = None
    data: dict[str, Any] = {"reason": reason} if reason else {}
    data.update(details or {})

    if transition.freezes_draft:
        version = open_draft(filing, lock=True)
        missing = get_kind(filing.kind).completeness(version.content, filing)
        if missing:
            raise Incomplete(missing)
        given = _check_submission(filing, version, submission)
        try:
            with transaction.atomic():  # two submissions racing for one number: one wins
                DocumentNumber.objects.create(
                    enterprise_id=filing.enterprise_id, number=given.document_number,
                    version=version,
                )  # fmt: skip
        except IntegrityError:
            raise SubmissionRefused(
                {"document_number": _("This document number was just used by another submission.")}
            ) from None
        # What other apps add to the version as it is frozen (a group's roll-up annex):
        # part of the content, the snapshot and its fingerprint.
        for key, extra in _freeze_extras:
            value = extra(filing, version)
            # Made afresh each time: one carried into a draft from an earlier version goes.
            content = {k: v for k, v in version.content.items() if k != key}
            if value is not None:
                content[key] = value
            if content != version.content:
                version.content = content
                version.save(update_fields=["content"])
        version.snapshot = canonical_json(build_snapshot(filing, version, given))
        version.sha256 = sha256_hex(version.snapshot)
        version.submitted_at, version.submitted_by = now, actor
        version.document_number = given.document_number
        version.signatory_name = given.signatory_name
        version.signatory_title = given.signatory_title
        version.decision_body = given.decision_body
        version.decision_on = given.decision_on
        version.save(
            update_fields=["snapshot", "sha256", "submitted_at", "submitted_by",
                           "document_number", "signatory_name", "signatory_title",
                           "decision_body", "decision_on"]
        )  # fmt: skip
        filing.draft = None
        filing.latest_submitted = version
        filing.submitted_at = now
        filing.first_submitted_at = filing.first_submitted_at or now
        data.update({"version": version.number, "sha256": version.sha256})
    if transition.approves:
        version = filing.latest_submitted
        filing.approved_version = version
        data["version"] = version.number if version else None
    if transition.opens_draft:
        source = filing.latest_submitted or filing.approved_version
        if source is None:  # cannot happen: every opening follows a submission
            raise IllegalTransition(_("There is no version to continue from."))
        version = _new_draft(filing, source=source, actor=actor)
        filing.draft = version
        data["draft"] = version.number
    filing.state = transition.target
    filing.save()
    _event(
        filing,
        action=str(transition.action),
        actor=actor,
        ip_address=ip_address,
        version=version,
        from_state=from_state,
        to_state=filing.state,
        data=data,
    )
    version_id = version.pk if version else None
    for hook in _hooks:
        transaction.on_commit(
            lambda hook=hook: hook(filing.pk, str(transition.action), version_id)  # type: ignore[misc]
        )
    return filing


@transaction.atomic
def filing_set_attachments(
    *, filing: Filing, listed: list[dict[str, Any]], actor: Any, ip_address: str | None = None
) -> FilingVersion:
    """Replace the open draft's attachment list (the files themselves never change)."""
    filing = Filing.objects.select_for_update().select_related("enterprise").get(pk=filing.pk)
    _require_editor(actor, filing)
    draft = open_draft(filing, lock=True)
    before = draft.content.get(ATTACHMENTS_KEY, [])
    draft.content = {**draft.content, ATTACHMENTS_KEY: listed}
    draft.revisions = {
        **draft.revisions,
        ATTACHMENTS_KEY: int(draft.revisions.get(ATTACHMENTS_KEY, 0)) + 1,
    }
    draft.save(update_fields=["content", "revisions"])
    _event(
        filing,
        action="attachments",
        actor=actor,
        ip_address=ip_address,
        version=draft,
        data={"before": [a["name"] for a in before], "after": [a["name"] for a in listed]},
    )
    return draft


@transaction.atomic
def attachment_add(
    *,
    filing: Filing,
    upload: Any,
    actor: Any,
    ip_address: str | None = None,
    attachment_type: str = "",
) -> Attachment:
    """Check an upload by content, store it, and list it in the open draft under one of the
    deliverable's attachment types (when it declares any)."""
    from apps.filings.attachments import check_upload, store

    filing = Filing.objects.select_for_update().select_related("enterprise").get(pk=filing.pk)
    _require_editor(actor, filing)
    codes = set(
        AttachmentType.objects.filter(deliverable_id=filing.deliverable_id).values_list(
            "code", flat=True
        )
    )
    if codes and attachment_type not in codes:
        raise FilingError(_("Choose what this file is (its attachment type)."))
    checked = check_upload(upload)
    attachment = Attachment.objects.create(
        filing=filing,
        original_name=str(upload.name)[:255],
        stored_name=store(checked),
        content_type=checked.content_type,
        size=len(checked.content),
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    draft = open_draft(filing)
    entry = attachment.as_listed()
    if attachment_type:
        entry["attachment_type"] = attachment_type
    listed = [*draft.content.get(ATTACHMENTS_KEY, []), entry]
    filing_set_attachments(filing=filing, listed=listed, actor=actor, ip_address=ip_address)
    return attachment


def attachment_remove(
    *, filing: Filing, attachment_id: int, actor: Any, ip_address: str | None = None
) -> None:
    """Take an attachment off the open draft. The file stays: earlier versions list it."""
    filing = Filing.objects.get(pk=filing.pk)
    draft = open_draft(filing) if filing.draft_id else None
    if draft is None:
        raise NotAllowed(_("This filing has no open draft: a submitted version cannot be edited."))
    listed = [a for a in draft.content.get(ATTACHMENTS_KEY, []) if a.get("id") != attachment_id]
    filing_set_attachments(filing=filing, listed=listed, actor=actor, ip_address=ip_address)
