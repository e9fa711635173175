"""Fetch-and-authorize helpers and the reads of the nomination pages. Anything outside the
user's authority or enterprise is a 404; so is, with ``perm``, what they may see but not do."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from apps.audit.models import AuditEvent
from apps.nominations.models import Nomination, NominationScore, Objection, PublicNotice
from apps.nominations.workflow import Status

HISTORY_LIMIT = 100


def get_nomination_for_user(user: Any, pk: int, *, perm: str | None = None) -> Nomination:
    nomination = get_object_or_404(
        Nomination.objects.visible_to(user).select_related(
            "enterprise", "authority", "filing__deliverable", "notice", "created_by",
            "proposed_by", "rejected_by", "designation",
        ),
        pk=pk,
    )  # fmt: skip
    if not user.has_perm("nominations.view", nomination):
        raise Http404
    if perm is not None and not user.has_perm(perm, nomination):
        raise Http404
    return nomination


def get_objection_for_user(user: Any, pk: int, *, perm: str) -> Objection:
    """An objection, if the user may ``perm`` its nomination."""
    objection = get_object_or_404(
        Objection.objects.select_related("nomination").filter(
            nomination__in=Nomination.objects.visible_to(user)
        ),
        pk=pk,
    )
    if not user.has_perm(perm, objection.nomination):
        raise Http404
    return objection


def get_notice_for_user(user: Any, pk: int, *, perm: str | None = None) -> PublicNotice:
    """A notice anyone may read from its first day on; the authority's reviewers before."""
    notice = get_object_or_404(
        PublicNotice.objects.visible_to(user).select_related("authority"), pk=pk
    )
    if perm is not None and not user.has_perm(perm, notice):
        raise Http404
    return notice


@dataclass(frozen=True)
class Scores:
    rows: list[NominationScore]

    @property
    def mean(self) -> float | None:
        if not self.rows:
            return None
        return round(sum(r.score for r in self.rows) / len(self.rows), 1)


def nomination_scores(nomination: Nomination) -> Scores:
    return Scores(list(nomination.scores.select_related("reviewer").order_by("created_at", "id")))


def nomination_history(nomination: Nomination) -> list[AuditEvent]:
    """The audit rows of the nomination's steps, oldest first (bounded)."""
    rows = list(
        AuditEvent.objects.for_target(nomination)
        .select_related("actor")
        .order_by("-created_at", "-id")[:HISTORY_LIMIT]
    )
    return list(reversed(rows))


def notice_rows(notice: PublicNotice) -> list[Nomination]:
    """The proposals a notice lists, in the order it lists them."""
    return list(
        notice.nominations.select_related("enterprise")
        .annotate(open_objections=Count("objections", filter=Q(objections__resolution="")))
        .order_by("industry", "field", "pk")
    )


def status_counts(authority: Any) -> dict[str, int]:
    """How many of the authority's nominations are in each state (one query)."""
    counts = dict(
        Nomination.objects.filter(authority=authority)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return {status.value: counts.get(status.value, 0) for status in Status}
