"""“Ready for the lead”: an editor tells the enterprise's leads that the open draft, or some of
its sections, is ready for them to check and submit.

The mark records who and when (``ReadyForLead``, one per draft version) and a history entry
in the same transaction. Editing the draft afterwards keeps the mark; the page then says which
sections changed since, from the draft's own section revisions (no extra query). Who is told
is not this module's business: apps above (notifications) register a hook, called after
commit, so this module never imports them.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.enterprises.models import ENTERPRISE_ROLES
from apps.filings.kinds import ATTACHMENTS_KEY, get_kind
from apps.filings.models import Filing, FilingEvent, FilingVersion, ReadyForLead
from apps.filings.services import FilingError, NotAllowed, filing_roles, open_draft
from apps.filings.workflow import EDITABLE_STATES

# The history's name for the event (see the filings template tags' EVENT_LABELS).
EVENT_ACTION = "ready_for_lead"

# Called after commit with (filing id, mark id).
ReadyHook = Callable[[int, int], None]
_hooks: list[ReadyHook] = []


def register_ready_hook(hook: ReadyHook) -> ReadyHook:
    if hook not in _hooks:
        _hooks.append(hook)
    return hook


@transaction.atomic
def filing_mark_ready(
    *,
    filing: Filing,
    actor: Any,
    sections: Sequence[str] = (),
    note: str = "",
    ip_address: str | None = None,
) -> ReadyForLead:
    """Mark the open draft (or ``sections`` of it) ready for the lead's review. Marking again
    replaces who, when and which sections. Refused, changing nothing, for anyone but the
    enterprise's editors and leads, and for a filing with no open draft."""
    filing = (
        Filing.objects.select_for_update(of=("self",))
        .select_related("enterprise")
        .get(pk=filing.pk)
    )
    if not filing_roles(actor, filing) & set(ENTERPRISE_ROLES):
        raise NotAllowed(_("Only the enterprise's editors and leads can mark a draft ready."))
    if filing.state not in EDITABLE_STATES or filing.draft_id is None:
        raise NotAllowed(
            _(
                "This filing has no open draft, so there is nothing to mark ready for the lead: "
                "it has been submitted already."
            )
        )
    kind = get_kind(filing.kind)
    known = [s.key for s in kind.sections]
    unknown = [key for key in sections if key not in known]
    if unknown:
        raise FilingError(_("There is no section %(key)s in this filing.") % {"key": unknown[0]})
    # In the kind's order, each once; all sections named is the whole draft.
    chosen = [key for key in known if key in set(sections)]
    if len(chosen) == len(known):
        chosen = []
    draft = open_draft(filing, lock=True)
    mark, _created = ReadyForLead.objects.update_or_create(
        version=draft,
        defaults={
            "filing": filing,
            "sections": chosen,
            "revisions": dict(draft.revisions),
            "note": note.strip(),
            "marked_by": actor,
            "marked_at": timezone.now(),
        },
    )
    FilingEvent.objects.create(
        filing=filing,
        version=draft,
        actor=actor,
        action=EVENT_ACTION,
        data={"sections": chosen, "note": mark.note},
        ip_address=ip_address,
    )
    for hook in _hooks:
        transaction.on_commit(lambda hook=hook: hook(filing.pk, mark.pk))  # type: ignore[misc]
    return mark


# --- Reads ---------------------------------------------------------------------------------


def changed_since(mark: ReadyForLead, draft: FilingVersion) -> list[str]:
    """The keys of the marked sections (all, with the attachments, when the whole draft was
    marked) saved again after the mark, in no particular order."""
    keys: Iterable[str] = mark.sections or {*draft.revisions, *mark.revisions}
    return [
        key for key in keys if int(draft.revisions.get(key, 0)) != int(mark.revisions.get(key, 0))
    ]


@dataclass(frozen=True)
class Readiness:
    """The mark on a filing's open draft, as its pages show it."""

    mark: ReadyForLead
    # Titles in the kind's order; empty: the whole draft.
    section_titles: list[str]
    # Titles of what was saved again since (the attachments included); empty: unchanged.
    changed_titles: list[str]

    @property
    def changed(self) -> bool:
        return bool(self.changed_titles)


def readiness(filing: Filing, draft: FilingVersion, mark: ReadyForLead | None) -> Readiness | None:
    """Put the mark (of ``draft``, or None) in words: no query."""
    if mark is None or mark.version_id != draft.pk:
        return None
    kind = get_kind(filing.kind)
    titles = {s.key: str(s.title) for s in kind.sections}
    titles[ATTACHMENTS_KEY] = _("Attachments")
    changed = set(changed_since(mark, draft))
    return Readiness(
        mark=mark,
        section_titles=[titles[k] for k in mark.sections if k in titles],
        changed_titles=[title for key, title in titles.items() if key in changed],
    )


def readiness_for(filing: Filing, draft: FilingVersion | None) -> Readiness | None:
    """The mark on the filing's open draft, if any (one query)."""
    if draft is None or filing.draft_id != draft.pk:
        return None
    mark = ReadyForLead.objects.filter(version=draft).select_related("marked_by").first()
    return readiness(filing, draft, mark)


def ready_marks(filing_ids: Iterable[int]) -> dict[int, ReadyForLead]:
    """{filing id: the mark on its open draft} for the filings that have one, with the
    marker and the draft's revisions (for ``changed_since``): one query, however many."""
    marks = (
        ReadyForLead.objects.filter(
            filing_id__in=list(filing_ids), version_id=F("filing__draft_id")
        )
        .select_related("marked_by", "version")
        .defer("version__content", "version__snapshot")
    )
    return {mark.filing_id: mark for mark in marks}
