"""Obligations: for each enterprise, each deliverable with its effective due date and status.

One selector, `obligations_for`, computes them for any set of enterprises in a fixed number
of queries (deliverables, authority deadlines, extensions, and one per registered status
source), whatever the number of enterprises.

The filing workflow lives above this app; it tells us what exists by registering a status
source (see `register_status_source`), so this module never imports it.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.enterprises.models import Enterprise
from apps.timeline.models import (
    AuthorityDeadline,
    Deliverable,
    Extension,
    deadline_for,
    local_today,
)
from apps.timeline.workdays import working_days_between


class ObligationStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    RETURNED = "returned", _("Returned for revision")
    APPROVED = "approved", _("Filed")
    OVERDUE = "overdue", _("Overdue")


# Statuses in which the enterprise has handed the deliverable in: never overdue.
HANDED_IN = {ObligationStatus.SUBMITTED, ObligationStatus.UNDER_REVIEW, ObligationStatus.APPROVED}


class DueSource(models.TextChoices):
    CAMPAIGN = "campaign", _("campaign date")
    AUTHORITY = "authority", _("authority deadline")
    EXTENSION = "extension", _("extension")


@dataclass(frozen=True)
class FilingInfo:
    """What a status source knows about an enterprise's filing for a deliverable."""

    status: str  # an ObligationStatus value other than OVERDUE
    filing_id: int | None = None
    url: str | None = None
    submitted_at: dt.datetime | None = None


StatusSource = Callable[[list[int], list[int]], dict[tuple[int, int], FilingInfo]]
_status_sources: list[StatusSource] = []


def register_status_source(source: StatusSource) -> StatusSource:
    """Called by the filings app: (enterprise ids, deliverable ids) -> {(e, d): FilingInfo}."""
    if source not in _status_sources:
        _status_sources.append(source)
    return source


@dataclass
class Obligation:
    enterprise: Enterprise
    deliverable: Deliverable
    due_on: dt.date
    due_source: str
    extension: Extension | None
    filing: FilingInfo | None
    status: str
    now: dt.datetime

    @property
    def deadline(self) -> dt.datetime:
        return deadline_for(self.due_on)

    @property
    def is_overdue(self) -> bool:
        return self.status == ObligationStatus.OVERDUE

    @property
    def is_handed_in(self) -> bool:
        return self.status in HANDED_IN

    @property
    def days_left(self) -> int:
        """Calendar days from today (Beijing time) to the due date; negative when late."""
        return (self.due_on - local_today(self.now)).days

    @property
    def working_days_left(self) -> int:
        return working_days_between(local_today(self.now), self.due_on)

    def get_status_display(self) -> str:
        return str(ObligationStatus(self.status).label)

    def get_due_source_display(self) -> str:
        return str(DueSource(self.due_source).label)


def effective_due_on(
    campaign_due_on: dt.date,
    authority_due_on: dt.date | None,
    extension_due_on: dt.date | None,
) -> tuple[dt.date, str]:
    """Precedence: an enterprise's extension, then its authority's deadline, then the
    campaign's date."""
    if extension_due_on is not None:
        return extension_due_on, DueSource.EXTENSION
    if authority_due_on is not None:
        return authority_due_on, DueSource.AUTHORITY
    return campaign_due_on, DueSource.CAMPAIGN


def derive_status(filing: FilingInfo | None, deadline: dt.datetime, now: dt.datetime) -> str:
    status = filing.status if filing else ObligationStatus.NOT_STARTED
    if status in (ObligationStatus.NOT_STARTED, ObligationStatus.DRAFT) and now >= deadline:
        return ObligationStatus.OVERDUE
    return status


def obligations_for(
    enterprises: "Iterable[Enterprise] | models.QuerySet[Enterprise]",
    *,
    deliverables: "Iterable[Deliverable] | None" = None,
    now: dt.datetime | None = None,
) -> list[Obligation]:
    """Every (enterprise, deliverable) pair of the active campaigns that the enterprise owes,
    with its effective due date and status. An authority's own deliverable (its half-yearly
    summaries, say) is owed by that authority's enterprises only (``Deliverable.applies_to``):
    every list and count built on this (home page, enterprise and authority panels,
    reminders) follows. Enterprises are taken as given: pass groups (the headquarters
    files)."""
    now = now or timezone.now()
    enterprise_list = list(
        enterprises.select_related("authority")
        if isinstance(enterprises, models.QuerySet)
        else enterprises
    )
    if deliverables is None:
        deliverables = Deliverable.objects.active().select_related("campaign", "stage")
    deliverable_list = list(deliverables)
    if not enterprise_list or not deliverable_list:
        return []
    enterprise_ids = [e.pk for e in enterprise_list]
    deliverable_ids = [d.pk for d in deliverable_list]
    authority_ids = {e.authority_id for e in enterprise_list}

    authority_dates = {
        (row.authority_id, row.deliverable_id): row.due_on
        for row in AuthorityDeadline.objects.filter(
            deliverable_id__in=deliverable_ids, authority_id__in=authority_ids
        ).only("authority_id", "deliverable_id", "due_on")
    }
    extensions = {
        (x.enterprise_id, x.deliverable_id): x
        for x in Extension.objects.filter(
            deliverable_id__in=deliverable_ids, enterprise_id__in=enterprise_ids
        )
    }
    filings: dict[tuple[int, int], FilingInfo] = {}
    for source in _status_sources:
        filings.update(source(enterprise_ids, deliverable_ids))

    result: list[Obligation] = []
    for enterprise in enterprise_list:
        for deliverable in deliverable_list:
            if not deliverable.applies_to(enterprise.authority_id):
                continue
            extension = extensions.get((enterprise.pk, deliverable.pk))
            due_on, source_name = effective_due_on(
                deliverable.due_on,
                authority_dates.get((enterprise.authority_id, deliverable.pk)),
                extension.due_on if extension else None,
            )
            filing = filings.get((enterprise.pk, deliverable.pk))
            result.append(
                Obligation(
                    enterprise=enterprise,
                    deliverable=deliverable,
                    due_on=due_on,
                    due_source=source_name,
                    extension=extension,
                    filing=filing,
                    status=derive_status(filing, deadline_for(due_on), now),
                    now=now,
                )
            )
    return result


def filing_enterprises(queryset: "models.QuerySet[Enterprise]") -> "models.QuerySet[Enterprise]":
    """The enterprises that owe deliverables to their authority: active group
    headquarters."""
    return queryset.filter(is_active=True, parent__isnull=True)


def all_filing_enterprises(
    queryset: "models.QuerySet[Enterprise]",
) -> "models.QuerySet[Enterprise]":
    """Everyone who owes deliverables to someone: group headquarters (to their authority)
    and the subsidiaries their group requires to file (to the group)."""
    return queryset.filter(models.Q(parent__isnull=True) | models.Q(files_to_group=True)).filter(
        is_active=True
    )


def status_counts(obligations: Iterable[Obligation]) -> dict[int, dict[str, int]]:
    """{deliverable id: {status: count}} with every status present (zeros included)."""
    counts: dict[int, dict[str, int]] = {}
    for ob in obligations:
        row = counts.setdefault(ob.deliverable.pk, {s.value: 0 for s in ObligationStatus})
        row[ob.status] += 1
    return counts


def obligation_for(enterprise: Enterprise, deliverable: Deliverable, **kw: Any) -> Obligation:
    """The one obligation; the caller has fetched a deliverable the enterprise owes
    (``selectors.get_deliverable_for_enterprise``)."""
    obligations = obligations_for([enterprise], deliverables=[deliverable], **kw)
    if not obligations:
        raise LookupError(f"{enterprise.pk} does not owe deliverable {deliverable.pk}")
    return obligations[0]
