"""Writes of stage summaries and assessment reports beyond the generic workflow: derived
indicator results, the reviewers' assessment, designations, and opening a plan amendment
from a summary. Each write is one transaction with its audit row."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_log
from apps.filings.models import Filing, FilingVersion
from apps.filings.services import (
    IllegalTransition,
    NotAllowed,
    filing_save_section,
    filing_transition,
    open_draft,
)
from apps.filings.workflow import Action, State
from apps.indicators.judging import judge
from apps.plans.constants import ActionArea
from apps.plans.gaps import parse_decimal
from apps.stages.constants import (
    ADJUSTMENTS,
    ASSESSMENT_REPORT,
    CASES,
    INDICATORS,
    STAGE_KINDS,
    STAGE_SUMMARY,
    DesignationKind,
)
from apps.stages.content import approved_plan, judged, parse_year, stored_period, year_row
from apps.stages.models import (
    AreaScore,
    Assessment,
    Designation,
    IndicatorResult,
    ScoreLevel,
    ScoreScale,
)
from apps.stages.rules import (
    SCORABLE_STATES,
    can_designate,
    can_open_amendment,
    can_score,
)
from apps.timeline.periods import period_of

# --- Indicator results ---------------------------------------------------------------------

# IndicatorResult numbers hold 20 digits, 4 after the point; the filed text may hold more.
NUMBER_LIMIT = Decimal(10) ** 16


def _number(value: Any) -> Decimal | None:
    """The stored decimal of a filed number: NULL when blank or too large to count."""
    number = parse_decimal(value)
    if number is None or abs(number) >= NUMBER_LIMIT:
        return None
    return number.quantize(Decimal("0.0001"))


@transaction.atomic
def indicator_results_write(*, version_id: int) -> int:
    """IndicatorResult rows for a frozen version of a stage summary or an assessment report,
    judged by apps.indicators.judging as the version's display judges them. Idempotent: a
    row per (version, code, year), written once however often this runs. Returns the number
    of rows the version has."""
    version = FilingVersion.objects.select_related("filing__enterprise", "filing__deliverable").get(
        pk=version_id
    )
    filing = version.filing
    if filing.kind not in STAGE_KINDS or not version.is_frozen:
        return 0
    section = version.content.get(INDICATORS) or {}
    assessed = [int(y) for y in section.get("years") or [] if str(y).isdigit()]
    rows: list[IndicatorResult] = []

    def add(row: dict[str, Any], year: int, full_year: bool) -> None:
        code = str(row.get("code") or "")[:40]
        if not code or row.get("applicable") is False:
            return
        judgement = judge(row) if assessed else judged(row, filing, section)
        rows.append(
            IndicatorResult(
                version=version,
                filing=filing,
                enterprise=filing.enterprise,
                authority_id=filing.enterprise.authority_id,
                deliverable=filing.deliverable,
                year=year,
                code=code,
                core=bool(row.get("core")),
                name_zh=str(row.get("name_zh") or "")[:200],
                name_en=str(row.get("name_en") or "")[:300],
                unit=str(row.get("unit") or "")[:40],
                direction=str(row.get("direction") or "")[:8],
                kind=str(row.get("kind") or "")[:10],
                full_year=full_year,
                baseline=_number(row.get("baseline")),
                target=_number(row.get("target")),
                benchmark=_number(row.get("benchmark")),
                actual=_number(row.get("actual")),
                progress=judgement.progress,
                on_track=judgement.on_track,
            )
        )

    if assessed:
        for row in section.get("rows") or []:
            for year in assessed:
                add(year_row(row, year), year, True)
    else:
        year = parse_year(section.get("year")) or filing.deliverable.due_on.year
        period = stored_period(section) or period_of(filing.deliverable)
        for row in section.get("rows") or []:
            add(row, year, period is None or period.is_full_year)
    IndicatorResult.objects.bulk_create(rows, ignore_conflicts=True)
    return IndicatorResult.objects.filter(version=version).count()


# --- Plan amendment from a stage summary -----------------------------------------------------


@transaction.atomic
def summary_open_amendment(*, filing: Filing, actor: Any, ip_address: str | None = None) -> Filing:
    """Open an amendment of the enterprise's approved plan (the workflow's AMEND, the
    enterprise lead only) and record it in the summary's adjustments section. If the plan is
    already being amended, only the link is recorded. Returns the plan filing."""
    filing = Filing.objects.select_related("enterprise", "deliverable").get(pk=filing.pk)
    if filing.kind != STAGE_SUMMARY or not can_open_amendment(actor, filing):
        raise NotAllowed(_("Only the enterprise's lead can open a plan amendment."))
    if filing.draft_id is None:
        raise NotAllowed(_("This summary has no open draft: the amendment is recorded in a draft."))
    plan = approved_plan(filing.enterprise_id, filing.deliverable.campaign_id)
    if plan is None:
        raise IllegalTransition(_("There is no filed plan to amend."))
    if plan.state == State.APPROVED:
        plan = filing_transition(
            filing=plan, action=Action.AMEND, actor=actor, ip_address=ip_address,
            reason=_("Adjustment from the stage summary “%(title)s”.")
            % {"title": filing.deliverable.title},
        )  # fmt: skip
    draft = open_draft(filing)
    section = dict(draft.content.get(ADJUSTMENTS) or {})
    section.setdefault("text", "")
    section["amendment_filing_id"] = plan.pk
    filing_save_section(
        filing=filing, section=ADJUSTMENTS, data=section,
        base_revision=int(draft.revisions.get(ADJUSTMENTS, 0)), actor=actor,
        ip_address=ip_address,
    )  # fmt: skip
    audit_log(
        actor=actor,
        action="stages.open_amendment",
        target=filing,
        data={"plan_filing": plan.pk},
        ip_address=ip_address,
    )
    return plan


# --- Scoring ---------------------------------------------------------------------------------


def default_scale() -> ScoreScale:
    scale = ScoreScale.objects.filter(is_default=True).first() or ScoreScale.objects.first()
    if scale is None:
        raise ValidationError(_("No score scale is defined: an administrator must add one."))
    return scale


@transaction.atomic
def assessment_score(
    *,
    filing: Filing,
    area_levels: Mapping[str, str],
    overall: str,
    comment: str,
    actor: Any,
    ip_address: str | None = None,
) -> Assessment:
    """Score each action area and give an overall rating on the submitted or reviewed
    version of an assessment report. Scoring the same version again updates its assessment.
    Levels are given by code, from the default scale."""
    filing = (
        Filing.objects.select_for_update(of=("self",))
        .select_related("enterprise__authority", "latest_submitted")
        .get(pk=filing.pk)
    )
    if filing.kind != ASSESSMENT_REPORT or not can_score(actor, filing):
        raise NotAllowed(
            _("Only the reviewers of the enterprise's authority can score its assessment report.")
        )
    if filing.state not in SCORABLE_STATES or filing.latest_submitted is None:
        raise IllegalTransition(
            _("An assessment report is scored while it is submitted or under review.")
        )
    levels = {level.code: level for level in default_scale().levels.all()}
    errors: dict[str, str] = {}
    chosen: dict[str, ScoreLevel] = {}
    for area in ActionArea:
        level = levels.get(area_levels.get(area.value) or "")
        if level is None:
            errors[area.value] = _("Choose a level for %(area)s.") % {"area": area.label}
        else:
            chosen[area.value] = level
    overall_level = levels.get(overall or "")
    if overall_level is None:
        errors["overall"] = _("Choose the overall rating.")
    comment = comment.strip()
    if len(comment) > 5000:
        errors["comment"] = _("Keep the comment under 5000 characters.")
    if errors:
        raise ValidationError(errors)
    assert overall_level is not None
    version = filing.latest_submitted
    assessment, created = Assessment.objects.select_for_update().get_or_create(
        filing=filing,
        version=version,
        defaults={"overall": overall_level, "comment": comment, "scored_by": actor},
    )
    before = None
    if not created:
        before = {
            "overall": assessment.overall.code,
            "areas": {s.area: s.level.code for s in assessment.scores.select_related("level")},
        }
        assessment.overall, assessment.comment, assessment.scored_by = overall_level, comment, actor
        assessment.save()
    for area_key, level in chosen.items():
        AreaScore.objects.update_or_create(
            assessment=assessment, area=area_key, defaults={"level": level}
        )
    audit_log(
        actor=actor,
        action="stages.score",
        target=assessment,
        data={
            "filing": filing.pk,
            "version": version.number,
            "overall": overall_level.code,
            "areas": {key: level.code for key, level in chosen.items()},
            "before": before,
        },
        ip_address=ip_address,
    )
    return assessment


# --- Designations ----------------------------------------------------------------------------


def _case(filing: Filing, case_id: str) -> dict[str, Any] | None:
    version = filing.approved_version
    rows = ((version.content if version else {}).get(CASES) or {}).get("rows") or []
    return next((r for r in rows if r.get("id") == case_id), None)


@transaction.atomic
def designation_record(
    *,
    filing: Filing,
    kind: str,
    title: str,
    actor: Any,
    nomination_id: int,
    case_id: str = "",
    ip_address: str | None = None,
) -> Designation:
    """Make the designation a nomination ends in: a model enterprise, or one typical case of
    the report as a benchmarking project.

    Reached only through ``apps.nominations.services.nomination_designate`` (inside its
    transaction), which has checked the scores, the proposal and the public notice;
    tests/nominations/test_layers.py holds that nothing else calls it. Here the naming
    right is checked again (the lead reviewer of the enterprise's authority), and that the
    report is filed and still has the case."""
    filing = (
        Filing.objects.select_for_update(of=("self",))
        .select_related("enterprise__authority", "deliverable", "approved_version")
        .get(pk=filing.pk)
    )
    if filing.kind != ASSESSMENT_REPORT or not can_designate(actor, filing):
        raise NotAllowed(_("Only the lead reviewer of the enterprise's authority can name it."))
    if filing.approved_version_id is None:
        raise IllegalTransition(_("Names are given once the assessment report is filed."))
    if kind not in DesignationKind.values:
        raise ValidationError({"kind": _("Choose what to name.")})
    if kind == DesignationKind.MODEL_ENTERPRISE:
        case_id = ""
    elif _case(filing, case_id) is None:
        raise ValidationError({"case_id": _("Choose one of the report's typical cases.")})
    if Designation.objects.active().filter(filing=filing, kind=kind, case_id=case_id).exists():
        raise IllegalTransition(_("This is already designated."))
    designation = Designation(
        kind=kind,
        enterprise=filing.enterprise,
        filing=filing,
        authority=filing.enterprise.authority,
        case_id=case_id,
        title=title[:300],
        year=timezone.localdate().year,
        named_by=actor,
    )
    designation.full_clean()
    designation.save()
    audit_log(
        actor=actor,
        action="stages.designate",
        target=designation,
        data={
            "filing": filing.pk,
            "kind": kind,
            "case_id": case_id,
            "title": designation.title,
            "nomination": nomination_id,
        },
        ip_address=ip_address,
    )
    return designation


@transaction.atomic
def designation_revoke(
    *, designation: Designation, actor: Any, ip_address: str | None = None
) -> Designation:
    designation = (
        Designation.objects.select_for_update(of=("self",))
        .select_related("filing__enterprise")
        .get(pk=designation.pk)
    )
    if not can_designate(actor, designation.filing):
        raise NotAllowed(_("Only the lead reviewer of the enterprise's authority can revoke it."))
    if designation.revoked_at is not None:
        return designation
    designation.revoked_at, designation.revoked_by = timezone.now(), actor
    designation.save(update_fields=["revoked_at", "revoked_by"])
    audit_log(
        actor=actor,
        action="stages.revoke",
        target=designation,
        data={"filing": designation.filing_id, "kind": designation.kind},
        ip_address=ip_address,
    )
    return designation
