"""Where each section of a draft stands: the task list of the filing's page and the section
list beside the editor (GOV.UK's "task list" pattern), for every kind of filing.

A section is *not started* while it holds nothing more than the kind's initial content,
*completed* when the kind's completeness check wants nothing more of it, and *in progress*
in between. Both come from the draft's current content, so a required field cleared and
saved takes the section back to "in progress".
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.filings.kinds import FilingKind, Missing, Section


class SectionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


@dataclass(frozen=True)
class SectionTask:
    section: Section
    status: SectionStatus
    # What the completeness check still wants of the section, in the kind's order.
    missing: tuple[Missing, ...]

    @property
    def key(self) -> str:
        return self.section.key

    @property
    def status_label(self) -> str:
        return str(self.status.label)


@dataclass(frozen=True)
class TaskList:
    tasks: tuple[SectionTask, ...]

    def __iter__(self) -> Iterator[SectionTask]:
        return iter(self.tasks)

    def __len__(self) -> int:
        return len(self.tasks)

    @property
    def completed(self) -> int:
        return sum(1 for t in self.tasks if t.status == SectionStatus.COMPLETED)


def _entered(value: Any) -> Any:
    """What ``value`` holds once blanks are left out, so that "", None, an empty list and a
    missing key all count as nothing entered (a form saved untouched may store a blank
    differently from the initial content)."""
    if isinstance(value, dict):
        kept = {key: _entered(item) for key, item in value.items()}
        return {key: item for key, item in kept.items() if item not in (None, "", [], {})}
    if isinstance(value, list):
        return [_entered(item) for item in value]
    if isinstance(value, str):
        return value.strip()
    return value


def section_tasks(
    kind: FilingKind, content: dict[str, Any], filing: Any, missing: Sequence[Missing]
) -> TaskList:
    """Each section of ``content`` (a draft's) with its status; ``missing`` is what
    ``kind.completeness(content, filing)`` returned (the caller has it already)."""
    by_section: dict[str, list[Missing]] = {}
    for item in missing:
        by_section.setdefault(item.section, []).append(item)
    initial = kind.initial_content(filing)
    tasks = []
    for section in kind.sections:
        wanted = tuple(by_section.get(section.key, ()))
        if not wanted:
            status = SectionStatus.COMPLETED
        elif _entered(content.get(section.key) or {}) == _entered(initial.get(section.key) or {}):
            status = SectionStatus.NOT_STARTED
        else:
            status = SectionStatus.IN_PROGRESS
        tasks.append(SectionTask(section=section, status=status, missing=wanted))
    return TaskList(tasks=tuple(tasks))
