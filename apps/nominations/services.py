"""Writes of the nomination process. Each step is one transaction with its audit row, takes
the nomination's row lock, and checks the step against apps.nominations.workflow; a refused
step raises before writing (NotAllowed: not this user; IllegalTransition: not now)."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_log
from apps.enterprises.models import Authority, Industry, Role
from apps.enterprises.scopes import scope_for
from apps.filings.models import Filing
from apps.filings.services import IllegalTransition, NotAllowed
from apps.nominations.models import Nomination, NominationScore, Objection, PublicNotice
from apps.nominations.rules import can_apply, can_nominate, nomination_role
from apps.nominations.workflow import (
    MIN_SCORES,
    RULES,
    SCORE_MAX,
    Resolution,
    Source,
    Status,
    Step,
    allows,
)
from apps.plans.constants import ActionArea
from apps.stages.constants import ASSESSMENT_REPORT, CASES, DesignationKind
from apps.stages.models import Designation
from apps.stages.services import designation_record
from apps.timeline.models import local_today


def report_cases(filing: Filing) -> list[dict[str, Any]]:
    """The typical cases of the report's filed version (the version in force)."""
    version = filing.approved_version
    rows = ((version.content if version else {}).get(CASES) or {}).get("rows") or []
    return [row for row in rows if isinstance(row, dict) and row.get("id")]


def _locked(nomination: Nomination) -> Nomination:
    return (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("enterprise", "authority", "filing", "notice")
        .get(pk=nomination.pk)
    )


def _require(step: Step, nomination: Nomination, actor: Any) -> None:
    """Refuse a step this user may not take (NotAllowed), or may not take now
    (IllegalTransition)."""
    role = nomination_role(actor, nomination)
    rule = RULES[step]
    if role not in rule.roles:
        raise NotAllowed(_("Only the authority's reviewers can do this."))
    if not allows(step, nomination.status, role):
        raise IllegalTransition(
            _("Not possible while the nomination is %(status)s.")
            % {"status": Status(nomination.status).label.lower()}
        )


# --- Nominating ------------------------------------------------------------------------------


def _nominate(
    *,
    filing: Filing,
    source: Source,
    kind: str,
    actor: Any,
    case_id: str,
    industry: str,
    field: str,
    case_summary: str,
    ip_address: str | None,
) -> Nomination:
    filing = (
        Filing.objects.select_for_update(of=("self",))
        .select_related("enterprise__authority", "approved_version")
        .get(pk=filing.pk)
    )
    if filing.kind != ASSESSMENT_REPORT or filing.approved_version_id is None:
        raise IllegalTransition(_("Nominations are made from a filed assessment report."))
    allowed = can_nominate if source == Source.AUTHORITY else can_apply
    if not allowed(actor, filing):
        if source == Source.AUTHORITY:
            raise NotAllowed(_("Only the reviewers of the enterprise's authority can nominate."))
        raise NotAllowed(_("Only the enterprise's filing officer can apply."))
    if kind not in DesignationKind.values:
        raise ValidationError({"kind": _("Choose what to nominate.")})
    case_summary = case_summary.strip()
    errors: dict[str, str] = {}
    if kind == DesignationKind.MODEL_ENTERPRISE:
        case_id, title = "", filing.enterprise.name_zh
    else:
        case = next((c for c in report_cases(filing) if c.get("id") == case_id), None)
        if case is None:
            raise ValidationError({"case_id": _("Choose one of the report's typical cases.")})
        title = str(case.get("title") or "")[:300]
        # A case names its own action area; the nominator may say another.
        field = field or str(case.get("area") or "")
    industry = industry or filing.enterprise.industry
    if industry not in Industry.values:
        errors["industry"] = _("Choose an industry.")
    if field not in ActionArea.values:
        errors["field"] = _("Choose the action area it stands out in.")
    if source == Source.APPLICATION and not case_summary:
        errors["case_summary"] = _("An application needs a case summary.")
    if errors:
        raise ValidationError(errors)
    target = {"filing": filing, "kind": kind, "case_id": case_id}
    if Nomination.objects.open().filter(**target).exists():
        raise IllegalTransition(_("This is already nominated and under way."))
    if Designation.objects.active().filter(**target).exists():
        raise IllegalTransition(_("This is already designated."))
    nomination = Nomination(
        kind=kind,
        enterprise=filing.enterprise,
        authority=filing.enterprise.authority,
        filing=filing,
        case_id=case_id,
        title=title,
        industry=industry,
        field=field,
        case_summary=case_summary,
        source=source,
        created_by=actor,
    )
    nomination.full_clean()
    nomination.save()
    audit_log(
        actor=actor,
        action="nominations.apply" if source == Source.APPLICATION else "nominations.nominate",
        target=nomination,
        data={
            "filing": filing.pk,
            "kind": kind,
            "case_id": case_id,
            "title": title,
            "industry": industry,
            "field": field,
        },
        ip_address=ip_address,
    )
    return nomination


def nomination_nominate(
    *,
    filing: Filing,
    kind: str,
    actor: Any,
    case_id: str = "",
    industry: str = "",
    field: str = "",
    case_summary: str = "",
    ip_address: str | None = None,
) -> Nomination:
    """A reviewer of the enterprise's authority nominates the enterprise (or one typical case
    of its filed assessment report)."""
    with transaction.atomic():
        return _nominate(
            filing=filing, source=Source.AUTHORITY, kind=kind, actor=actor, case_id=case_id,
            industry=industry, field=field, case_summary=case_summary, ip_address=ip_address,
        )  # fmt: skip


def nomination_apply(
    *,
    filing: Filing,
    kind: str,
    case_summary: str,
    actor: Any,
    case_id: str = "",
    industry: str = "",
    field: str = "",
    ip_address: str | None = None,
) -> Nomination:
    """The enterprise's filing officer applies, on its own filed assessment report, with a
    case summary."""
    with transaction.atomic():
        return _nominate(
            filing=filing, source=Source.APPLICATION, kind=kind, actor=actor, case_id=case_id,
            industry=industry, field=field, case_summary=case_summary, ip_address=ip_address,
        )  # fmt: skip


# --- Scoring and proposing -------------------------------------------------------------------


@transaction.atomic
def nomination_score(
    *,
    nomination: Nomination,
    score: int,
    actor: Any,
    comment: str = "",
    ip_address: str | None = None,
) -> NominationScore:
    """A reviewer scores the nomination, 0–100, or changes their score (until it is
    proposed)."""
    nomination = _locked(nomination)
    _require(Step.SCORE, nomination, actor)
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= SCORE_MAX:
        raise ValidationError({"score": _("A score is a whole number from 0 to 100.")})
    previous = NominationScore.objects.filter(nomination=nomination, reviewer=actor).first()
    row = previous or NominationScore(nomination=nomination, reviewer=actor)
    before = previous.score if previous else None
    row.score, row.comment = score, comment.strip()
    row.full_clean()
    row.save()
    audit_log(
        actor=actor,
        action="nominations.score",
        target=nomination,
        data={"score": score if before is None else [before, score], "comment": row.comment},
        ip_address=ip_address,
    )
    return row


@transaction.atomic
def nomination_propose(
    *,
    nomination: Nomination,
    publish_summary: bool,
    actor: Any,
    ip_address: str | None = None,
) -> Nomination:
    """The lead reviewer proposes the nomination for the next public notice, once at least
    MIN_SCORES reviewers have scored it, and says whether its case summary may be
    published."""
    nomination = _locked(nomination)
    _require(Step.PROPOSE, nomination, actor)
    scores = list(nomination.scores.values_list("score", flat=True))
    if len(scores) < MIN_SCORES:
        raise IllegalTransition(
            _("At least %(n)d reviewers must score it before it is proposed.") % {"n": MIN_SCORES}
        )
    nomination.publish_summary = bool(publish_summary and nomination.case_summary)
    nomination.status = Status.PROPOSED
    nomination.proposed_by, nomination.proposed_at = actor, timezone.now()
    nomination.save(update_fields=["publish_summary", "status", "proposed_by", "proposed_at"])
    audit_log(
        actor=actor,
        action="nominations.propose",
        target=nomination,
        data={
            "publish_summary": nomination.publish_summary,
            "scores": len(scores),
            "mean": round(sum(scores) / len(scores), 1),
        },
        ip_address=ip_address,
    )
    return nomination


@transaction.atomic
def nomination_reject(
    *, nomination: Nomination, reason: str, actor: Any, ip_address: str | None = None
) -> Nomination:
    """The lead reviewer decides not to propose it (before its public notice), saying why."""
    nomination = _locked(nomination)
    _require(Step.REJECT, nomination, actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why it is not proposed.")})
    nomination.status = Status.REJECTED
    nomination.rejected_by, nomination.rejected_at = actor, timezone.now()
    nomination.rejection_reason = reason
    nomination.save(update_fields=["status", "rejected_by", "rejected_at", "rejection_reason"])
    audit_log(
        actor=actor,
        action="nominations.reject",
        target=nomination,
        data={"reason": reason},
        ip_address=ip_address,
    )
    return nomination


# --- The public notice -----------------------------------------------------------------------


@transaction.atomic
def notice_publish(
    *,
    authority: Authority,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    nominations: Iterable[Nomination | int],
    actor: Any,
    ip_address: str | None = None,
) -> PublicNotice:
    """The lead reviewer publishes a public notice of some of the authority's proposals, with
    its first and last day (Beijing dates; it cannot start in the past)."""
    if scope_for(actor).authority_role(authority.pk) != Role.LEAD_REVIEWER:
        raise NotAllowed(_("Only the authority's lead reviewer can publish a public notice."))
    ids = sorted({n if isinstance(n, int) else n.pk for n in nominations})
    errors: dict[str, str] = {}
    title = title.strip()
    if not title:
        errors["title"] = _("Give the notice a title.")
    if starts_on < local_today():
        errors["starts_on"] = _("A public notice cannot start in the past.")
    if ends_on <= starts_on:
        errors["ends_on"] = _("The last day comes after the first.")
    if not ids:
        errors["nominations"] = _("Choose the proposals the notice lists.")
    if errors:
        raise ValidationError(errors)
    listed = list(
        Nomination.objects.select_for_update(of=("self",))
        .select_related("enterprise")
        .filter(pk__in=ids, authority=authority)
        .order_by("pk")
    )
    if len(listed) != len(ids):
        raise NotAllowed(_("A notice lists only its own authority's proposals."))
    for nomination in listed:
        _require(Step.PUBLISH, nomination, actor)
    notice = PublicNotice(
        authority=authority,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        published_by=actor,
    )
    notice.full_clean()
    notice.save()
    Nomination.objects.filter(pk__in=ids).update(notice=notice, status=Status.IN_NOTICE)
    dates = {"starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()}
    audit_log(
        actor=actor,
        action="notice.publish",
        target=notice,
        data={"title": title, **dates, "nominations": ids},
        ip_address=ip_address,
    )
    for nomination in listed:
        audit_log(
            actor=actor,
            action="nominations.in_notice",
            target=nomination,
            data={"notice": notice.pk, **dates},
            ip_address=ip_address,
        )
    return notice


# --- Objections ------------------------------------------------------------------------------


@transaction.atomic
def objection_record(
    *,
    nomination: Nomination,
    text: str,
    received_on: dt.date,
    actor: Any,
    ip_address: str | None = None,
) -> Objection:
    """A reviewer records an objection received during the nomination's public notice."""
    nomination = _locked(nomination)
    _require(Step.OBJECT, nomination, actor)
    notice = nomination.notice
    assert notice is not None  # in notice: the database holds it (nomination_noticed_has_notice)
    text = text.strip()
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = _("Write down the objection.")
    if received_on > local_today():
        errors["received_on"] = _("An objection cannot be received in the future.")
    elif not notice.starts_on <= received_on <= notice.ends_on:
        errors["received_on"] = _("Objections are received while the notice runs.")
    if errors:
        raise ValidationError(errors)
    objection = Objection(
        nomination=nomination, text=text, received_on=received_on, recorded_by=actor
    )
    objection.full_clean()
    objection.save()
    audit_log(
        actor=actor,
        action="nominations.objection",
        target=nomination,
        data={"objection": objection.pk, "received_on": received_on.isoformat(), "text": text},
        ip_address=ip_address,
    )
    return objection


@transaction.atomic
def objection_resolve(
    *,
    objection: Objection,
    resolution: str,
    reason: str,
    actor: Any,
    ip_address: str | None = None,
) -> Objection:
    """The lead reviewer upholds the objection (the nomination is withdrawn) or dismisses
    it, saying why."""
    nomination = _locked(objection.nomination)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    _require(Step.RESOLVE, nomination, actor)
    if not objection.is_open:
        raise IllegalTransition(_("This objection is already resolved."))
    reason = reason.strip()
    errors: dict[str, str] = {}
    if resolution not in Resolution.values:
        errors["resolution"] = _("Uphold or dismiss the objection.")
    if not reason:
        errors["reason"] = _("Say why.")
    if errors:
        raise ValidationError(errors)
    objection.resolution = resolution
    objection.resolved_by, objection.resolved_at = actor, timezone.now()
    objection.resolution_reason = reason
    objection.save(update_fields=["resolution", "resolved_by", "resolved_at", "resolution_reason"])
    upheld = resolution == Resolution.UPHELD
    if upheld:
        nomination.status = Status.WITHDRAWN
        nomination.save(update_fields=["status"])
    audit_log(
        actor=actor,
        action="nominations.objection_upheld" if upheld else "nominations.objection_dismissed",
        target=nomination,
        data={"objection": objection.pk, "reason": reason},
        ip_address=ip_address,
    )
    return objection


# --- Designation -----------------------------------------------------------------------------


def _designate(nomination: Nomination, actor: Any, ip_address: str | None) -> Designation:
    """Designate a locked nomination (the caller holds the transaction)."""
    _require(Step.DESIGNATE, nomination, actor)
    notice = nomination.notice
    assert notice is not None  # in notice: the database holds it (nomination_noticed_has_notice)
    if not notice.has_ended():
        raise IllegalTransition(
            _("The public notice runs until %(date)s; designate after it has ended.")
            % {"date": notice.ends_on.isoformat()}
        )
    objections = set(nomination.objections.values_list("resolution", flat=True))
    if "" in objections:
        raise IllegalTransition(_("Resolve the objections to it first."))
    if Resolution.UPHELD in objections:  # withdrawn already; kept as a second lock
        raise IllegalTransition(_("An objection to it was upheld."))
    designation = designation_record(
        filing=nomination.filing,
        kind=nomination.kind,
        case_id=nomination.case_id,
        title=nomination.title,
        actor=actor,
        nomination_id=nomination.pk,
        ip_address=ip_address,
    )
    nomination.designation = designation
    nomination.status = Status.DESIGNATED
    nomination.save(update_fields=["designation", "status"])
    audit_log(
        actor=actor,
        action="nominations.designate",
        target=nomination,
        data={"designation": designation.pk, "notice": notice.pk},
        ip_address=ip_address,
    )
    return designation


@transaction.atomic
def nomination_designate(
    *, nomination: Nomination, actor: Any, ip_address: str | None = None
) -> Designation:
    """The lead reviewer designates one proposal after its public notice has ended, when no
    objection to it is open or upheld."""
    return _designate(_locked(nomination), actor, ip_address)


@transaction.atomic
def notice_designate(
    *, notice: PublicNotice, actor: Any, ip_address: str | None = None
) -> tuple[list[Designation], list[Nomination]]:
    """Designate every proposal of an ended notice that has no open objection; return the
    designations made and the proposals held back (an objection still open)."""
    notice = PublicNotice.objects.select_for_update().get(pk=notice.pk)
    if scope_for(actor).authority_role(notice.authority_id) != Role.LEAD_REVIEWER:
        raise NotAllowed(_("Only the authority's lead reviewer can designate."))
    if not notice.has_ended():
        raise IllegalTransition(
            _("The public notice runs until %(date)s; designate after it has ended.")
            % {"date": notice.ends_on.isoformat()}
        )
    designated: list[Designation] = []
    held: list[Nomination] = []
    pending = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("enterprise", "authority", "filing", "notice")
        .filter(notice=notice, status=Status.IN_NOTICE)
        .order_by("pk")
    )
    for nomination in pending:
        if nomination.objections.filter(resolution="").exists():
            held.append(nomination)
        else:
            designated.append(_designate(nomination, actor, ip_address))
    return designated, held
